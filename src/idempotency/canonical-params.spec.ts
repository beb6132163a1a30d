import { describe, expect, it } from '@jest/globals';
import { parseForm } from '../common/http/body-parsers.js';
import { canonicalParams } from './canonical-params.js';

describe('canonicalParams (how a retry is recognised as the same request)', () => {
  it('ignores key order at every level', () => {
    expect(canonicalParams({ name: 'Ada', metadata: { b: '2', a: '1' } })).toBe(
      canonicalParams({ metadata: { a: '1', b: '2' }, name: 'Ada' }),
    );
  });

  it('treats a form body and the same JSON body as one request', () => {
    const fromForm = parseForm('balance=100&metadata[vip]=true&address[city]=Paris&expand[]=x');
    const fromJson = { balance: 100, metadata: { vip: true }, address: { city: 'Paris' }, expand: ['x'] };
    expect(canonicalParams(fromForm)).toBe(canonicalParams(fromJson));
  });

  it('treats null, an empty string and an absent body alike where the wire cannot tell them apart', () => {
    expect(canonicalParams({ email: null })).toBe(canonicalParams({ email: '' }));
    expect(canonicalParams(undefined)).toBe(canonicalParams({}));
    expect(canonicalParams(null)).toBe(canonicalParams({}));
  });

  it('distinguishes different values, extra params and array order', () => {
    const base = canonicalParams({ email: 'a@example.com', expand: ['a', 'b'] });
    expect(canonicalParams({ email: 'b@example.com', expand: ['a', 'b'] })).not.toBe(base);
    expect(canonicalParams({ email: 'a@example.com', expand: ['b', 'a'] })).not.toBe(base);
    expect(canonicalParams({ email: 'a@example.com', expand: ['a', 'b'], name: 'x' })).not.toBe(base);
    expect(canonicalParams({ metadata: { a: '1' } })).not.toBe(canonicalParams({ metadata: { a: '12' } }));
  });

  it('does not confuse a nested hash with a flat key that looks like it', () => {
    expect(canonicalParams({ metadata: { a: '1' } })).not.toBe(canonicalParams({ 'metadata[a]': '1' }));
  });
});
