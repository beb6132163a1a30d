import type { Metadata } from './validation.js';

/**
 * Stripe's metadata update rule: keys merge into what is there, an empty value deletes its key, and
 * `metadata=` (null here) clears everything.
 */
export function mergeMetadata(current: Metadata, update: Record<string, unknown> | null | undefined): Metadata {
  if (update === undefined) return current;
  if (update === null) return {};
  const merged: Metadata = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === '' || value === null) delete merged[key];
    else merged[key] = String(value);
  }
  return merged;
}
