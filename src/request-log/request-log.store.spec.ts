import { describe, expect, it } from '@jest/globals';
import type { AppConfig } from '../config/app-config.js';
import { RequestLogStore } from './request-log.store.js';

const config = (requestLogLimit: number, requestLogTotalLimit: number) => ({ requestLogLimit, requestLogTotalLimit }) as AppConfig;
const entry = (account: string, id: string) => ({
  id, account, method: 'GET', path: '/v1/customers', status: 200, idempotency_key: null, replayed: false,
  original_request: null, duration_ms: 1, params: {}, response_body: '{}', created_at: Date.now(),
});
const ids = (store: RequestLogStore, account: string) => store.list(account, { limit: 100 }).rows.map((e) => e.id);

describe('RequestLogStore', () => {
  it('keeps the newest REQUEST_LOG_LIMIT entries of each account', () => {
    const store = new RequestLogStore(config(3, 100));
    for (let i = 1; i <= 5; i++) store.add(entry('acct_a', `req_${i}`));
    expect(ids(store, 'acct_a')).toEqual(['req_5', 'req_4', 'req_3']);
  });

  it('counts only the entries an account keeps toward REQUEST_LOG_TOTAL_LIMIT, not those its own limit dropped', () => {
    const store = new RequestLogStore(config(3, 6));
    for (let i = 1; i <= 10; i++) store.add(entry('acct_busy', `req_${i}`));
    for (const id of ['s1', 's2', 's3']) store.add(entry('acct_other', id));
    // 3 + 3 entries fit in 6: nobody's are forgotten.
    expect(ids(store, 'acct_busy')).toEqual(['req_10', 'req_9', 'req_8']);
    expect(ids(store, 'acct_other')).toEqual(['s3', 's2', 's1']);
  });

  it('holds all accounts together to REQUEST_LOG_TOTAL_LIMIT, forgetting the accounts idle longest first', () => {
    // A test suite that uses a fresh key per test makes a new account per test: memory must not grow with them.
    const store = new RequestLogStore(config(3, 5));
    store.add(entry('acct_old', 'req_o1'));
    store.add(entry('acct_old', 'req_o2'));
    store.add(entry('acct_mid', 'req_m1'));
    store.add(entry('acct_mid', 'req_m2'));
    store.add(entry('acct_old', 'req_o3')); // acct_old is active again: acct_mid is now the idlest
    store.add(entry('acct_new', 'req_n1'));
    store.add(entry('acct_new', 'req_n2'));
    expect(ids(store, 'acct_mid')).toEqual([]);
    expect(ids(store, 'acct_old')).toEqual(['req_o3', 'req_o2', 'req_o1']);
    expect(ids(store, 'acct_new')).toEqual(['req_n2', 'req_n1']);
    for (let i = 0; i < 1000; i++) store.add(entry(`acct_${i}`, `req_x${i}`));
    const total = ['acct_old', 'acct_new', ...Array.from({ length: 1000 }, (_, i) => `acct_${i}`)].reduce((n, a) => n + ids(store, a).length, 0);
    expect(total).toBe(5);
    expect(ids(store, 'acct_999')).toEqual(['req_x999']);
  });

  it('clear forgets an account and gives its room back', () => {
    const store = new RequestLogStore(config(3, 4));
    for (const id of ['r1', 'r2', 'r3']) store.add(entry('acct_a', id));
    expect(store.clear('acct_a')).toBe(3);
    for (const id of ['s1', 's2', 's3']) store.add(entry('acct_b', id));
    store.add(entry('acct_c', 't1'));
    expect([ids(store, 'acct_b'), ids(store, 'acct_c')]).toEqual([['s3', 's2', 's1'], ['t1']]);
  });
});
