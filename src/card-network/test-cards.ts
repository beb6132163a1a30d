import { createHash } from 'node:crypto';

/**
 * Stripe's test cards (STRIPE.md): the number, token or payment method decides the outcome, so
 * integration tests can provoke every decline on purpose.
 */
export type Brand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'diners' | 'jcb' | 'unionpay' | 'unknown';

export type Funding = 'credit' | 'debit';

/** Radar's assessment of a payment (`outcome.risk_level`); `highest` comes with the blocked decline. */
export type RiskLevel = 'normal' | 'elevated';

export interface Decline {
  code: string;
  declineCode: string;
  message: string;
  /** Radar blocks these before they reach the network. */
  blocked?: boolean;
}

export interface TestCard {
  number: string;
  brand: Brand;
  funding: Funding;
  /** How the card behaves when charged. */
  decline: Decline | null;
  /**
   * Whether a declining card can still be attached to a customer. Stripe checks a card when it is
   * attached, so a declining card is refused then; only 4000000000000341 attaches and fails later.
   */
  attachesDespiteDecline?: boolean;
  /** The issuer says the cvc is wrong: `cvc_check: "fail"` when one is given (no Radar rule blocks it by default). */
  cvcCheckFails?: boolean;
  riskLevel?: RiskLevel;
}

/**
 * The card field a decline names in its error's `param`, as Stripe's do: an expired card names its expiry,
 * a wrong security code the cvc. Other declines name none.
 */
export function declineParam(code: string): string | undefined {
  return code === 'expired_card' ? 'exp_month' : code === 'incorrect_cvc' ? 'cvc' : undefined;
}

const declined = (declineCode: string, message = 'Your card was declined.'): Decline => ({ code: 'card_declined', declineCode, message });

export const DECLINES = {
  generic: declined('generic_decline'),
  insufficientFunds: declined('insufficient_funds', 'Your card has insufficient funds.'),
  lostCard: declined('lost_card'),
  stolenCard: declined('stolen_card'),
  fraudulent: { ...declined('fraudulent'), blocked: true },
  expired: { code: 'expired_card', declineCode: 'expired_card', message: 'Your card has expired.' },
  incorrectCvc: { code: 'incorrect_cvc', declineCode: 'incorrect_cvc', message: "Your card's security code is incorrect." },
  processingError: {
    code: 'processing_error',
    declineCode: 'processing_error',
    message: 'An error occurred while processing your card. Try again in a little bit.',
  },
} satisfies Record<string, Decline>;

const card = (number: string, brand: Brand, decline: Decline | null = null, funding: Funding = 'credit'): TestCard => ({ number, brand, funding, decline });

/** Card numbers with a special behaviour; any other Luhn-valid number simply succeeds. */
const BY_NUMBER = new Map<string, TestCard>(
  [
    card('4242424242424242', 'visa'),
    card('4000056655665556', 'visa', null, 'debit'),
    card('5555555555554444', 'mastercard'),
    card('5200828282828210', 'mastercard', null, 'debit'),
    card('378282246310005', 'amex'),
    card('6011111111111117', 'discover'),
    card('3056930009020004', 'diners'),
    card('36227206271667', 'diners'),
    card('3566002020360505', 'jcb'),
    card('6200000000000005', 'unionpay'),
    card('4000000000000002', 'visa', DECLINES.generic),
    card('4000000000009995', 'visa', DECLINES.insufficientFunds),
    card('4000000000009987', 'visa', DECLINES.lostCard),
    card('4000000000009979', 'visa', DECLINES.stolenCard),
    card('4000000000000069', 'visa', DECLINES.expired),
    { ...card('4000000000000127', 'visa', DECLINES.incorrectCvc), cvcCheckFails: true },
    card('4000000000000119', 'visa', DECLINES.processingError),
    card('4100000000000019', 'visa', DECLINES.fraudulent),
    { ...card('4000000000000341', 'visa', DECLINES.generic), attachesDespiteDecline: true },
    { ...card('4000000000000101', 'visa'), cvcCheckFails: true },
    { ...card('4000000000009235', 'visa'), riskLevel: 'elevated' as const },
    // Stripe's "bypass pending balance" card: it only changes when funds become available, which oncepay has no balance to show.
    card('4000000000000077', 'visa'),
  ].map((c) => [c.number, c]),
);

