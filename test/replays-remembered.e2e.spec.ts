import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { TransactionRunner } from '../src/database/transaction-runner.js';
import { IdempotencyKeyStore } from '../src/idempotency/idempotency-key.store.js';
import { Api, uniqueKey } from './support/api.js';
import { form, newKey, startServer, type TestServer } from './support/server.js';

/**
 * From its second replay on, a finished key's answer is remembered and a replay is answered before the
 * guards run (RememberedReplays). Everything the guards would have decided must
 * still be decided the same way: each case below replays a key several times, so that the remembered
 * path is the one answering.
 */
describe('replays of a key whose answer is remembered', () => {
  let server: TestServer;
  const CHARGE = { amount: 1500, currency: 'usd', source: 'tok_visa', description: 'remembered' };
  const REPLAYS = 4;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  /** A keyed charge, and its first replay, which is what makes its answer remembered. */
  async function chargedTwice(api: Api, key: string) {
    const first = await api.post('/v1/charges', CHARGE, key);
    expect(first.status).toBe(200);
    expect((await api.post('/v1/charges', CHARGE, key)).headers.get('idempotent-replayed')).toBe('true');
    return first;
  }

  it('answer as the first replay did: the same body, the replay headers, the key echoed, a request id of their own', async () => {
    const api = new Api(server);
    const key = uniqueKey('remembered');
    const first = await chargedTwice(api, key);
    const requestIds = new Set<string>();
    for (let i = 0; i < REPLAYS; i++) {
      const again = await api.post('/v1/charges', CHARGE, key);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.headers.get('original-request')).toBe(first.headers.get('request-id'));
      expect(again.headers.get('idempotency-key')).toBe(key);
      expect(again.headers.get('stripe-version')).toBe('2025-01-27.acacia');
      expect(again.headers.get('content-type')).toBe('application/json; charset=utf-8');
      requestIds.add(again.headers.get('request-id')!);
    }
    expect(requestIds.size).toBe(REPLAYS);
    expect(await api.allCharges()).toHaveLength(1);
  });

  it('are answered before the key phase, and count as requests served (the reaper backs off for them)', async () => {
    const api = new Api(server);
    const key = uniqueKey('remembered-early');
    const first = await chargedTwice(api, key);
    const keyPhase = jest.spyOn(server.app.get(IdempotencyKeyStore), 'findReplay');
    const db = server.app.get(TransactionRunner);
    try {
      const before = db.activity;
      for (let i = 0; i < REPLAYS; i++) expect((await api.post('/v1/charges', CHARGE, key)).body).toEqual(first.body);
      expect(keyPhase).not.toHaveBeenCalled();
      // One each (the webhook dispatcher's once-a-second poll may add a read of its own meanwhile).
      expect(db.activity - before).toBeGreaterThanOrEqual(REPLAYS);
      expect(db.activity - before).toBeLessThanOrEqual(REPLAYS + 2);
      // A request the hook leaves to the guards still goes through the key phase.
      await api.post('/v1/charges', { ...CHARGE, amount: 1600 }, key);
      expect(keyPhase).toHaveBeenCalledTimes(1);
    } finally {
      keyPhase.mockRestore();
    }
  });

  it('are logged as replays of the first request', async () => {
    const api = new Api(server);
    const key = uniqueKey('remembered-log');
    const first = await chargedTwice(api, key);
    for (let i = 0; i < REPLAYS; i++) await api.post('/v1/charges', CHARGE, key);
    // The request log shows each as a replay of the first request.
    const logged = (await api.get('/_control/requests', { idempotency_key: key, limit: 100 })).body.data;
    expect(logged).toHaveLength(REPLAYS + 2);
    expect(logged.slice(0, REPLAYS + 1).every((r: { replayed: boolean; original_request: string }) => r.replayed && r.original_request === first.headers.get('request-id'))).toBe(true);
  });

  it('with other params, or on another endpoint, are refused as before', async () => {
    const api = new Api(server);
    const key = uniqueKey('remembered-mismatch');
    await chargedTwice(api, key);
    for (let i = 0; i < REPLAYS; i++) {
      const other = await api.post('/v1/charges', { ...CHARGE, amount: 1600 }, key);
      expect([other.status, other.body.error.type]).toEqual([400, 'idempotency_error']);
      const elsewhere = await api.post('/v1/customers', { name: 'x' }, key);
      expect([elsewhere.status, elsewhere.body.error.type]).toEqual([400, 'idempotency_error']);
    }
    // The same params in another order and encoding are the same request.
    const json = await fetch(`${server.url}/v1/charges`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ description: 'remembered', source: 'tok_visa', currency: 'usd', amount: 1500 }),
    });
    expect([json.status, json.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
  });

  it('are refused as the guards refuse them: a bad API key, a Connect header, and another account has its own key', async () => {
    const api = new Api(server);
    const key = uniqueKey('remembered-auth');
    const first = await chargedTwice(api, key);
    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}/v1/charges`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': key, ...headers },
        body: form(CHARGE),
      });
    for (let i = 0; i < REPLAYS; i++) {
      expect((await post({ authorization: 'Bearer sk_test_' })).status).toBe(401);
      expect((await post({})).status).toBe(401);
      expect((await post({ authorization: `Bearer ${api.key}`, 'stripe-account': 'acct_other' })).status).toBe(403);
      expect((await post({ authorization: `Bearer ${api.key}`, 'stripe-context': 'acct_other' })).status).toBe(403);
    }
    // The same key string in another account is that account's own, new key.
    const other = new Api(server, newKey());
    const theirs = await other.post('/v1/charges', CHARGE, key);
    expect([theirs.status, theirs.headers.get('idempotent-replayed')]).toEqual([200, null]);
    expect(theirs.body.id).not.toBe(first.body.id);
  });

  it('meet a lost-response fault armed for the account, as any replay does', async () => {
    const api = new Api(server);
    const key = uniqueKey('remembered-fault');
    const first = await chargedTwice(api, key);
    await api.armFault({ path: '/v1/charges', fault: 'drop_response' });
    expect((await api.post('/v1/charges', CHARGE, key)).dropped).toBe(true);
    expect(await api.faults()).toEqual([]);
    const after = await api.post('/v1/charges', CHARGE, key);
    expect([after.status, after.body.id]).toEqual([200, first.body.id]);
  });

  it('are forgotten with the account reset: the key is free again', async () => {
    const api = new Api(server);
    const key = uniqueKey('remembered-reset');
    const first = await chargedTwice(api, key);
    expect((await api.post('/v1/charges', CHARGE, key)).headers.get('idempotent-replayed')).toBe('true');
    expect((await api.post('/_control/reset')).status).toBe(200);
    const fresh = await api.post('/v1/charges', CHARGE, key);
    expect([fresh.status, fresh.headers.get('idempotent-replayed')]).toEqual([200, null]);
    expect(fresh.body.id).not.toBe(first.body.id);
  });

  it('hold under many at once: one charge, every answer the same', async () => {
    const api = new Api(server);
    const key = uniqueKey('remembered-burst');
    const first = await chargedTwice(api, key);
    const answers = await Promise.all(Array.from({ length: 60 }, () => api.post('/v1/charges', CHARGE, key)));
    expect(new Set(answers.map((a) => `${a.status} ${JSON.stringify(a.body)}`))).toEqual(new Set([`200 ${JSON.stringify(first.body)}`]));
    expect(await api.allCharges()).toHaveLength(1);
  });
});
