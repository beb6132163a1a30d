/**
 * Stripe's presentment currencies: every currency a charge may be made in, as a real "Invalid currency"
 * answer listed them (October 2024), in its order: usd first, then alphabetical. That answer also named
 * retired and non-card codes after `zmw` (`usdc`, `eek`, `sll`, `mro`, …); oncepay refuses those rather
 * than list codes it would not charge in. A code missing here is refused.
 */
export const PRESENTMENT_CURRENCIES: readonly string[] = [
  'usd', 'aed', 'afn', 'all', 'amd', 'ang', 'aoa', 'ars', 'aud', 'awg', 'azn', 'bam', 'bbd', 'bdt', 'bgn', 'bhd',
  'bif', 'bmd', 'bnd', 'bob', 'brl', 'bsd', 'bwp', 'byn', 'bzd', 'cad', 'cdf', 'chf', 'clp', 'cny', 'cop', 'crc',
  'cve', 'czk', 'djf', 'dkk', 'dop', 'dzd', 'egp', 'etb', 'eur', 'fjd', 'fkp', 'gbp', 'gel', 'gip', 'gmd', 'gnf',
  'gtq', 'gyd', 'hkd', 'hnl', 'hrk', 'htg', 'huf', 'idr', 'ils', 'inr', 'isk', 'jmd', 'jod', 'jpy', 'kes', 'kgs',
  'khr', 'kmf', 'krw', 'kwd', 'kyd', 'kzt', 'lak', 'lbp', 'lkr', 'lrd', 'lsl', 'mad', 'mdl', 'mga', 'mkd', 'mmk',
  'mnt', 'mop', 'mur', 'mvr', 'mwk', 'mxn', 'myr', 'mzn', 'nad', 'ngn', 'nio', 'nok', 'npr', 'nzd', 'omr', 'pab',
  'pen', 'pgk', 'php', 'pkr', 'pln', 'pyg', 'qar', 'ron', 'rsd', 'rub', 'rwf', 'sar', 'sbd', 'scr', 'sek', 'sgd',
  'shp', 'sle', 'sos', 'srd', 'std', 'szl', 'thb', 'tjs', 'tnd', 'top', 'try', 'ttd', 'twd', 'tzs', 'uah', 'ugx',
  'uyu', 'uzs', 'vnd', 'vuv', 'wst', 'xaf', 'xcd', 'xof', 'xpf', 'yer', 'zar', 'zmw',
];

const PRESENTMENT = new Set(PRESENTMENT_CURRENCIES);

export const isPresentmentCurrency = (currency: string): boolean => PRESENTMENT.has(currency);

/**
 * Stripe's published minimum charge amounts, in each currency's smallest unit. Stripe publishes them for
 * its settlement currencies; other currencies are converted to the account's, which oncepay cannot do
 * (see minimumAmount).
 */
export const MINIMUM_AMOUNT: Readonly<Record<string, number>> = {
  usd: 50, aed: 200, aud: 50, bgn: 100, brl: 50, cad: 50, chf: 50, czk: 1500, dkk: 250, eur: 50, gbp: 30,
  hkd: 400, huf: 17500, inr: 50, jpy: 50, krw: 1000, mxn: 1000, myr: 200, nok: 300, nzd: 50, pln: 200,
  ron: 200, sek: 300, sgd: 50, thb: 1000, vnd: 10000, clp: 500, isk: 100, twd: 1500, zar: 50, idr: 1000,
  php: 2500, ils: 200, cny: 400,
};

/** Currencies without a minor unit: 500 means ¥500, not ¥5.00. */
export const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);

/**
 * Currencies with thousandths: 1000 means 1.000 KWD. Stripe's card partners settle them in hundredths,
 * so Stripe requires the last digit of every amount (charge, capture, refund) to be 0.
 */
export const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** Stripe's technical limit: eight digits in the smallest unit, whatever the currency ($999,999.99). */
export const MAX_AMOUNT = 99_999_999;

export const minorUnitDigits = (currency: string): number => (ZERO_DECIMAL.has(currency) ? 0 : THREE_DECIMAL.has(currency) ? 3 : 2);

/**
 * The least a charge (or a partial capture) may be. Without a published minimum, Stripe converts the
 * amount to the settlement currency and holds it to $0.50 there; oncepay has no exchange rates, so it
 * accepts any positive amount — the smallest one the currency can express.
 */
export function minimumAmount(currency: string): number {
  return MINIMUM_AMOUNT[currency] ?? (THREE_DECIMAL.has(currency) ? 10 : 1);
}

/** Stripe's three-decimal rule: amounts must end in 0. Every other currency takes any integer. */
export const endsAsStripeRequires = (amount: number, currency: string): boolean => !THREE_DECIMAL.has(currency) || amount % 10 === 0;

/**
 * Symbols Stripe's messages put before an amount (`$0.50`, `¥50`, `€0.50`). The code after the amount
 * tells the dollars apart where a message has one; a currency not listed is shown by its code (`CHF 0.50`).
 */
const SYMBOL: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    ['usd', 'aud', 'cad', 'nzd', 'sgd', 'hkd', 'mxn', 'twd', 'bsd', 'bbd', 'bmd', 'bnd', 'bzd', 'fjd', 'gyd', 'jmd', 'kyd', 'lrd', 'nad', 'sbd', 'srd', 'ttd', 'xcd']
      .map((code) => [code, '$']),
  ),
  eur: '€', gbp: '£', gip: '£', fkp: '£', shp: '£', jpy: '¥', cny: '¥', krw: '₩', inr: '₹', ils: '₪', vnd: '₫',
  php: '₱', thb: '฿', ngn: '₦', brl: 'R$', zar: 'R', idr: 'Rp', myr: 'RM',
};

/** An amount in the smallest unit as Stripe's messages show money: `$1,234.56`, `¥50`, `KWD 1.000`. */
export function formatMoney(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const [units, fraction] = (amount / 10 ** digits).toFixed(digits).split('.');
  const major = units.replace(/\B(?=(\d{3})+$)/g, ',') + (fraction ? `.${fraction}` : '');
  const symbol = SYMBOL[currency];
  return symbol ? `${symbol}${major}` : `${currency.toUpperCase()} ${major}`;
}
