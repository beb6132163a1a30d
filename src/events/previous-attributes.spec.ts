import { describe, expect, it } from '@jest/globals';
import { previousAttributes } from './previous-attributes.js';

describe('previousAttributes', () => {
  it('gives the old values of changed top-level fields, null for ones that were unset', () => {
    expect(previousAttributes({ name: null, email: 'a@x.io', balance: 0 }, { name: 'Ada', email: 'a@x.io', balance: 0 })).toEqual({ name: null });
  });

  it('for a hash such as metadata, only the keys that changed: their old values, null for added keys', () => {
    const before = { metadata: { plan: 'pro', seats: '3', region: 'eu' } };
    const after = { metadata: { plan: 'team', seats: '3', order: '42' } };
    expect(previousAttributes(before, after)).toEqual({ metadata: { plan: 'pro', region: 'eu', order: null } });
    expect(previousAttributes({ metadata: {} }, { metadata: { x: '1' } })).toEqual({ metadata: { x: null } });
  });

  it('a hash that was null, or an array that changed, is given whole', () => {
    expect(previousAttributes({ address: null }, { address: { city: 'Paris' } })).toEqual({ address: null });
    expect(previousAttributes({ address: { city: 'Lyon', line1: 'a' } }, { address: { city: 'Paris', line1: 'a' } })).toEqual({ address: { city: 'Lyon' } });
    expect(previousAttributes({ enabled_events: ['a', 'b'] }, { enabled_events: ['a'] })).toEqual({ enabled_events: ['a', 'b'] });
  });
});
