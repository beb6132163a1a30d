import { describe, expect, it } from '@jest/globals';
import { ChargeJsonCache } from './charge-json.cache.js';

describe('ChargeJsonCache', () => {
  it('forgets one account on a reset and keeps the others, even one whose name starts the same', () => {
    const cache = new ChargeJsonCache();
    cache.set('sk_test_a', 'ch_1', '{"a":1}');
    cache.set('sk_test_ab', 'ch_1', '{"ab":1}');
    cache.set('sk_test_a', 'ch_2', '{"a":2}');
    cache.forgetAccount('sk_test_a');
    expect([cache.get('sk_test_a', 'ch_1'), cache.get('sk_test_a', 'ch_2'), cache.get('sk_test_ab', 'ch_1')]).toEqual([undefined, undefined, '{"ab":1}']);
  });
});
