import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { sdkAndApi, uniqueKey } from './support/api.js';
import { startServer, type TestServer } from './support/server.js';

/**
 * The faults of the control API against the other endpoints that move money: refunds and captures
 * (faults.e2e.spec.ts covers charge creation). Exactly one refund or capture per logical request.
 */
const LOCK_TIMEOUT_MS = 300;
const CHARGE = { amount: 1000, currency: 'usd', source: 'tok_visa' } as const;

describe('faults on refunds and captures', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ IDEMPOTENCY_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS), COMPLETER_AFTER_MS: '600000' });
  });
  afterAll(() => server.close());

  const account = (maxNetworkRetries = 3) => sdkAndApi(server, maxNetworkRetries);

  describe('the SDK with maxNetworkRetries: 3 recovers from every fault on POST /v1/refunds', () => {
    it.each([
      ['drop_response', 'drop_response', ''],
      ['processor_timeout', 'processor_timeout', ''],
      ['crash_after_phase refund_created', 'crash_after_phase', 'refund_created'],
      ['crash_after_phase refund_processed', 'crash_after_phase', 'refund_processed'],
      ['crash_after_phase finished', 'crash_after_phase', 'finished'],
    ] as const)('%s: one refund, the charge refunded once', async (_label, fault, phase) => {
      const { stripe, api } = account();
      const charge = await stripe.charges.create({ ...CHARGE });
      await api.armFault({ path: '/v1/refunds', fault, ...(phase && { phase }) });
      const key = uniqueKey(`refund-${fault}-${phase}`);
      const refund = await stripe.refunds.create({ charge: charge.id, amount: 400 }, { idempotencyKey: key });
      expect(refund).toMatchObject({ object: 'refund', status: 'succeeded', amount: 400, charge: charge.id });

      expect((await api.allRefunds()).map((r) => r.id)).toEqual([refund.id]);
      expect(await stripe.charges.retrieve(charge.id)).toMatchObject({ amount_refunded: 400, refunded: false });
      const view = await api.idempotencyKey(key);
      expect(view).toMatchObject({ recovery_point: 'finished', locked_at: null, response_code: 200 });
      expect(view?.response_body.id).toBe(refund.id);
      expect(await api.faults()).toEqual([]);
    });
  });

  describe('the SDK with maxNetworkRetries: 3 recovers from faults on capture', () => {
    it.each([
      ['drop_response', 'drop_response', ''],
      ['processor_timeout', 'processor_timeout', ''],
      ['crash_after_phase capture_requested', 'crash_after_phase', 'capture_requested'],
    ] as const)('%s on /v1/charges/:id/capture: captured once', async (_label, fault, phase) => {
      const { stripe, api } = account();
      const auth = await stripe.charges.create({ ...CHARGE, capture: false });
      await api.armFault({ path: '/v1/charges/:id/capture', fault, ...(phase && { phase }) });
      const key = uniqueKey(`capture-${fault}-${phase}`);
      const captured = await stripe.charges.capture(auth.id, { amount: 700 }, { idempotencyKey: key });
      expect(captured).toMatchObject({ id: auth.id, captured: true, amount_captured: 700, amount_refunded: 300 });
      expect(await stripe.charges.retrieve(auth.id)).toMatchObject({ captured: true, amount_captured: 700 });
      expect(await api.idempotencyKey(key)).toMatchObject({ recovery_point: 'finished', response_code: 200 });
      expect(await api.faults()).toEqual([]);
    });
  });

  describe('step by step over plain HTTP', () => {
    it('a keyless capture whose network answer was lost says a retry is safe, and the retry captures once', async () => {
      const { api } = account();
      const auth = (await api.post('/v1/charges', { ...CHARGE, capture: false })).body;
      await api.armFault({ path: '/v1/charges/:id/capture', fault: 'processor_timeout' });

      const lost = await api.post(`/v1/charges/${auth.id}/capture`, { amount: 700 });
      expect([lost.status, lost.body.error?.type]).toEqual([503, 'api_error']);
      expect(lost.body.error.message).toContain(`capture of ${auth.id} is unknown. Retrying it is safe`);
      expect(lost.headers.get('stripe-should-retry')).toBe('true');

      const retried = await api.post(`/v1/charges/${auth.id}/capture`, { amount: 700 });
      expect(retried.body).toMatchObject({ id: auth.id, captured: true, amount_captured: 700, amount_refunded: 300 });
      expect((await api.get('/v1/events', { type: 'charge.captured' })).body.data).toHaveLength(1);
    });

    it.each(['refund_created', 'refund_processed'])(
      'a refund crashed after %s: key locked there, the refund counted once; the retry resumes the same refund',
      async (phase) => {
        const { api } = account();
        const charge = await api.post('/v1/charges', CHARGE);
        await api.armFault({ path: '/v1/refunds', fault: 'crash_after_phase', phase });
        const key = uniqueKey(`refund-raw-${phase}`);
        const params = { charge: charge.body.id, amount: 600 };

        expect((await api.post('/v1/refunds', params, key)).dropped).toBe(true);
        const view = await api.idempotencyKey(key);
        expect(view).toMatchObject({ request_path: '/v1/refunds', recovery_point: phase, response_code: null });
        expect(view?.locked_at).not.toBeNull();
        expect(view?.resource_id).toMatch(/^re_/);
        // The in-flight refund already holds its share: a second refund cannot over-refund the charge.
        const competing = await api.post('/v1/refunds', { charge: charge.body.id, amount: 600 });
        expect(competing.status).toBe(400);
        expect(competing.body.error.param).toBe('amount');

        await sleep(LOCK_TIMEOUT_MS + 100);
        const retry = await api.post('/v1/refunds', params, key);
        expect(retry.status).toBe(200);
        expect(retry.body).toMatchObject({ id: view?.resource_id, amount: 600, status: 'succeeded' });
        expect((await api.allRefunds()).map((r) => r.id)).toEqual([view?.resource_id]);
        expect((await api.get(`/v1/charges/${charge.body.id}`)).body.amount_refunded).toBe(600);
        expect(await api.idempotencyKey(key)).toMatchObject({ recovery_point: 'finished', locked_at: null, response_code: 200 });
      },
    );

    it('a refund of what an unfinished refund holds says the rest is in flight, not that the charge was refunded', async () => {
      const { api } = account();
      const charge = await api.post('/v1/charges', CHARGE);
      await api.armFault({ path: '/v1/refunds', fault: 'crash_after_phase', phase: 'refund_created' });
      expect((await api.post('/v1/refunds', { charge: charge.body.id }, uniqueKey('refund-all'))).dropped).toBe(true);

      const another = await api.post('/v1/refunds', { charge: charge.body.id });
      expect([another.status, another.body.error.code]).toEqual([400, 'charge_already_refunded']);
      expect(another.body.error.message).toBe(
        `Charge ${charge.body.id} has nothing left to refund: a refund still being processed takes the rest of it. Retrieve the charge's refunds to see how it ends.`,
      );
      expect((await api.get(`/v1/charges/${charge.body.id}`)).body).toMatchObject({ amount_refunded: 0, refunded: false });

      // The same after a partial capture, whose uncaptured rest already counts in amount_refunded.
      const hold = await api.post('/v1/charges', { ...CHARGE, capture: false });
      expect((await api.post(`/v1/charges/${hold.body.id}/capture`, { amount: 500 })).body).toMatchObject({ amount_captured: 500, amount_refunded: 500 });
      await api.armFault({ path: '/v1/refunds', fault: 'crash_after_phase', phase: 'refund_created' });
      expect((await api.post('/v1/refunds', { charge: hold.body.id }, uniqueKey('refund-captured'))).dropped).toBe(true);
      const again = await api.post('/v1/refunds', { charge: hold.body.id });
      expect([again.status, again.body.error.code]).toEqual([400, 'charge_already_refunded']);
      expect(again.body.error.message).toMatch(/a refund still being processed takes the rest of it/);
    });

  });
});
