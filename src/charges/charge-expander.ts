import { Injectable } from '@nestjs/common';
import { parseExpand, type ExpandableFields, type ExpandTree } from '../common/expand/expand-paths.js';
import { CustomersService } from '../customers/customers.service.js';
import type { Tx } from '../database/transaction-runner.js';

/**
 * What Stripe can expand on a charge. oncepay expands `customer`; the others name objects it does not
 * have (applications, invoices, transfers, …) or are shown in full already (`source`, `refunds`), so
 * they are accepted and left as they are.
 */
export const CHARGE_EXPANDABLE: ExpandableFields = {
  expandable: [
    'application', 'application_fee', 'balance_transaction', 'customer', 'destination', 'dispute',
    'failure_balance_transaction', 'invoice', 'on_behalf_of', 'payment_intent', 'refunds', 'review', 'source',
    'source_transfer', 'transfer',
  ],
  holders: ['outcome', 'transfer_data'],
};

/**
 * Expands a charge's `customer` when an answer is written. Only answers are expanded: charge rows, the
 * cached JSON and event objects keep the id (Stripe never expands an event's object).
 */
@Injectable()
export class ChargeExpander {
  constructor(private readonly customers: CustomersService) {}

  /**
   * The request's paths, checked; null when none names what oncepay expands, so the charge goes out as
   * it is (cached JSON text included, never parsed).
   */
  plan(expand: unknown, list = false): ExpandTree | null {
    return this.below(parseExpand(expand, CHARGE_EXPANDABLE, list));
  }

  /** For a charge inside another object (a refund's `charge.customer`): its already checked subtree. */
  below(tree: ExpandTree | null | undefined): ExpandTree | null {
    return tree?.has('customer') ? tree : null;
  }

  /** Copies of the charges with their customers in place of the ids, read from the caller's account only. */
  expand<T extends { customer: unknown }>(tx: Tx, account: string, charges: T[], tree: ExpandTree | null): T[] {
    if (!tree?.has('customer')) return charges;
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
    const charges = jsons.map((json) => JSON.parse(json) as { customer: unknown });
    return this.expand(tx, account, charges, tree).map((charge) => JSON.stringify(charge));
  }
}
