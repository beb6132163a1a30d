import { describe, expect, it } from '@jest/globals';
import { newId, randomText } from './ids.js';

describe('ids', () => {
  it('makes Stripe-style ids: the prefix, an underscore and 24 base62 characters, never the same twice', () => {
    const ids = Array.from({ length: 5000 }, () => newId('ch'));
    for (const id of ids) expect(id).toMatch(/^ch_[0-9A-Za-z]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sorts ids by creation time, so new rows append to the id indexes', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(newId('ch'));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect([...ids].sort()).toEqual(ids);
    expect(newId('req', 14)).toMatch(/^req_[0-9A-Za-z]{14}$/);
  });

  it('draws every character of an alphabet equally often', () => {
    // 10 digits do not divide 256: without rejecting bytes 250-255, '0'-'5' would come up 4 % more often.
    const counts = new Map<string, number>();
    // Expected 200,000 each, standard deviation ~424; that bias would be -4,700 for '6'-'9'.
    for (const ch of randomText('0123456789', 2_000_000)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect([...counts.keys()].sort().join('')).toBe('0123456789');
    for (const n of counts.values()) expect(Math.abs(n - 200_000)).toBeLessThan(2_000);
  });

  it('starts with what it is given and has the length asked for', () => {
    expect(randomText('123456789', 1, 'x')).toMatch(/^x[1-9]$/);
    expect(randomText('0123456789ABCDEF', 16)).toMatch(/^[0-9A-F]{16}$/);
  });
});
