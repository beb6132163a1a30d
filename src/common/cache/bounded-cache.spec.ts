import { describe, expect, it } from '@jest/globals';
import { BoundedCache } from './bounded-cache.js';

describe('BoundedCache', () => {
  const text = (limits: { entries: number; size: number; entrySize: number }) => new BoundedCache<string>(limits, (s) => s.length);

  it('evicts the least recently used entry once over its count', () => {
    const cache = text({ entries: 2, size: 100, entrySize: 100 });
    cache.set('a', 'A');
    cache.set('b', 'B');
    expect(cache.get('a')).toBe('A'); // now b is the least recently used
    cache.set('c', 'C');
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.count]).toEqual(['A', undefined, 'C', 2]);
  });

  it('evicts in batches, down to a sixteenth under its limits, the least recently used first', () => {
    const cache = text({ entries: 32, size: 1000, entrySize: 1000 });
    for (let i = 0; i < 32; i++) cache.set(`k${i}`, 'v');
    expect(cache.get('k0')).toBe('v'); // k0 is now the most recently used, k1 the least
    cache.set('k32', 'v');
    // 33 > 32: down to 30, so the next two sets evict nothing.
    expect(cache.count).toBe(30);
    expect(['k0', 'k1', 'k2', 'k3', 'k4', 'k32'].map((k) => cache.get(k))).toEqual(['v', undefined, undefined, undefined, 'v', 'v']);
    cache.set('k33', 'v');
    cache.set('k34', 'v');
    expect([cache.count, cache.get('k4'), cache.get('k5')]).toEqual([32, 'v', 'v']);

    const sized = text({ entries: 100, size: 160, entrySize: 100 });
    for (let i = 0; i < 16; i++) sized.set(`s${i}`, 'x'.repeat(10));
    sized.set('big', 'x'.repeat(20)); // 180 > 160: down to 150, so three of the oldest go
    expect([sized.count, sized.get('s0'), sized.get('s2'), sized.get('s3'), sized.get('big')]).toEqual([14, undefined, undefined, 'x'.repeat(10), 'x'.repeat(20)]);
  });

  it('keeps the total size within its limit, replacing an entry counts once, and never keeps an entry over the entry limit', () => {
    const cache = text({ entries: 10, size: 10, entrySize: 6 });
    cache.set('a', 'aaaa');
    cache.set('a', 'aaaa'); // replaced, not counted twice
    cache.set('b', 'bbbb');
    expect([cache.get('a'), cache.get('b')]).toEqual(['aaaa', 'bbbb']);
    cache.set('c', 'cccc'); // 12 > 10: the least recently used (a) goes
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 'bbbb', 'cccc']);
    cache.set('b', 'bbbbbbb'); // over 6: not kept, and the old value is gone too
    expect([cache.get('b'), cache.get('c'), cache.count]).toEqual([undefined, 'cccc', 1]);
  });

  it('deletes by prefix, leaving keys that only start alike', () => {
    const cache = text({ entries: 10, size: 100, entrySize: 100 });
    cache.set('acct_a\nk1', '1');
    cache.set('acct_a\nk2', '2');
    cache.set('acct_ab\nk1', '3');
    cache.deleteWithPrefix('acct_a\n');
    expect([cache.get('acct_a\nk1'), cache.get('acct_a\nk2'), cache.get('acct_ab\nk1'), cache.count]).toEqual([undefined, undefined, '3', 1]);
  });
});
