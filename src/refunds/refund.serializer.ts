import type { RefundEntity } from './refund.entity.js';

/** The Stripe.Refund shape. */
export function serializeRefund(row: RefundEntity) {
  return {
    id: row.id,
    object: 'refund' as const,
    amount: row.amount,
    balance_transaction: row.balance_transaction,
    charge: row.charge_id,
    created: row.created,
    currency: row.currency,
    customer: row.customer_id,
    customer_account: null,
    destination_details: null,
    // Stripe's Refund shows it only when one was given.
    ...(row.instructions_email !== null && { instructions_email: row.instructions_email }),
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    payment_intent: null,
    payment_method: row.payment_method,
    reason: row.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: row.status,
    transfer_reversal: null,
  };
}
