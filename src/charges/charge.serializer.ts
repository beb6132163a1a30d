import type { RefundEntity } from '../refunds/refund.entity.js';
import { serializeRefund } from '../refunds/refund.serializer.js';
import type { serializeCard } from '../cards/card.serializer.js';
import type { ChargeEntity } from './charge.entity.js';
import { parseOutcome } from './charge-outcome.js';

/** How many of its refunds (the newest) an expanded charge shows. */
const EMBEDDED_REFUNDS = 10;

/**
 * The Stripe.Charge shape: every field present, null where unknown, but `refunds`, which Stripe shows
 * only when asked (`expand[]=refunds`) since API version 2022-11-15: see withRefunds.
 */
export function serializeCharge(row: ChargeEntity) {
  const card = JSON.parse(row.card) as { source: CardSnapshot; details: Record<string, unknown> };
  // Snapshots taken before cards had a regulated_status lack it.
  const source = { regulated_status: null, ...card.source };
  const succeeded = row.status === 'succeeded';
  return {
    id: row.id,
    object: 'charge' as const,
    amount: row.amount,
    amount_captured: row.amount_captured,
    amount_refunded: row.amount_refunded,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: row.balance_transaction,
    // The cardholder's details as the card carried them when charged.
    billing_details: {
      address: {
        city: source.address_city ?? null,
        country: source.address_country ?? null,
        line1: source.address_line1 ?? null,
        line2: source.address_line2 ?? null,
        postal_code: source.address_zip ?? null,
        state: source.address_state ?? null,
      },
      email: null,
      name: source.name ?? null,
      phone: null,
      tax_id: null,
    },
    calculated_statement_descriptor: calculatedStatementDescriptor(row),
    captured: row.captured,
    created: row.created,
    currency: row.currency,
    customer: row.customer_id,
    description: row.description,
    destination: null,
    dispute: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: row.failure_code,
    failure_message: row.failure_message,
    fraud_details: JSON.parse(row.fraud_details) as Record<string, string>,
    invoice: null,
    livemode: false,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    on_behalf_of: null,
    outcome: row.outcome === null ? null : parseOutcome(row.outcome),
    paid: succeeded,
    payment_intent: null,
    payment_method: row.card_id,
    payment_method_details: { card: cardDetails(row, card.details), type: 'card' as const },
    receipt_email: row.receipt_email,
    receipt_number: null,
    receipt_url: null,
    refunded: row.amount_refunded > 0 && row.amount_refunded >= row.amount,
    review: null,
    shipping: row.shipping === null ? null : JSON.parse(row.shipping),
    source,
    source_transfer: null,
    statement_descriptor: row.statement_descriptor,
    statement_descriptor_suffix: row.statement_descriptor_suffix,
    status: row.status,
    transfer_data: null,
    transfer_group: row.transfer_group,
  };
}

/**
 * A serialized charge with its `refunds` (every refund of it, newest first) in the place Stripe gives
 * the field, as an expanded sublist: the first page only; the rest is at `url`.
 */
export function withRefunds<T extends { id: unknown; refunded: unknown }>(charge: T, refunds: RefundEntity[]): T {
  const shown: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(charge)) {
    shown[field] = value;
    if (field !== 'refunded') continue;
    shown.refunds = {
      object: 'list',
      data: refunds.slice(0, EMBEDDED_REFUNDS).map(serializeRefund),
      has_more: refunds.length > EMBEDDED_REFUNDS,
      total_count: refunds.length,
      url: `/v1/charges/${String(charge.id)}/refunds`,
    };
  }
  return shown as T;
}

/**
 * The card as charged, and what the network authorized on it: the amount, once it said yes. The stored
 * card snapshot predates the fields of Stripe.Charge's `payment_method_details.card` that the simulated
 * network has no value for, so they are added here, as null, for every charge (written out: spreading a
 * shared object of nulls takes a slow path in Node 20).
 */
function cardDetails(row: ChargeEntity, details: Record<string, unknown>) {
  return {
    amount_authorized: row.status === 'succeeded' ? row.amount : null,
    authorization_code: null,
    electronic_commerce_indicator: null,
    network_transaction_id: null,
    regulated_status: null,
    transaction_link_id: null,
    ...details,
  };
}

/** What every account of oncepay has as its card statement descriptor prefix. */
const STATEMENT_DESCRIPTOR_PREFIX = 'ONCEPAY';
const STATEMENT_DESCRIPTOR_MAX = 22;

/**
 * Stripe's card statement line: the account's prefix, `* ` and the charge's suffix, cut to the 22
 * characters a statement holds (Stripe accepts a suffix of up to 22 whatever the prefix's length, and
 * cuts the combined line rather than refusing it).
 */
function calculatedStatementDescriptor(row: ChargeEntity): string {
  if (row.statement_descriptor_suffix) {
    return `${STATEMENT_DESCRIPTOR_PREFIX}* ${row.statement_descriptor_suffix}`.slice(0, STATEMENT_DESCRIPTOR_MAX);
  }
  return row.statement_descriptor ?? STATEMENT_DESCRIPTOR_PREFIX;
}

export type StripeCharge = ReturnType<typeof serializeCharge>;

/** The card as `serializeCard` wrote it when the charge was made (older snapshots lack newer fields). */
type CardSnapshot = Partial<ReturnType<typeof serializeCard>>;
