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
    destination_details: destinationDetails(row),
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

/**
 * Where the money goes back: always the card here. Stripe's `type` tells a refund of captured money from
 * the release of an authorization (`reversal`, the refund of an uncaptured charge, which moves no money and
 * so has no balance transaction) and from one the network has not answered yet (`pending`). The acquirer's
 * reference number is never issued by the simulated network, so it stays pending.
 */
function destinationDetails(row: RefundEntity) {
  const type = row.status === 'pending' ? 'pending' : row.balance_transaction === null ? 'reversal' : 'refund';
  return { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type }, type: 'card' as const };
}
