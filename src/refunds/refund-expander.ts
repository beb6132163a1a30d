import { Injectable } from '@nestjs/common';
import { parseExpand, type ExpandableFields, type ExpandTree } from '../common/expand/expand-paths.js';
import { ChargeExpander } from '../charges/charge-expander.js';
import { ChargesRepository } from '../charges/charges.repository.js';
import { serializeCharge } from '../charges/charge.serializer.js';
import type { Tx } from '../database/transaction-runner.js';
import { refundBalanceTransaction } from '../balance-transactions/balance-transaction.serializer.js';

/**
 * What Stripe can expand on a refund. oncepay expands `charge` (and `charge.customer` through it); the
 * others name objects it does not have. `customer` is not among Stripe's documented ones, but the SDK
 * types the field: accepted and left as it is rather than risk refusing a path Stripe takes.
 */
export const REFUND_EXPANDABLE: ExpandableFields = {
  expandable: [
    'balance_transaction', 'charge', 'customer', 'failure_balance_transaction', 'payment_intent',
    'source_transfer_reversal', 'transfer_reversal',
  ],
};

/** The fields of a serialized refund the expansions read. */
interface ExpandableRefund {
  id: string;
  charge: unknown;
  amount: number;
  currency: string;
  created: number;
  balance_transaction: unknown;
}

/** Expands a refund's `charge` when an answer is written (see ChargeExpander: events never are). */
@Injectable()
export class RefundExpander {
  constructor(
    private readonly chargeRows: ChargesRepository,
    private readonly chargeExpander: ChargeExpander,
  ) {}

  /** The request's paths, checked; null when none names what oncepay expands. */
  plan(expand: unknown, list = false): ExpandTree | null {
    const tree = parseExpand(expand, REFUND_EXPANDABLE, list);
    return tree?.has('charge') || tree?.has('balance_transaction') ? tree : null;
  }

  /**
   * Copies of the refunds with their charges (as GET /v1/charges/:id shows them) and their balance
   * transactions in place of the ids, as asked.
   */
  expand<T extends ExpandableRefund>(
    tx: Tx, account: string, refunds: T[], tree: ExpandTree | null,
  ): T[] {
    if (!tree) return refunds;
    const shown = tree.has('balance_transaction') ? this.withBalanceTransactions(tx, account, refunds) : refunds;
    return tree.has('charge') ? this.expandCharges(tx, account, shown, tree) : shown;
  }

  /** Refunds' balance transactions in place of their ids; a pending refund has none yet (null stays). */
  private withBalanceTransactions<T extends ExpandableRefund>(tx: Tx, account: string, refunds: T[]): T[] {
    // Described with their charge's description: a charge-scoped list names one charge on every item, read once.
    const descriptions = new Map<string, string | null>();
    const descriptionOf = (chargeId: string) => {
      if (!descriptions.has(chargeId)) descriptions.set(chargeId, this.chargeRows.find(tx, account, chargeId)?.description ?? null);
      return descriptions.get(chargeId)!;
    };
    return refunds.map((refund) => {
      if (typeof refund.balance_transaction !== 'string') return refund;
      const description = typeof refund.charge === 'string' ? descriptionOf(refund.charge) : null;
      return { ...refund, balance_transaction: refundBalanceTransaction(refund.balance_transaction, refund, description) };
    });
  }

  private expandCharges<T extends { charge: unknown }>(tx: Tx, account: string, refunds: T[], tree: ExpandTree): T[] {
    const below = this.chargeExpander.below(tree.get('charge'));
    // A charge-scoped list names one charge on every item: serialize it once.
    const shown = new Map<string, object | undefined>();
    return refunds.map((refund) => {
      const id = refund.charge;
      if (typeof id !== 'string') return refund;
      if (!shown.has(id)) {
        const row = this.chargeRows.find(tx, account, id);
        shown.set(id, row && this.chargeExpander.expand(tx, account, [serializeCharge(row)], below)[0]);
      }
      const charge = shown.get(id);
      return charge ? { ...refund, charge } : refund;
    });
  }
}