/** Tokens (`tok_…`) and payment methods (`pm_card_…`) name a test card number. */
const BY_TOKEN: Record<string, string> = {
  tok_visa: '4242424242424242',
  pm_card_visa: '4242424242424242',
  tok_visa_debit: '4000056655665556',
  pm_card_visa_debit: '4000056655665556',
  tok_mastercard: '5555555555554444',
  pm_card_mastercard: '5555555555554444',
  tok_mastercard_debit: '5200828282828210',
  pm_card_mastercard_debit: '5200828282828210',
  tok_amex: '378282246310005',
  pm_card_amex: '378282246310005',
  tok_discover: '6011111111111117',
  pm_card_discover: '6011111111111117',
  tok_diners: '3056930009020004',
  pm_card_diners: '3056930009020004',
  tok_jcb: '3566002020360505',
  pm_card_jcb: '3566002020360505',
  tok_unionpay: '6200000000000005',
  pm_card_unionpay: '6200000000000005',
  tok_chargeDeclined: '4000000000000002',
  pm_card_visa_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclined: '4000000000000002',
  tok_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_visa_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  tok_chargeDeclinedLostCard: '4000000000009987',
  pm_card_visa_chargeDeclinedLostCard: '4000000000009987',
  pm_card_chargeDeclinedLostCard: '4000000000009987',
  tok_chargeDeclinedStolenCard: '4000000000009979',
  pm_card_visa_chargeDeclinedStolenCard: '4000000000009979',
  pm_card_chargeDeclinedStolenCard: '4000000000009979',
  tok_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
  tok_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_chargeDeclinedIncorrectCvc: '4000000000000127',
  tok_chargeDeclinedProcessingError: '4000000000000119',
  pm_card_chargeDeclinedProcessingError: '4000000000000119',
  tok_chargeDeclinedFraudulent: '4100000000000019',
  pm_card_chargeDeclinedFraudulent: '4100000000000019',
  tok_chargeCustomerFail: '4000000000000341',
  pm_card_chargeCustomerFail: '4000000000000341',
  tok_cvcCheckFail: '4000000000000101',
  pm_card_cvcCheckFail: '4000000000000101',
  tok_riskLevelElevated: '4000000000009235',
  pm_card_riskLevelElevated: '4000000000009235',
  tok_bypassPending: '4000000000000077',
  pm_card_bypassPending: '4000000000000077',
};

export function testCardForToken(token: string): TestCard | null {
  const number = BY_TOKEN[token];
  return number ? testCardForNumber(number) : null;
}

export function testCardForNumber(number: string): TestCard | null {
  const known = BY_NUMBER.get(number);
  if (known) return known;
  if (!/^\d{12,19}$/.test(number) || !luhn(number)) return null;
  return card(number, brandOf(number));
}

/**
 * Radar's risk level for a stored card. A card keeps only its number's fingerprint, so the few test
 * numbers with a risk of their own are found by theirs.
 */
export function riskLevelFor(fingerprint: string): RiskLevel {
  return RISK_BY_FINGERPRINT.get(fingerprint) ?? 'normal';
}

/**
 * Fingerprints of the test cards in use: tokens name one of a few shared TestCard objects, and hashing
 * its number for every charge was ~1 % of one. Weakly held, so no card number outlives its TestCard.
 */
const fingerprints = new WeakMap<TestCard, string>();

export function fingerprintOf(card: TestCard): string {
  let fingerprint = fingerprints.get(card);
  if (fingerprint === undefined) {
    // Sixteen letters and digits, as Stripe's are (`Xt5EWLLDS7FJjR1c`): no `-` or `_` for a test's pattern to trip on.
    fingerprint = createHash('sha256').update(card.number).digest('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 16);
    fingerprints.set(card, fingerprint);
  }
  return fingerprint;
}

/** The fingerprint cards were given until stop 27 (base64url, so some held `-` or `_`); cards stored then keep it. */
const legacyFingerprintOf = (card: TestCard): string => createHash('sha256').update(card.number).digest('base64url').slice(0, 16);

const RISK_BY_FINGERPRINT = new Map(
  [...BY_NUMBER.values()].flatMap((c) =>
    c.riskLevel ? [[fingerprintOf(c), c.riskLevel] as const, [legacyFingerprintOf(c), c.riskLevel] as const] : [],
  ),
);

/** The brand an issuer identification number (the leading digits) belongs to, by the networks' published ranges. */
function brandOf(number: string): Brand {
  if (number.startsWith('4')) return 'visa';
  if (/^5[1-5]|^2[2-7]/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  // Diners Club International: 300–305, 3095, 36, 38–39.
  if (/^3(0[0-5]|095|6|[89])/.test(number)) return 'diners';
  if (/^35(2[89]|[3-8])/.test(number)) return 'jcb';
  // Before Discover, which also claims part of 62: Stripe names such cards UnionPay.
  if (/^62/.test(number)) return 'unionpay';
  if (/^6(011|4[4-9]|5)/.test(number)) return 'discover';
  return 'unknown';
}

function luhn(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
