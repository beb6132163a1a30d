import type { Brand } from '../card-network/test-cards.js';
import type { CardEntity } from './card.entity.js';

const DISPLAY_BRAND: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'MasterCard',
  amex: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  unknown: 'Unknown',
} satisfies Record<Brand, string>;

/**
 * The issuer's check of an address field: none without one (null, as Stripe shows a field not given);
 * given, the test cards' issuer finds it right, as Stripe's 4242… does.
 */
function addressCheck(given: string | null): 'pass' | null {
  return given ? 'pass' : null;
}

/** The Stripe.Card shape (a source). */
export function serializeCard(card: CardEntity) {
  return {
    id: card.id,
    object: 'card' as const,
    address_city: card.address_city,
    address_country: card.address_country,
    address_line1: card.address_line1,
    address_line1_check: addressCheck(card.address_line1),
    address_line2: card.address_line2,
    address_state: card.address_state,
    address_zip: card.address_zip,
    address_zip_check: addressCheck(card.address_zip),
    brand: DISPLAY_BRAND[card.brand] ?? card.brand,
    country: card.country,
    customer: card.customer_id,
    cvc_check: card.cvc_check,
    dynamic_last4: null,
    exp_month: card.exp_month,
    exp_year: card.exp_year,
    fingerprint: card.fingerprint,
    funding: card.funding,
    last4: card.last4,
    metadata: JSON.parse(card.metadata) as Record<string, string>,
    name: card.name,
    regulated_status: null,
    tokenization_method: null,
    wallet: null,
  };
}

/** `payment_method_details.card` on a charge. */
export function serializeCardDetails(card: CardEntity, cvcCheck: string | null) {
  return {
    brand: card.brand,
    checks: { address_line1_check: addressCheck(card.address_line1), address_postal_code_check: addressCheck(card.address_zip), cvc_check: cvcCheck },
    country: card.country,
    exp_month: card.exp_month,
    exp_year: card.exp_year,
    fingerprint: card.fingerprint,
    funding: card.funding,
    installments: null,
    last4: card.last4,
    mandate: null,
    network: card.brand,
    three_d_secure: null,
    wallet: null,
  };
}
