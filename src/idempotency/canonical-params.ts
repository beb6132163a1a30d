/**
 * The form in which params are stored and compared. Key order and encoding (form vs JSON, `1` vs
 * `"1"`, `null` vs empty) do not matter; values and array order do.
 */
export function canonicalParams(params: unknown): string {
  return JSON.stringify(normalise(params ?? {}));
}

function normalise(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = normalise((value as Record<string, unknown>)[key]);
    return out;
  }
  return String(value);
}
