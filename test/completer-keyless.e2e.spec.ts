import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChargesService } from '../src/charges/charges.service.js';
import { Api, waitFor } from './support/api.js';
import { startServer, type TestServer } from './support/server.js';

/**
 * Without an Idempotency-Key there is no key row to resume from, yet money may already have moved at the
 * card network. The completer finishes such charges and refunds from the resource itself, exactly once.
 */
describe('the completer finishes what keyless requests left pending', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ COMPLETER_INTERVAL_MS: '50', COMPLETER_AFTER_MS: '200' });
  });
  afterAll(() => server.close());

  it('a keyless charge whose network answer was lost ends succeeded, with one charge.succeeded event', async () => {
    const api = new Api(server);
    await api.armFault({ path: '/v1/charges', fault: 'processor_timeout' });
    const lost = await api.post('/v1/charges', { amount: 1500, currency: 'usd', source: 'tok_visa' });
    expect(lost.status).toBe(503);
    const [pending] = await api.allCharges();
    expect(pending).toMatchObject({ status: 'pending', paid: false });
    // Without a key a retry is a new charge: the answer must not advise one, and names the charge to look at.
    expect(lost.body.error.type).toBe('api_error');
    expect(lost.body.error.message).not.toMatch(/same Idempotency-Key/);
    expect(lost.body.error.message).toContain(`without an Idempotency-Key`);
    expect(lost.body.error.message).toContain(pending.id);
    // …and the header says so too: a client that obeys it (the SDK does) does not charge twice.
    expect(lost.headers.get('stripe-should-retry')).toBe('false');

    const done = await waitFor(async () => {
      const charge = (await api.get(`/v1/charges/${pending.id}`)).body;
      return charge.status === 'pending' ? null : charge;
    }, 5000);
    expect(done).toMatchObject({ id: pending.id, status: 'succeeded', paid: true, captured: true, amount_captured: 1500 });
    expect(await api.allCharges()).toHaveLength(1);
    const events = (await api.get('/v1/events', { type: 'charge.succeeded' })).body.data;
    expect(events.map((e: { data: { object: { id: string } } }) => e.data.object.id)).toEqual([pending.id]);
  });

  it('a keyless charge crashed after charge_created is finished as the card decides (declined → failed)', async () => {
    const api = new Api(server);
    await api.armFault({ path: '/v1/charges', fault: 'crash_after_phase', phase: 'charge_created' });
    expect((await api.post('/v1/charges', { amount: 900, currency: 'usd', source: 'tok_chargeDeclined' })).dropped).toBe(true);
    const [pending] = await api.allCharges();
    expect(pending.status).toBe('pending');
    const done = await waitFor(async () => {
      const charge = (await api.get(`/v1/charges/${pending.id}`)).body;
      return charge.status === 'pending' ? null : charge;
    }, 5000);
    expect(done).toMatchObject({ status: 'failed', failure_code: 'card_declined', captured: false });
    const failed = (await api.get('/v1/events', { type: 'charge.failed' })).body.data;
    expect(failed).toHaveLength(1);
  });

  it('a keyless refund crashed after refund_created is finished, releasing nothing twice', async () => {
    const api = new Api(server);
    const charge = (await api.post('/v1/charges', { amount: 1000, currency: 'usd', source: 'tok_visa' })).body;
    await api.armFault({ path: '/v1/refunds', fault: 'crash_after_phase', phase: 'refund_created' });
    expect((await api.post('/v1/refunds', { charge: charge.id, amount: 400 })).dropped).toBe(true);
    const [pending] = await api.allRefunds({ charge: charge.id });
    expect(pending).toMatchObject({ status: 'pending', amount: 400 });

    const refund = await waitFor(async () => {
      const r = (await api.get(`/v1/refunds/${pending.id}`)).body;
      return r.status === 'pending' ? null : r;
    }, 5000);
    expect(refund).toMatchObject({ status: 'succeeded', amount: 400 });
    expect((await api.get(`/v1/charges/${charge.id}`)).body).toMatchObject({ amount_refunded: 400, refunded: false });
    // What is left is exactly the rest: 600, not 200 (counted twice) nor 1000 (reservation lost).
    expect((await api.post('/v1/refunds', { charge: charge.id, amount: 601 })).status).toBe(400);
    expect((await api.post('/v1/refunds', { charge: charge.id, amount: 600 })).status).toBe(200);
  });

  it('a keyless charge crashed after payment_processed gets its charge.succeeded event once, from the completer', async () => {
    const api = new Api(server);
    await api.armFault({ path: '/v1/charges', fault: 'crash_after_phase', phase: 'payment_processed' });
    expect((await api.post('/v1/charges', { amount: 1200, currency: 'usd', source: 'tok_visa', description: 'decided, unannounced' })).dropped).toBe(true);
    const charge = (await api.allCharges()).find((c: { description: string }) => c.description === 'decided, unannounced');
    // The outcome committed before the crash; only the event (and the answer) were still owed.
    expect(charge).toMatchObject({ status: 'succeeded', paid: true });
    const announced = await waitFor(async () => {
      const events = (await api.get('/v1/events', { type: 'charge.succeeded' })).body.data;
      const mine = events.filter((e: { data: { object: { id: string } } }) => e.data.object.id === charge.id);
      return mine.length ? mine : null;
    }, 5000);
    expect(announced[0].data.object).toMatchObject({ id: charge.id, status: 'succeeded', amount: 1200 });
    // Several more sweeps: the charge is finished now, so nothing is announced twice.
    await sleep(600);
    const again = (await api.get('/v1/events', { type: 'charge.succeeded' })).body.data;
    expect(again.filter((e: { data: { object: { id: string } } }) => e.data.object.id === charge.id)).toHaveLength(1);
    expect((await api.allCharges()).filter((c: { description: string }) => c.description === 'decided, unannounced')).toHaveLength(1);
  });

  it('a keyless refund crashed after refund_processed gets refund.created and charge.refunded once each', async () => {
    const api = new Api(server);
    const charge = (await api.post('/v1/charges', { amount: 800, currency: 'usd', source: 'tok_visa' })).body;
    await api.armFault({ path: '/v1/refunds', fault: 'crash_after_phase', phase: 'refund_processed' });
    expect((await api.post('/v1/refunds', { charge: charge.id })).dropped).toBe(true);
    const [refund] = await api.allRefunds({ charge: charge.id });
    expect(refund).toMatchObject({ status: 'succeeded', amount: 800 });
    const eventsFor = async (type: string) =>
      ((await api.get('/v1/events', { type })).body.data as Array<{ data: { object: { id: string } } }>).filter(
        (e) => e.data.object.id === (type === 'refund.created' ? refund.id : charge.id),
      );
    await waitFor(async () => ((await eventsFor('charge.refunded')).length ? true : null), 5000);
    await sleep(600);
    expect(await eventsFor('refund.created')).toHaveLength(1);
    const [refunded] = await eventsFor('charge.refunded');
    expect((await eventsFor('charge.refunded')).length).toBe(1);
    expect(refunded.data.object).toMatchObject({ id: charge.id, amount_refunded: 800, refunded: true });
  });

  it('a keyless charge whose event is still owed cannot be captured, updated or refunded until it is finished, so its events stay in order', async () => {
    const later = await startServer({ COMPLETER_INTERVAL_MS: '50', COMPLETER_AFTER_MS: '1500' });
    try {
      const api = new Api(later);
      await api.armFault({ path: '/v1/charges', fault: 'crash_after_phase', phase: 'payment_processed', count: 2 });
      expect((await api.post('/v1/charges', { amount: 1000, currency: 'usd', source: 'tok_visa', capture: false, description: 'auth' })).dropped).toBe(true);
      expect((await api.post('/v1/charges', { amount: 1000, currency: 'usd', source: 'tok_visa', description: 'paid' })).dropped).toBe(true);
      const charges = await api.allCharges();
      const auth = charges.find((c: { description: string }) => c.description === 'auth');
      const paid = charges.find((c: { description: string }) => c.description === 'paid');
      expect([auth.status, paid.status]).toEqual(['succeeded', 'succeeded']);

      const capture = await api.post(`/v1/charges/${auth.id}/capture`, {});
      expect([capture.status, capture.body.error?.code, capture.headers.get('stripe-should-retry')]).toEqual([429, 'lock_timeout', 'true']);
      expect(capture.body.error.message).toBe(`Charge ${auth.id} is still being processed and cannot be captured yet.`);
      const refund = await api.post('/v1/refunds', { charge: paid.id });
      expect([refund.status, refund.body.error?.code, refund.body.error?.param]).toEqual([429, 'lock_timeout', 'charge']);
      expect(refund.body.error.message).toBe(`Charge ${paid.id} is still being processed and cannot be refunded yet.`);
      expect(await api.allRefunds({ charge: paid.id })).toEqual([]);
      const update = await api.post(`/v1/charges/${auth.id}`, { description: 'too early' });
      expect([update.status, update.body.error?.type, update.body.error?.code]).toEqual([429, 'invalid_request_error', 'lock_timeout']);
      expect(update.body.error.message).toBe(`Charge ${auth.id} is still being processed and cannot be updated yet.`);

      // Once the completer has announced them, both work, and each event comes after charge.succeeded.
      await waitFor(async () => ((await api.get('/v1/events', { type: 'charge.succeeded' })).body.data.length === 2 ? true : null), 8000);
      expect((await api.post(`/v1/charges/${auth.id}/capture`, {})).status).toBe(200);
      expect((await api.post('/v1/refunds', { charge: paid.id })).status).toBe(200);
      const types = (id: string) => async () =>
        ((await api.get('/v1/events', { limit: 100 })).body.data as Array<{ type: string; data: { object: { id: string; charge?: string } } }>)
          .filter((e) => e.data.object.id === id && e.type.startsWith('charge.'))
          .map((e) => e.type)
          .reverse();
      expect(await types(auth.id)()).toEqual(['charge.succeeded', 'charge.captured']);
      expect(await types(paid.id)()).toEqual(['charge.succeeded', 'charge.refunded']);
      const succeeded = (await api.get('/v1/events', { type: 'charge.succeeded' })).body.data;
      expect(succeeded.find((e: { data: { object: { id: string } } }) => e.data.object.id === auth.id).data.object.captured).toBe(false);
    } finally {
      await later.close();
    }
  });

  it('leaves a keyless charge that is still in flight to its own request', async () => {
    const slow = await startServer({ COMPLETER_INTERVAL_MS: '50', COMPLETER_AFTER_MS: '0', CARD_NETWORK_LATENCY_MS: '1500' });
    try {
      const api = new Api(slow);
      const answer = await api.post('/v1/charges', { amount: 700, currency: 'usd', source: 'tok_visa' });
      expect(answer.status).toBe(200);
      // Long enough for a wrongful second run (started while the request was in flight) to have finished.
      await sleep(2000);
      const events = (await api.get('/v1/events', { type: 'charge.succeeded' })).body.data;
      expect(events).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it('leaves keyless charges in flight to their requests when they share a commit with failing requests', async () => {
    // A failing unit makes its whole group run again: a keyless charge's first phase runs twice, and
    // only the run that committed may mark its charge as in flight.
    const slow = await startServer({ COMPLETER_INTERVAL_MS: '50', COMPLETER_AFTER_MS: '0', CARD_NETWORK_LATENCY_MS: '1000' });
    try {
      const api = new Api(slow);
      const answers = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          i % 2
            ? api.post('/v1/charges/ch_missing', { description: 'fails inside its unit' })
            : api.post('/v1/charges', { amount: 700 + i, currency: 'usd', source: 'tok_visa' }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 24 }, (_, i) => (i % 2 ? 404 : 200)));
      await sleep(1500);
      const charges = await api.allCharges();
      expect(charges.map((c: { id: string }) => c.id).sort()).toEqual(answers.filter((a) => a.status === 200).map((a) => a.body.id).sort());
      const events = (await api.get('/v1/events', { type: 'charge.succeeded', limit: 100 })).body.data;
      expect(events.map((e: { data: { object: { id: string } } }) => e.data.object.id).sort()).toEqual(charges.map((c: { id: string }) => c.id).sort());
      // Every request has ended: nothing may be left marked in flight, not even a rolled-back run's charge id.
      expect((slow.app.get(ChargesService) as unknown as { keylessInFlight: Set<string> }).keylessInFlight.size).toBe(0);
    } finally {
      await slow.close();
    }
  });
});
