/**
 * Card data never reaches the request log: `card[number]` keeps its last 4 digits, `card[cvc]` none,
 * and any other string that looks like a card number (13–19 digits passing Luhn, spaces or dashes
 * allowed) is masked wherever it appears: params (JSON numbers too), response, path, Idempotency-Key.
 */
const PAN_CANDIDATE = /\b\d(?:[ -]?\d){12,18}\b/g;

export function maskPans(text: string): string {
  return text.replace(PAN_CANDIDATE, (match) => {
    const digits = match.replace(/[ -]/g, '');
    return luhnValid(digits) ? lastFour(digits) : maskGroupedPrefix(match);
  });
}

/**
 * A grouped number followed by more digits (`4242 4242 4242 4242 123`, a card and its cvc) is one
 * candidate too long to pass Luhn: its leading groups are tried as the card number. Only at group
 * boundaries, so a long id of plain digits is not cut into a "card" by chance.
 */
function maskGroupedPrefix(match: string): string {
  const groups = match.split(/([ -])/);
  for (let end = groups.length - 3; end >= 0; end -= 2) {
    const digits = groups.slice(0, end + 1).join('').replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return lastFour(digits) + groups.slice(end + 1).join('');
  }
  return match;
}

export function maskParams(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (key === 'number') return lastFour(value.replace(/\D/g, ''));
    if (key === 'cvc') return '***';
    return maskPans(value);
  }
  // A JSON body may send the number as a number; it is logged as masked text then.
  if (typeof value === 'number') {
    const text = String(value);
    const masked = maskParams(text, key);
    return masked === text ? value : masked;
  }
  if (Array.isArray(value)) return value.map((v) => maskParams(v));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // A card number can be a param name too (`metadata[4242424242424242]=x`).
    for (const [k, v] of Object.entries(value)) out[maskPans(k)] = maskParams(v, k);
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
