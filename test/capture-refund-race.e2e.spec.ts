import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionRunner } from '../src/database/transaction-runner.js';
import { IdempotencyCompleter } from '../src/idempotency/idempotency-completer.js';
import { Api, sdkAndApi, uniqueKey } from './support/api.js';
import { newKey, startServer, type TestServer } from './support/server.js';

/**
 * A capture and a refund of one authorization, interleaved. Refunding an uncaptured charge releases its
 * authorization at the card network; capturing takes the money. Whatever the order, the network must
 * never have captured a hold that oncepay shows released, nor released one it captured: what oncepay
 * records is what the network did.
 */
const LATENCY_MS = 150;

describe('a capture and a refund of the same authorization', () => {
  let server: TestServer;

  beforeAll(async () => {
    // The network takes its time, so a request can arrive while another one is at the network.
    server = await startServer({ CARD_NETWORK_LATENCY_MS: String(LATENCY_MS), IDEMPOTENCY_LOCK_TIMEOUT_MS: '300', COMPLETER_AFTER_MS: '600000' });
  });
  afterAll(() => server.close());

  /** What the card network did for a charge and its refunds, in order. */
  const networkLedger = (chargeId: string) =>
    server.app.get(TransactionRunner).read((tx) =>
      tx.all<{ kind: string; amount: number }>(
        `SELECT kind, amount FROM card_network_operations
         WHERE reference = ? OR reference IN (SELECT id FROM refunds WHERE charge_id = ?) ORDER BY seq`,
        chargeId, chargeId,
      ),
    );
  const hold = async (stripe: ReturnType<typeof sdkAndApi>['stripe']) =>
    stripe.charges.create({ amount: 1000, currency: 'usd', source: 'tok_visa', capture: false });

  it('a refund sent while a capture is at the network is refused; once captured, the captured money can be refunded', async () => {
    const { stripe } = sdkAndApi(server, 0);
    const charges = await Promise.all([1, 2, 3, 4].map(() => hold(stripe)));
    await Promise.all(
      charges.map(async (auth) => {
        const capture = stripe.charges.capture(auth.id, { amount: 600 });
        await sleep(LATENCY_MS / 3);
        const refund = await stripe.refunds.create({ charge: auth.id }).catch((error) => error);
        expect(refund).toMatchObject({ statusCode: 429, code: 'lock_timeout', param: 'charge' });
        expect(refund.headers['stripe-should-retry']).toBe('true');
        expect(refund.message).toBe(
          `Charge ${auth.id} is being captured and cannot be refunded until the capture has finished: retry this refund then. If the capture failed with an error, retry the capture first (the card network captures a charge once); one left unfinished without an Idempotency-Key is finished in the background.`,
        );
        expect(await capture).toMatchObject({ captured: true, amount_captured: 600, amount_refunded: 400 });
        expect(await networkLedger(auth.id)).toEqual([{ kind: 'authorize', amount: 1000 }, { kind: 'capture', amount: 600 }]);

        const refunded = await stripe.refunds.create({ charge: auth.id });
        expect(refunded).toMatchObject({ amount: 600, status: 'succeeded' });
        expect(refunded.balance_transaction).toMatch(/^txn_/);
        expect(await stripe.charges.retrieve(auth.id)).toMatchObject({ captured: true, amount_captured: 600, amount_refunded: 1000, refunded: true });
        expect(await networkLedger(auth.id)).toEqual([
          { kind: 'authorize', amount: 1000 }, { kind: 'capture', amount: 600 }, { kind: 'refund', amount: 600 },
        ]);
      }),
    );
  });

  it('a keyed refund refused while a capture is in flight is not answered for good: its retry with the key refunds, and the SDK retries on its own', async () => {
    const secret = newKey();
    const stripe = server.stripe(secret);
    const api = new Api(server, secret);
    const auth = await hold(stripe);
    const capture = stripe.charges.capture(auth.id, { amount: 600 });
    await sleep(LATENCY_MS / 3);
    const key = uniqueKey('refund-busy');
    const busy = await api.post('/v1/refunds', { charge: auth.id }, key);
    expect([busy.status, busy.body.error?.code, busy.headers.get('stripe-should-retry')]).toEqual([429, 'lock_timeout', 'true']);
    expect(await api.idempotencyKey(key)).toBeNull();
    await capture;
    const retried = await api.post('/v1/refunds', { charge: auth.id }, key);
    expect([retried.status, retried.body.amount, retried.headers.get('idempotent-replayed')]).toEqual([200, 600, null]);

    // The SDK, told to retry, waits out a capture in flight by itself.
    const retrying = server.stripe(secret, { maxNetworkRetries: 3 });
    const other = await hold(stripe);
    const capturing = stripe.charges.capture(other.id);
    await sleep(LATENCY_MS / 3);
    const refunded = await retrying.refunds.create({ charge: other.id });
    expect(refunded).toMatchObject({ amount: 1000, status: 'succeeded' });
    expect((await capturing).captured).toBe(true);
  });

  it('a capture with an expand Stripe refuses is answered at once, not after the capture of that charge already at the network', async () => {
    const { stripe, api } = sdkAndApi(server, 0);
    const auth = await hold(stripe);
    let firstAnswered = false;
    const first = stripe.charges.capture(auth.id).then((charge) => ((firstAnswered = true), charge));
    await sleep(LATENCY_MS / 3);
    const key = uniqueKey('bad-expand');
    const bad = await api.post(`/v1/charges/${auth.id}/capture`, { expand: ['nope'] }, key);
    expect([bad.status, bad.body.error?.message, firstAnswered]).toEqual([400, 'This property cannot be expanded (nope).', false]);
    expect(await first).toMatchObject({ captured: true, amount_captured: 1000 });
  });

  it('a capture sent while a release is at the network is refused before the network captures anything', async () => {
    const { stripe } = sdkAndApi(server, 0);
    const auth = await hold(stripe);
    const release = stripe.refunds.create({ charge: auth.id });
    await sleep(LATENCY_MS / 3);
    const capture = await stripe.charges.capture(auth.id).catch((error) => error);
    expect(capture).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
    expect(await release).toMatchObject({ amount: 1000, status: 'succeeded', balance_transaction: null });
    expect(await stripe.charges.retrieve(auth.id)).toMatchObject({ captured: false, amount_captured: 0, amount_refunded: 1000 });
    expect(await networkLedger(auth.id)).toEqual([{ kind: 'authorize', amount: 1000 }, { kind: 'refund', amount: 1000 }]);
  });

  it('after a capture whose network answer was lost (no key), a refund waits until the capture is retried', async () => {
    const { stripe, api } = sdkAndApi(server, 0);
    const auth = await hold(stripe);
    await api.armFault({ path: '/v1/charges/:id/capture', fault: 'processor_timeout' });
    const lost = await api.post(`/v1/charges/${auth.id}/capture`, { amount: 600 });
    expect(lost.status).toBe(503);
    // The network did capture: releasing the hold now would undo oncepay's view of money that moved.
    const refused = await api.post('/v1/refunds', { charge: auth.id });
    expect([refused.status, refused.body.error?.code]).toEqual([429, 'lock_timeout']);
    expect(await networkLedger(auth.id)).toEqual([{ kind: 'authorize', amount: 1000 }, { kind: 'capture', amount: 600 }]);

    const retried = await api.post(`/v1/charges/${auth.id}/capture`, { amount: 600 });
    expect(retried.body).toMatchObject({ captured: true, amount_captured: 600, amount_refunded: 400 });
    const refund = await api.post('/v1/refunds', { charge: auth.id });
    expect(refund.body).toMatchObject({ amount: 600, status: 'succeeded' });
    expect(await networkLedger(auth.id)).toEqual([
      { kind: 'authorize', amount: 1000 }, { kind: 'capture', amount: 600 }, { kind: 'refund', amount: 600 },
    ]);
  });

  it('a capture noted by a request that died before the network is the one captured: another amount is refused, the same amount finishes it, and the first request\'s retry gets the capture', async () => {
    const { stripe, api } = sdkAndApi(server, 0);
    const auth = await hold(stripe);
    await api.armFault({ path: '/v1/charges/:id/capture', fault: 'crash_after_phase', phase: 'capture_requested' });
    const first = uniqueKey('capture-crashed');
    expect((await api.post(`/v1/charges/${auth.id}/capture`, { amount: 600 }, first)).dropped).toBe(true);
    expect(await networkLedger(auth.id)).toEqual([{ kind: 'authorize', amount: 1000 }]);

    const other = await api.post(`/v1/charges/${auth.id}/capture`, { amount: 300 }, uniqueKey('capture-300'));
    expect([other.status, other.body.error?.code, other.body.error?.param, other.body.error?.message]).toEqual([
      400, 'charge_not_capturable', 'amount',
      `A capture of 600 of charge ${auth.id} is in flight, or its answer was lost: the card network captures a charge once, so this capture cannot be of another amount. Capture 600 (or retry that request) to finish it.`,
    ]);
    const same = await api.post(`/v1/charges/${auth.id}/capture`, { amount: 600 }, uniqueKey('capture-600'));
    expect(same.body).toMatchObject({ captured: true, amount_captured: 600, amount_refunded: 400 });

    await sleep(350); // the crashed request's lock times out
    const retried = await api.post(`/v1/charges/${auth.id}/capture`, { amount: 600 }, first);
    expect([retried.status, retried.body.amount_captured]).toEqual([200, 600]);
    expect(await networkLedger(auth.id)).toEqual([{ kind: 'authorize', amount: 1000 }, { kind: 'capture', amount: 600 }]);
    expect((await api.get('/v1/events', { type: 'charge.captured' })).body.data).toHaveLength(1);
  });

  it('a keyed capture told to retry after a lost answer gets the capture on its retry, even when another request recorded it', async () => {
    const { stripe, api } = sdkAndApi(server, 0);
    const auth = await hold(stripe);
    await api.armFault({ path: '/v1/charges/:id/capture', fault: 'processor_timeout', count: 2 });
    expect((await api.post(`/v1/charges/${auth.id}/capture`, { amount: 500 })).status).toBe(503);
    const key = uniqueKey('capture-joined');
    expect((await api.post(`/v1/charges/${auth.id}/capture`, { amount: 500 }, key)).status).toBe(503);
    expect((await api.post(`/v1/charges/${auth.id}/capture`, { amount: 500 })).body).toMatchObject({ captured: true, amount_captured: 500 });

    const retried = await api.post(`/v1/charges/${auth.id}/capture`, { amount: 500 }, key);
    expect([retried.status, retried.body.amount_captured]).toEqual([200, 500]);
    expect(await api.idempotencyKey(key)).toMatchObject({ recovery_point: 'finished', response_code: 200 });
    // A keyless capture is a new request each time: after the capture it is refused, as a second capture.
    expect((await api.post(`/v1/charges/${auth.id}/capture`, { amount: 500 })).body.error?.code).toBe('charge_already_captured');
    expect(await networkLedger(auth.id)).toEqual([{ kind: 'authorize', amount: 1000 }, { kind: 'capture', amount: 500 }]);
    expect((await api.get('/v1/events', { type: 'charge.captured' })).body.data).toHaveLength(1);
  });

  it('an abandoned keyed refund the completer finds waiting on a capture is kept for a later sweep, not dropped', async () => {
    const { stripe, api } = sdkAndApi(server, 0);
    const auth = await hold(stripe);
    await api.armFault({ path: '/v1/refunds', fault: 'crash_after_phase', phase: 'started' });
    const refundKey = uniqueKey('refund-abandoned');
    expect((await api.post('/v1/refunds', { charge: auth.id }, refundKey)).dropped).toBe(true);
    await api.armFault({ path: '/v1/charges/:id/capture', fault: 'crash_after_phase', phase: 'capture_requested' });
    expect((await api.post(`/v1/charges/${auth.id}/capture`, { amount: 600 }, uniqueKey('capture-abandoned'))).dropped).toBe(true);
    await sleep(350); // both locks time out

    const completer = server.app.get(IdempotencyCompleter);
    await completer.completeAbandoned(Date.now() + 700_000);
    await completer.completeAbandoned(Date.now() + 700_000);
    expect(await api.idempotencyKey(refundKey)).toMatchObject({ recovery_point: 'finished', response_code: 200 });
    expect(await stripe.charges.retrieve(auth.id)).toMatchObject({ captured: true, amount_captured: 600, amount_refunded: 1000, refunded: true });
    expect(await networkLedger(auth.id)).toEqual([
      { kind: 'authorize', amount: 1000 }, { kind: 'capture', amount: 600 }, { kind: 'refund', amount: 600 },
    ]);
  });

  it.each([
    ['its network answer was lost', 'processor_timeout', ''],
    ['it died before asking the network', 'crash_after_phase', 'capture_requested'],
  ] as const)('a keyless capture left noted (%s) is finished by the completer, and the charge can then be refunded', async (_label, fault, phase) => {
    const { stripe, api } = sdkAndApi(server, 0);
    const auth = await hold(stripe);
    await api.armFault({ path: '/v1/charges/:id/capture', fault, ...(phase && { phase }) });
    const left = await api.post(`/v1/charges/${auth.id}/capture`, { amount: 600 });
    expect(left.status === 503 || left.dropped).toBe(true);
    expect((await api.post('/v1/refunds', { charge: auth.id })).body.error?.code).toBe('lock_timeout');

    // A sweep as if COMPLETER_AFTER_MS had passed.
    await server.app.get(IdempotencyCompleter).completeAbandoned(Date.now() + 700_000);
    expect(await stripe.charges.retrieve(auth.id)).toMatchObject({ captured: true, amount_captured: 600, amount_refunded: 400 });
    expect(await networkLedger(auth.id)).toEqual([{ kind: 'authorize', amount: 1000 }, { kind: 'capture', amount: 600 }]);
    expect((await api.get('/v1/events', { type: 'charge.captured' })).body.data).toHaveLength(1);
    expect((await api.post('/v1/refunds', { charge: auth.id })).body).toMatchObject({ amount: 600, status: 'succeeded' });
  });

  it('a keyed capture whose network answer was lost waits at capture_requested; its retry resumes there and records the capture', async () => {
    const { stripe, api } = sdkAndApi(server, 0);
    const auth = await hold(stripe);
    await api.armFault({ path: '/v1/charges/:id/capture', fault: 'processor_timeout' });
    const key = uniqueKey('capture-lost');
    expect((await api.post(`/v1/charges/${auth.id}/capture`, { amount: 700 }, key)).status).toBe(503);
    expect(await api.idempotencyKey(key)).toMatchObject({ recovery_point: 'capture_requested', locked_at: null, response_code: null });
    expect((await api.post('/v1/refunds', { charge: auth.id })).body.error?.code).toBe('lock_timeout');

    const retried = await api.post(`/v1/charges/${auth.id}/capture`, { amount: 700 }, key);
    expect(retried.body).toMatchObject({ captured: true, amount_captured: 700, amount_refunded: 300 });
    expect(await api.idempotencyKey(key)).toMatchObject({ recovery_point: 'finished', response_code: 200 });
    expect((await api.get('/v1/events', { type: 'charge.captured' })).body.data).toHaveLength(1);
    expect(await networkLedger(auth.id)).toEqual([{ kind: 'authorize', amount: 1000 }, { kind: 'capture', amount: 700 }]);
  });
});
