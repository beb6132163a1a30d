/**
 * Stripe's minimum charge amounts, in each currency's smallest unit. A currency missing here is
 * refused, as Stripe refuses currencies it does not settle.
 */
export const MINIMUM_AMOUNT: Readonly<Record<string, number>> = {
  usd: 50, aed: 200, aud: 50, bgn: 100, brl: 50, cad: 50, chf: 50, czk: 1500, dkk: 250, eur: 50, gbp: 30,
  hkd: 400, huf: 17500, inr: 50, jpy: 50, krw: 1000, mxn: 1000, myr: 200, nok: 300, nzd: 50, pln: 200,
  ron: 200, sek: 300, sgd: 50, thb: 1000, vnd: 10000, clp: 500, isk: 100, twd: 1500, zar: 50, idr: 1000,
  php: 2500, ils: 200, cny: 400,
};

/** Currencies without a minor unit: 500 means ¥500, not ¥5.00. */
export const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);

export const MAX_AMOUNT = 99_999_999;

export const SUPPORTED_CURRENCIES = Object.keys(MINIMUM_AMOUNT);
