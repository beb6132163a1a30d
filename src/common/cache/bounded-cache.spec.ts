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
