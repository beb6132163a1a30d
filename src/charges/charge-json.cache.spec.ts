import { describe, expect, it } from '@jest/globals';
import { ApiResponse } from '../common/http/api-response.js';
import type { Tx } from '../database/transaction-runner.js';
import { ChargeJsonCache, MAX_VERSIONED_ACCOUNTS } from './charge-json.cache.js';
import { ChargesRepository, type ChargeRow } from './charges.repository.js';

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

describe('ChargeJsonCache list pages', () => {
  const page = (body: string) => new ApiResponse(200, body);

  it('serves a page until a charge of its account is made, changed or reset; other accounts keep theirs', () => {
    const cache = new ChargeJsonCache();
    const params = '{"limit":10}';
    for (const change of [
      (c: ChargeJsonCache) => c.changed('acct_a'),
      (c: ChargeJsonCache) => c.forget('acct_a', 'ch_1'),
      (c: ChargeJsonCache) => c.forgetAccount('acct_a'),
    ]) {
      cache.setPage('acct_a', params, page('a'));
      cache.setPage('acct_b', params, page('b'));
      expect(cache.page('acct_a', params)?.body).toBe('a');
      change(cache);
      expect(cache.page('acct_a', params)).toBeUndefined();
      expect(cache.page('acct_b', params)?.body).toBe('b');
    }
    expect(cache.page('acct_a', '{"limit":3}')).toBeUndefined();
  });

  it('keeps the versions of at most MAX_VERSIONED_ACCOUNTS accounts, and never serves a page older than its account\'s last change', () => {
    const cache = new ChargeJsonCache();
    cache.setPage('acct_a', '{}', page('before any change'));
    cache.changed('acct_a');
    // Enough other accounts to drop every version, acct_a's among them.
    for (let i = 0; i < MAX_VERSIONED_ACCOUNTS; i++) cache.changed(`acct_${i}`);
    expect(cache.page('acct_a', '{}')).toBeUndefined();

    cache.setPage('acct_a', '{}', page('after'));
    cache.setPage('acct_b', '{}', page('b'));
    expect([cache.page('acct_a', '{}')?.body, cache.page('acct_b', '{}')?.body]).toEqual(['after', 'b']);
    cache.changed('acct_a');
    expect([cache.page('acct_a', '{}'), cache.page('acct_b', '{}')?.body]).toEqual([undefined, 'b']);
  });

  it('a new charge makes its account changed (ChargesRepository.insert)', () => {
    const cache = new ChargeJsonCache();
    cache.setPage('acct_a', '{}', page('before'));
    const tx = { run: () => ({ changes: 1 }) } as unknown as Tx;
    new ChargesRepository(cache).insert(tx, { account: 'acct_a', id: 'ch_new' } as ChargeRow);
    expect(cache.page('acct_a', '{}')).toBeUndefined();
  });
});
