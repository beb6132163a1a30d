import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { Api, uniqueKey, waitFor } from './support/api.js';
import { startServer, type TestServer } from './support/server.js';

/**
 * The background completer: a client that gives up after a crash or an ambiguous failure must not leave
 * money half-moved. Keys abandoned mid-way are taken over and driven to `finished`.
 */
const CHARGE = { amount: 1000, currency: 'usd', source: 'tok_visa' } as const;

describe('the completer finishes abandoned keys', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ COMPLETER_INTERVAL_MS: '50', COMPLETER_AFTER_MS: '200', IDEMPOTENCY_LOCK_TIMEOUT_MS: '300' });
  });
  afterAll(() => server.close());

  const finished = (api: Api, key: string) =>
    waitFor(async () => {
      const view = await api.idempotencyKey(key);
      return view?.recovery_point === 'finished' ? view : null;
    }, 5000);

  it.each(['charge_created', 'payment_processed'])(
    'a charge crashed after %s and never retried reaches finished, succeeded; a late retry gets that answer',
    async (phase) => {
      const api = new Api(server);
      await api.armFault({ path: '/v1/charges', fault: 'crash_after_phase', phase });
      const key = uniqueKey(`abandoned-${phase}`);
      expect((await api.post('/v1/charges', CHARGE, key)).dropped).toBe(true);
      const crashed = await api.idempotencyKey(key);
      expect(crashed).toMatchObject({ recovery_point: phase });
      expect(crashed?.locked_at).not.toBeNull();

      const view = await finished(api, key);
      expect(view).toMatchObject({ recovery_point: 'finished', locked_at: null, response_code: 200 });
      expect(view?.response_body).toMatchObject({ id: crashed?.resource_id, object: 'charge', status: 'succeeded' });

      const charges = await api.allCharges();
      expect(charges).toHaveLength(1);
      expect(charges[0]).toMatchObject({ id: crashed?.resource_id, status: 'succeeded', paid: true, captured: true });
      expect(charges[0].balance_transaction).toMatch(/^txn_/);

      const late = await api.post('/v1/charges', CHARGE, key);
      expect(late.status).toBe(200);
      expect(late.headers.get('idempotent-replayed')).toBe('true');
      expect(late.body.id).toBe(crashed?.resource_id);
      expect(await api.allCharges()).toHaveLength(1);
    },
  );

  it('a charge sent to a percent-encoded path (/v1/%63harges) is the same endpoint: its key replays at /v1/charges and the completer finishes it', async () => {
    const api = new Api(server);
    await api.armFault({ path: '/v1/charges', fault: 'crash_after_phase', phase: 'charge_created' });
    const key = uniqueKey('abandoned-encoded');
    expect((await api.post('/v1/%63harges', CHARGE, key)).dropped).toBe(true);
    expect(await api.idempotencyKey(key)).toMatchObject({ request_path: '/v1/charges', recovery_point: 'charge_created' });
    const view = await finished(api, key);
    expect(view).toMatchObject({ response_code: 200 });
    const late = await api.post('/v1/charges', CHARGE, key);
    expect(late.headers.get('idempotent-replayed')).toBe('true');
    expect(late.body.id).toBe(view?.response_body.id);
    expect(await api.allCharges()).toHaveLength(1);
  });

  it('a declining charge abandoned after charge_created is finished as failed, with the 402 stored', async () => {
    const api = new Api(server);
    await api.armFault({ path: '/v1/charges', fault: 'crash_after_phase', phase: 'charge_created' });
    const key = uniqueKey('abandoned-decline');
    expect((await api.post('/v1/charges', { ...CHARGE, source: 'tok_chargeDeclined' }, key)).dropped).toBe(true);
    const view = await finished(api, key);
    expect(view).toMatchObject({ recovery_point: 'finished', response_code: 402 });
    expect(view?.response_body.error).toMatchObject({ type: 'card_error', code: 'card_declined', charge: view?.resource_id });
    const charges = await api.allCharges();
    expect(charges.map((c) => [c.id, c.status])).toEqual([[view?.resource_id, 'failed']]);
  });

  it('a charge left unlocked at charge_created by processor_timeout is finished without a retry', async () => {
    const api = new Api(server);
    await api.armFault({ path: '/v1/charges', fault: 'processor_timeout' });
    const key = uniqueKey('abandoned-timeout');
    const ambiguous = await api.post('/v1/charges', CHARGE, key);
    expect(ambiguous.status).toBe(503);
    const view = await finished(api, key);
    expect(view).toMatchObject({ recovery_point: 'finished', response_code: 200 });
    const charges = await api.allCharges();
    expect(charges.map((c) => [c.id, c.status])).toEqual([[view?.response_body.id, 'succeeded']]);
  });

  it.each(['refund_created', 'refund_processed'])('a refund crashed after %s is finished: one refund, charge updated', async (phase) => {
    const api = new Api(server);
    const charge = await api.post('/v1/charges', CHARGE);
    await api.armFault({ path: '/v1/refunds', fault: 'crash_after_phase', phase });
    const key = uniqueKey(`abandoned-refund-${phase}`);
    expect((await api.post('/v1/refunds', { charge: charge.body.id, amount: 250 }, key)).dropped).toBe(true);

    const view = await finished(api, key);
    expect(view).toMatchObject({ recovery_point: 'finished', response_code: 200 });
    expect(view?.response_body).toMatchObject({ object: 'refund', amount: 250, status: 'succeeded' });
    const refunds = await api.allRefunds();
    expect(refunds.map((r) => r.id)).toEqual([view?.response_body.id]);
    expect((await api.get(`/v1/charges/${charge.body.id}`)).body).toMatchObject({ amount_refunded: 250 });
  });

  it('finishes the same key string in two accounts as two separate charges', async () => {
    const a = new Api(server);
    const b = new Api(server);
    await a.armFault({ path: '/v1/charges', fault: 'crash_after_phase', phase: 'charge_created' });
    await b.armFault({ path: '/v1/charges', fault: 'crash_after_phase', phase: 'charge_created' });
    const key = uniqueKey('shared-key-string');
    expect((await a.post('/v1/charges', CHARGE, key)).dropped).toBe(true);
    expect((await b.post('/v1/charges', { ...CHARGE, amount: 2000 }, key)).dropped).toBe(true);
    await finished(a, key);
    await finished(b, key);
    expect((await a.allCharges()).map((c) => c.amount)).toEqual([1000]);
    expect((await b.allCharges()).map((c) => c.amount)).toEqual([2000]);
  });
});

describe('the completer waits for COMPLETER_AFTER_MS of idleness', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ COMPLETER_INTERVAL_MS: '50', COMPLETER_AFTER_MS: '1500', IDEMPOTENCY_LOCK_TIMEOUT_MS: '300' });
  });
  afterAll(() => server.close());

  it('leaves a recently failed key alone (the client may still retry), then finishes it', async () => {
    const api = new Api(server);
    await api.armFault({ path: '/v1/charges', fault: 'processor_timeout' });
    const key = uniqueKey('young');
    expect((await api.post('/v1/charges', CHARGE, key)).status).toBe(503);
    await sleep(600);
    expect(await api.idempotencyKey(key)).toMatchObject({ recovery_point: 'charge_created', locked_at: null });

    const view = await waitFor(async () => {
      const v = await api.idempotencyKey(key);
      return v?.recovery_point === 'finished' ? v : null;
    }, 5000);
    expect(view).toMatchObject({ response_code: 200 });
    expect((await api.allCharges()).map((c) => c.status)).toEqual(['succeeded']);
  });
});
