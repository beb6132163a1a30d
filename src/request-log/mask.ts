/**
 * Card data never reaches the request log: `card[number]` keeps its last 4 digits, `card[cvc]` none
 * (the same in any card hash, see maskParams), and any other string that looks like a card number is
 * masked wherever it appears: params (JSON numbers too), response, path, Idempotency-Key.
 *
 * "Looks like a card number" (mask when in doubt): in a run of digit groups, any window of consecutive
 * whole groups with 13–19 digits that passes Luhn and either starts with 2–6 (the card networks) or is
 * one unbroken group. The other groups of the run are kept, so an expiry or cvc written next to the card
 * stays readable (`card-••••4242 123`). What touches the run does not matter: a word, `-`, `_`, a JSON
 * escape (`\n4242…`) — an id or a key with a card in it still carries the card. But no card network
 * starts with 0, 1, 7, 8 or 9, so such groups do not begin a card spread over several groups, and ids
 * numbered in groups (`inv-1000-2000-3000-4000-5`, Luhn-valid by chance) stay as they are.
 */

/**
 * A run of digit groups, each one space or dash apart. Bounded by "no digit" rather than `\b`: a letter,
 * `_` or the `n` of a JSON `\n` right before or after the digits must not hide a card.
 */
const DIGIT_RUN = /(?<!\d)\d+(?:[ -]\d+)*(?!\d)/g;

const MIN_PAN = 13;
const MAX_PAN = 19;

export function maskPans(text: string): string {
  // Too short to hold a card (most params, most paths): no regex run at all.
  if (text.length < MIN_PAN) return text;
  return text.replace(DIGIT_RUN, (run: string) => {
    // Most runs (amounts, timestamps) are too short to hold a card: returned at once, nothing allocated.
    if (run.length < MIN_PAN) return run;
    return maskCardsInRun(run);
  });
}

/**
 * A path may hide a card behind percent-encoding (`/v1/customers/4242%204242%204242%204242`): when its
 * decoded form holds one, the log keeps the decoded form, masked; otherwise the path as sent.
 */
export function maskPath(path: string): string {
  const masked = maskPans(path);
  if (!path.includes('%')) return masked;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return masked;
  }
  const maskedDecoded = maskPans(decoded);
  return maskedDecoded === decoded ? masked : maskedDecoded;
}

/**
 * Walks the groups left to right; at each group the longest card-shaped window starting there is masked
 * (so a 19-digit card is not cut to its first 16, nor a card to a shorter Luhn-valid prefix) and the walk
 * goes on after it; a group that starts no window is kept as it is.
 */
function maskCardsInRun(run: string): string {
  const parts = run.split(/([ -])/); // groups at even indexes, the separator before group i at 2i - 1
  const groups = parts.filter((_, i) => i % 2 === 0);
  let out = '';
  for (let i = 0; i < groups.length; ) {
    if (i > 0) out += parts[2 * i - 1];
    const end = cardWindowEnd(groups, i);
    out += end ? lastFour(groups.slice(i, end).join('')) : groups[i];
    i = end || i + 1;
  }
  return out;
}

/** Where the longest card number starting at group `start` ends (exclusive), or 0 when none starts there. */
function cardWindowEnd(groups: string[], start: number): number {
  const first = groups[start];
  // Only a network's first digit may begin a card spread over several groups; any unbroken group may be one.
  const multi = first[0] >= '2' && first[0] <= '6';
  let end = start + 1;
  let length = first.length;
  if (multi) {
    while (end < groups.length && length + groups[end].length <= MAX_PAN) length += groups[end++].length;
  }
  for (; end > start; length -= groups[--end].length) {
    if (length < MIN_PAN) return 0;
    if (length <= MAX_PAN && luhnValid(end === start + 1 ? first : groups.slice(start, end).join(''))) return end;
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
  // An array keeps its key: `card[cvc][]=123` is a cvc, `source[0][number]` a card hash's number.
  if (Array.isArray(value)) return value.map((v) => maskValue(v, key, inCardHash));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const isCardHash = CARD_HASH_KEYS.has(key);
    // A card number can be a param name too (`metadata[4242424242424242]=x`).
    for (const [k, v] of Object.entries(value)) out[maskPans(k)] = maskValue(v, k, isCardHash);
    return out;
  }
  return value;
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
