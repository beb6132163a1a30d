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

describe('a keyed charge or refund whose events are still owed', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ COMPLETER_INTERVAL_MS: '50', COMPLETER_AFTER_MS: '1500', IDEMPOTENCY_LOCK_TIMEOUT_MS: '300' });
  });
  afterAll(() => server.close());

  type Event = { type: string; data: { object: { id: string; object: string } } };
  const eventTypes = async (api: Api, id: string) =>
    ((await api.get('/v1/events', { limit: 100 })).body.data as Event[])
      .filter((e) => e.data.object.id === id)
      .map((e) => e.type)
      .reverse();

  it('cannot be captured, updated or refunded until its key is finished, so charge.succeeded comes first', async () => {
    const api = new Api(server);
    await api.armFault({ path: '/v1/charges', fault: 'crash_after_phase', phase: 'payment_processed', count: 2 });
    const authKey = uniqueKey('owed-auth');
    const paidKey = uniqueKey('owed-paid');
    expect((await api.post('/v1/charges', { ...CHARGE, capture: false }, authKey)).dropped).toBe(true);
    expect((await api.post('/v1/charges', CHARGE, paidKey)).dropped).toBe(true);
    const auth = (await api.idempotencyKey(authKey))!.resource_id!;
    const paid = (await api.idempotencyKey(paidKey))!.resource_id!;
    expect((await api.get(`/v1/charges/${auth}`)).body).toMatchObject({ status: 'succeeded', captured: false });

    // Refused for now (429 lock_timeout, to be retried), and stored under no key: a retry with it succeeds later.
    const captureKey = uniqueKey('capture-too-early');
    const capture = await api.post(`/v1/charges/${auth}/capture`, {}, captureKey);
    expect([capture.status, capture.body.error?.type, capture.body.error?.code]).toEqual([429, 'invalid_request_error', 'lock_timeout']);
    expect(await api.idempotencyKey(captureKey)).toBeNull();
    expect(capture.body.error.message).toBe(`Charge ${auth} is still being processed and cannot be captured yet.`);
    const update = await api.post(`/v1/charges/${auth}`, { description: 'too early' });
    expect([update.status, update.body.error?.type]).toEqual([429, 'invalid_request_error']);
    expect(update.body.error.message).toBe(`Charge ${auth} is still being processed and cannot be updated yet.`);
    const refund = await api.post('/v1/refunds', { charge: paid });
    expect([refund.status, refund.body.error?.code, refund.body.error?.param]).toEqual([429, 'lock_timeout', 'charge']);
    expect(await api.allRefunds({ charge: paid })).toEqual([]);
    expect((await api.get(`/v1/charges/${auth}`)).body).toMatchObject({ captured: false, description: null });

    // The completer finishes both keys; then each works, and its event follows charge.succeeded.
    for (const key of [authKey, paidKey]) {
      await waitFor(async () => ((await api.idempotencyKey(key))?.recovery_point === 'finished' ? true : null), 8000);
    }
    expect((await api.post(`/v1/charges/${auth}`, { description: 'on time' })).status).toBe(200);
    expect((await api.post(`/v1/charges/${auth}/capture`, {}, captureKey)).status).toBe(200);
    expect((await api.post('/v1/refunds', { charge: paid })).status).toBe(200);
    expect(await eventTypes(api, auth)).toEqual(['charge.succeeded', 'charge.updated', 'charge.captured']);
    expect(await eventTypes(api, paid)).toEqual(['charge.succeeded', 'charge.refunded']);
    // The stored answer a late retry gets is the charge as its request decided it: not captured.
    const late = await api.post('/v1/charges', { ...CHARGE, capture: false }, authKey);
    expect([late.headers.get('idempotent-replayed'), late.body.id, late.body.captured]).toEqual(['true', auth, false]);
  });

  it('a refund cannot be updated until refund.created is out', async () => {
    const api = new Api(server);
    const charge = (await api.post('/v1/charges', CHARGE, uniqueKey('owed-refund-charge'))).body;
    await api.armFault({ path: '/v1/refunds', fault: 'crash_after_phase', phase: 'refund_processed' });
    const key = uniqueKey('owed-refund');
    expect((await api.post('/v1/refunds', { charge: charge.id, amount: 300 }, key)).dropped).toBe(true);
    const refundId = (await api.idempotencyKey(key))!.resource_id!;
    const early = await api.post(`/v1/refunds/${refundId}`, { metadata: { note: 'early' } });
    expect([early.status, early.body.error?.type, early.body.error?.code]).toEqual([429, 'invalid_request_error', 'lock_timeout']);
    expect(early.body.error.message).toBe(`Refund ${refundId} is still being processed and cannot be updated yet.`);
    expect((await api.get(`/v1/refunds/${refundId}`)).body.metadata).toEqual({});

    await waitFor(async () => ((await api.idempotencyKey(key))?.recovery_point === 'finished' ? true : null), 8000);
    expect((await api.post(`/v1/refunds/${refundId}`, { metadata: { note: 'on time' } })).body.metadata).toEqual({ note: 'on time' });
    expect(await eventTypes(api, refundId)).toEqual(['refund.created', 'refund.updated', 'charge.refund.updated']);
  });
});
