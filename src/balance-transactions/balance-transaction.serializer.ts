/**
 * A balance transaction's id, made from the id of the charge or refund that made it (`ch_X` → `txn_X`,
 * `re_X` → `txn_X`), so that `GET /v1/balance_transactions/:id` finds its source by the source's own
 * unique index: no index of its own for every capture to keep up.
 */
export function balanceTransactionIdOf(sourceId: string): string {
  return `txn_${sourceId.slice(sourceId.indexOf('_') + 1)}`;
}

/** The ids of the charge and the refund a balance transaction id could have been made from. */
export function possibleSourcesOf(id: string): { charge: string; refund: string } {
  const suffix = id.slice(id.indexOf('_') + 1);
  return { charge: `ch_${suffix}`, refund: `re_${suffix}` };
}

/** What a charge's balance transaction is made from (as a charge is serialized). */
interface ChargeMoney {
  id: string;
  amount_captured: number;
  currency: string;
  created: number;
  description: string | null;
}

/** What a refund's balance transaction is made from (as a refund is serialized). */
interface RefundMoney {
  id: string;
  amount: number;
  currency: string;
  created: number;
}

const DAY = 86_400;

/** Funds from a charge become available at midnight UTC two days after it, Stripe's standard schedule. */
const availableOn = (created: number): number => (Math.floor(created / DAY) + 2) * DAY;

/**
 * Stripe's standard card pricing, 2.9 % + 30 (cents), applied in the charge's own currency: oncepay has
 * no account country and no exchange rates, so a balance transaction is in the currency charged and its
 * `exchange_rate` is null. A simulation, documented as one (docs/api.md).
 */
export function processingFee(amount: number): number {
  return Math.round((amount * 29) / 1000) + 30;
}

/** The Stripe.BalanceTransaction of a captured charge: what it brought in, less the fee. */
export function chargeBalanceTransaction(id: string, charge: ChargeMoney, now: number) {
  const fee = processingFee(charge.amount_captured);
  const available = availableOn(charge.created);
  return {
    id,
    object: 'balance_transaction' as const,
    amount: charge.amount_captured,
    available_on: available,
    balance_type: 'payments' as const,
    created: charge.created,
    currency: charge.currency,
    description: charge.description,
    exchange_rate: null,
    fee,
    fee_details: [{ amount: fee, application: null, currency: charge.currency, description: 'Stripe processing fees', type: 'stripe_fee' }],
    net: charge.amount_captured - fee,
    reporting_category: 'charge',
    source: charge.id,
    status: available <= now ? ('available' as const) : ('pending' as const),
    type: 'charge' as const,
  };
}

/**
 * The Stripe.BalanceTransaction of a refund: the amount going back, with no fee (Stripe keeps the
 * charge's), described as Stripe describes it, with the charge's description if it has one.
 */
export function refundBalanceTransaction(id: string, refund: RefundMoney, chargeDescription: string | null) {
  return {
    id,
    object: 'balance_transaction' as const,
    amount: -refund.amount,
    available_on: refund.created,
    balance_type: 'payments' as const,
    created: refund.created,
    currency: refund.currency,
    description: chargeDescription ? `REFUND FOR CHARGE (${chargeDescription})` : 'REFUND FOR CHARGE',
    exchange_rate: null,
    fee: 0,
    fee_details: [],
    net: -refund.amount,
    reporting_category: 'refund',
    source: refund.id,
    status: 'available' as const,
    type: 'refund' as const,
  };
}
