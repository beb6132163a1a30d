import { ParameterError } from '../errors/stripe-error.js';
import { Messages } from '../errors/messages.js';
import type { Metadata } from './validation.js';

/** Stripe's limit on an object's metadata, counted on the object after an update, not per request. */
export const MAX_METADATA_KEYS = 50;

/**
 * Stripe's metadata update rule: keys merge into what is there, an empty value deletes its key, and
 * `metadata=` (null here) clears everything. More than 50 keys on the result is a 400 on `metadata`.
 */
export function mergeMetadata(current: Metadata, update: Record<string, unknown> | null | undefined): Metadata {
  if (update === undefined) return current;
  if (update === null) return {};
  const merged: Metadata = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === '' || value === null) delete merged[key];
    else merged[key] = String(value);
  }
  if (Object.keys(merged).length > MAX_METADATA_KEYS) throw new ParameterError(Messages.metadataTooManyKeys(), 'metadata');
  return merged;
}
