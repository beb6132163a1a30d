/**
 * `data.previous_attributes` of an update event, as Stripe builds it: the old values of the fields that
 * changed (null where there was none). Within a hash (`metadata`, `address`) only its changed keys; an
 * array, or a hash that was null, is given whole.
 */
export function previousAttributes(before: object, after: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const old = before as Record<string, unknown>;
  const now = after as Record<string, unknown>;
  for (const key of new Set([...Object.keys(old), ...Object.keys(now)])) {
    if (JSON.stringify(old[key]) === JSON.stringify(now[key])) continue;
    out[key] = isHash(old[key]) && isHash(now[key]) ? previousAttributes(old[key], now[key]) : (old[key] ?? null);
  }
  return out;
}

const isHash = (value: unknown): value is object => value !== null && typeof value === 'object' && !Array.isArray(value);
