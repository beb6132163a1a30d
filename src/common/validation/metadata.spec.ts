import { describe, expect, it } from '@jest/globals';
import { mergeMetadata } from './metadata.js';

describe('mergeMetadata (Stripe’s metadata update rule)', () => {
  const current = { plan: 'pro', team: 'core' };

  it('keeps the metadata as it is when the update does not mention it', () => {
    expect(mergeMetadata(current, undefined)).toEqual(current);
  });

  it('adds new keys and overwrites existing ones, keeping the rest', () => {
    expect(mergeMetadata(current, { team: 'payments', region: 'eu' })).toEqual({ plan: 'pro', team: 'payments', region: 'eu' });
  });

  it('deletes a key whose new value is an empty string', () => {
    expect(mergeMetadata(current, { team: '' })).toEqual({ plan: 'pro' });
    expect(mergeMetadata(current, { missing: '' })).toEqual(current);
  });

  it('clears everything on `metadata=` (null)', () => {
    expect(mergeMetadata(current, null)).toEqual({});
  });

  it('stores values as strings, as Stripe returns them', () => {
    expect(mergeMetadata({}, { count: 3, vip: true })).toEqual({ count: '3', vip: 'true' });
  });

  it('does not modify the stored metadata it was given', () => {
    const stored = { plan: 'pro' };
    mergeMetadata(stored, { plan: '', extra: 'x' });
    expect(stored).toEqual({ plan: 'pro' });
  });
});
