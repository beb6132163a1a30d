import { Injectable } from '@nestjs/common';
import { parseExpand, type ExpandableFields, type ExpandTree } from '../common/expand/expand-paths.js';
import { CustomersService } from '../customers/customers.service.js';
import type { Tx } from '../database/transaction-runner.js';
import { RefundsRepository } from '../refunds/refunds.repository.js';
import { withRefunds } from './charge.serializer.js';
import { chargeBalanceTransaction } from '../balance-transactions/balance-transaction.serializer.js';
import { nowSeconds } from '../common/ids.js';

/**
 * What Stripe can expand on a charge. oncepay expands `customer`, `balance_transaction`, and `refunds`,
 * which Stripe shows only when asked since 2022-11-15; the others name objects it does not have
 * (applications, invoices, transfers, …) or are shown in full already (`source`), so they are accepted
 * and left as they are.
 */
export const CHARGE_EXPANDABLE: ExpandableFields = {
  expandable: [
    'application', 'application_fee', 'balance_transaction', 'customer', 'destination', 'dispute',
    'failure_balance_transaction', 'invoice', 'on_behalf_of', 'payment_intent', 'refunds', 'review', 'source',
    'source_transfer', 'transfer',
  ],
  holders: ['outcome', 'transfer_data'],
};

/** What oncepay expands on a charge: the rest of CHARGE_EXPANDABLE is left as it is. */
const EXPANDED = ['balance_transaction', 'customer', 'refunds'];

/** The fields of a serialized charge the expansions read. */
interface ExpandableCharge {
  id: unknown;
  customer: unknown;
  refunded: unknown;
  balance_transaction: unknown;
}

/**
 * Expands a charge's `customer` and shows its `refunds` when an answer is written. Only answers are
 * expanded: charge rows, the cached JSON and event objects keep the id and have no refunds (Stripe never
 * expands an event's object).
 */
@Injectable()
export class ChargeExpander {
  constructor(
    private readonly customers: CustomersService,
    private readonly refunds: RefundsRepository,
  ) {}

  /**
   * The request's paths, checked; null when none names what oncepay expands, so the charge goes out as
   * it is (cached JSON text included, never parsed).
   */
  plan(expand: unknown, list = false): ExpandTree | null {
    return this.below(parseExpand(expand, CHARGE_EXPANDABLE, list));
  }

  /** For a charge inside another object (a refund's `charge.customer`): its already checked subtree. */
  below(tree: ExpandTree | null | undefined): ExpandTree | null {
    return tree && EXPANDED.some((field) => tree.has(field)) ? tree : null;
  }

  /**
   * Copies of the charges with their customers in place of the ids and their refunds shown, as asked,
   * read from the caller's account only.
   */
  expand<T extends ExpandableCharge>(tx: Tx, account: string, charges: T[], tree: ExpandTree | null): T[] {
    if (!tree) return charges;
    let shown = tree.has('customer') ? this.expandCustomers(tx, account, charges) : charges;
    if (tree.has('balance_transaction')) shown = shown.map((charge) => withBalanceTransaction(charge, nowSeconds()));
    if (!tree.has('refunds')) return shown;
    // One refunds query for a whole page rather than one per charge.
    const refunds = this.refunds.forCharges(tx, account, charges.map((charge) => String(charge.id)));
    return shown.map((charge) => withRefunds(charge, refunds.get(String(charge.id))!));
  }

  private expandCustomers<T extends { customer: unknown }>(tx: Tx, account: string, charges: T[]): T[] {
    // A list page often names one customer many times: read it once.
    const shown = new Map<string, object | undefined>();
    return charges.map((charge) => {
      const id = charge.customer;
      if (typeof id !== 'string') return charge;
      if (!shown.has(id)) shown.set(id, this.customers.shown(tx, account, id));
      const customer = shown.get(id);
      // No such customer in this account (never written by a request): the id stays.
      return customer ? { ...charge, customer } : charge;
    });
  }

  /** The same for charges as JSON text (the cached reads). */
  expandJson(tx: Tx, account: string, jsons: string[], tree: ExpandTree): string[] {
    const charges = jsons.map((json) => JSON.parse(json) as ExpandableCharge);
    return this.expand(tx, account, charges, tree).map((charge) => JSON.stringify(charge));
  }
}

/** A captured charge's balance transaction in place of its id; an uncaptured one has none (null stays). */
function withBalanceTransaction<T extends ExpandableCharge>(charge: T, now: number): T {
  if (typeof charge.balance_transaction !== 'string') return charge;
  const money = charge as unknown as Parameters<typeof chargeBalanceTransaction>[1];
  return { ...charge, balance_transaction: chargeBalanceTransaction(charge.balance_transaction, money, now) };
}
