/**
 * Card data never reaches the request log: `card[number]` keeps its last 4 digits, `card[cvc]` none
 * (the same in any card hash, see maskParams), and any other string that looks like a card number
 * (13–19 digits passing Luhn, spaces or dashes allowed, other digits around it allowed) is masked
 * wherever it appears: params (JSON numbers too), response, path, Idempotency-Key.
 */

/** A run of digit groups, each one space or dash apart: a card number is the whole run or part of it. */
const DIGIT_RUN = /\b\d+(?:[ -]\d+)*\b/g;

/**
 * How cards are written in groups (4-4-4-4, 19 digits as 4-4-4-4-3, Amex 4-6-5, Diners 4-6-4), longest
 * first so a 19-digit card is not cut to its first 16. Only these are cut out of a longer run.
 */
const CARD_GROUPINGS = [[4, 4, 4, 4, 3], [4, 4, 4, 4], [4, 6, 5], [4, 6, 4]];

export function maskPans(text: string): string {
  return text.replace(DIGIT_RUN, (run: string, offset: number) => {
    const digits = run.replace(/[ -]/g, '');
    if (digits.length < 13) return run; // most runs (amounts, timestamps): too short to hold a card
    if (isPan(digits)) return lastFour(digits);
    // A run joined to a word by a dash (`inv-1000-2000-3000-4000-5`) is an id: its groups number the id,
    // they are not a card written out. An unbroken card number in it is still one (`key-4242424242424242-1`).
    const inId = text[offset - 1] === '-' && /\w/.test(text[offset - 2] ?? '');
    return maskCardsInRun(run, inId);
  });
}

/**
 * A run too long to be one card number can still hold one, with digits before or after it (an expiry,
 * a cvc: `28 4242424242424242`, `4242 4242 4242 4242 123`). Each card-shaped window of whole groups is
 * masked, the other groups kept: one unbroken group of 13–19 digits, or groups in a card's grouping.
 * Other groupings are not combined, so ids and plain long numbers are not cut into a "card" by chance.
 */
function maskCardsInRun(run: string, inId: boolean): string {
  const parts = run.split(/([ -])/); // groups at even indexes, the separator before group i at 2i - 1
  const groups = parts.filter((_, i) => i % 2 === 0);
  let out = '';
  for (let i = 0; i < groups.length; ) {
    if (i > 0) out += parts[2 * i - 1];
    const end = cardWindowEnd(groups, i, inId);
    out += end ? lastFour(groups.slice(i, end).join('')) : groups[i];
    i = end || i + 1;
  }
  return out;
}

/** Where the card number starting at group `start` ends (exclusive), or 0 when none starts there. */
function cardWindowEnd(groups: string[], start: number, inId: boolean): number {
  if (isPan(groups[start])) return start + 1;
  if (inId) return 0;
  for (const sizes of CARD_GROUPINGS) {
    const window = groups.slice(start, start + sizes.length);
    if (window.length === sizes.length && window.every((g, j) => g.length === sizes[j]) && isPan(window.join(''))) return start + sizes.length;
  }
  return 0;
}

/**
 * `number` and `cvc` are card data only inside a card hash: `card` (nested too, `payment_method_data[card]`)
 * or `source` given as a hash (`source[object]=card&source[number]=…`). Elsewhere (`metadata[number]`) they
 * are the client's own values, masked only if they hold a card number, like any other string.
 */
const CARD_HASH_KEYS = new Set(['card', 'source']);

export function maskParams(params: unknown): unknown {
  return maskValue(params, '', false);
}

function maskValue(value: unknown, key: string, inCardHash: boolean): unknown {
  if (typeof value === 'string') {
    if (inCardHash && key === 'number') return lastFour(value.replace(/\D/g, ''));
    if (inCardHash && key === 'cvc') return '***';
    return maskPans(value);
  }
  // A JSON body may send the number as a number; it is logged as masked text then.
  if (typeof value === 'number') {
    const text = String(value);
    const masked = maskValue(text, key, inCardHash);
    return masked === text ? value : masked;
  }
  if (Array.isArray(value)) return value.map((v) => maskValue(v, '', false));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const isCardHash = CARD_HASH_KEYS.has(key);
    // A card number can be a param name too (`metadata[4242424242424242]=x`).
    for (const [k, v] of Object.entries(value)) out[maskPans(k)] = maskValue(v, k, isCardHash);
    return out;
  }
  return value;
}

function isPan(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && luhnValid(digits);
}

function lastFour(digits: string): string {
  return `••••${digits.slice(-4)}`;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
