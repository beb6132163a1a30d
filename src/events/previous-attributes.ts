/** `data.previous_attributes` of an update event: the old values of the top-level fields that changed. */
export function previousAttributes(before: object, after: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const old = before as Record<string, unknown>;
  const now = after as Record<string, unknown>;
  for (const key of Object.keys(now)) {
    if (JSON.stringify(old[key]) !== JSON.stringify(now[key])) out[key] = old[key] ?? null;
  }
  return out;
}
