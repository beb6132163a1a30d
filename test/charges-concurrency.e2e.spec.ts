import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Api, uniqueKey, waitFor } from './support/api.js';
import { newKey, startServer, type TestServer } from './support/server.js';

/**
 * Concurrency made real: the card network answers after CARD_NETWORK_LATENCY_MS, so requests overlap
 * while their network calls are in flight, between their atomic phases.
 */
describe('concurrent charges and refunds', () => {
  let server: TestServer;
  const CHARGE = { amount: 1000, currency: 'usd', source: 'tok_visa' } as const;

  beforeAll(async () => {
    server = await startServer({ CARD_NETWORK_LATENCY_MS: '20' });
  });
  afterAll(() => server.close());

  it('25 concurrent charges with one key: one charge; each answer is that charge or 409 key in use', async () => {
    const api = new Api(server);
    const key = uniqueKey('same');
    const answers = await Promise.all(Array.from({ length: 25 }, () => api.post('/v1/charges', CHARGE, key)));

    const charges = await api.allCharges();
    expect(charges).toHaveLength(1);
    const ok = answers.filter((a) => a.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const a of ok) expect(a.body.id).toBe(charges[0].id);
    expect(ok.filter((a) => a.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200)) {
      expect(a.status).toBe(409);
      expect(a.body.error.code).toBe('idempotency_key_in_use');
    }
    expect(await api.idempotencyKey(key)).toMatchObject({ recovery_point: 'finished', locked_at: null, response_code: 200 });
  });

  it('25 concurrent SDK calls with one key (retrying 409s): all get the same, single charge', async () => {
    const secret = newKey();
    const stripe = server.stripe(secret, { maxNetworkRetries: 5 });
    const key = uniqueKey('same-sdk');
    const charges = await Promise.all(Array.from({ length: 25 }, () => stripe.charges.create({ ...CHARGE }, { idempotencyKey: key })));
    expect(new Set(charges.map((c) => c.id)).size).toBe(1);
    expect(charges[0].status).toBe('succeeded');
    expect((await new Api(server, secret).allCharges()).map((c) => c.id)).toEqual([charges[0].id]);
  });

  it('200 concurrent charges with distinct keys: 200 charges', async () => {
    const api = new Api(server);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => api.post('/v1/charges', { ...CHARGE, amount: 1000 + i }, uniqueKey(`distinct-${i}`))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(200).fill(200));
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(200);
    const charges = await api.allCharges();
    expect(charges).toHaveLength(200);
    expect(new Set(charges.map((c) => c.id))).toEqual(ids);
    expect(charges.every((c) => c.status === 'succeeded')).toBe(true);
    expect(charges.map((c) => c.amount).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => 1000 + i));
  });

  it('10 concurrent 300-cent refunds of a 1000-cent charge: exactly 3 succeed, the rest are 400', async () => {
    const api = new Api(server);
    const charge = await api.post('/v1/charges', CHARGE);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api.post('/v1/refunds', { charge: charge.body.id, amount: 300 }, uniqueKey(`refund-${i}`))),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 200, 400, 400, 400, 400, 400, 400, 400]);
    for (const a of answers.filter((x) => x.status === 400)) expect(a.body.error.type).toBe('invalid_request_error');

    const after = await api.get(`/v1/charges/${charge.body.id}`);
    expect(after.body).toMatchObject({ amount_refunded: 900, refunded: false });
    const refunds = await api.allRefunds({ charge: charge.body.id });
    expect(refunds).toHaveLength(3);
    expect(refunds.reduce((sum, r) => sum + r.amount, 0)).toBe(900);
    expect(refunds.every((r) => r.status === 'succeeded')).toBe(true);
  });

  it('10 concurrent full refunds (no amount, no key): exactly one refunds the charge', async () => {
    const api = new Api(server);
    const charge = await api.post('/v1/charges', CHARGE);
    const answers = await Promise.all(Array.from({ length: 10 }, () => api.post('/v1/refunds', { charge: charge.body.id })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 400)).toHaveLength(9);
    expect((await api.get(`/v1/charges/${charge.body.id}`)).body).toMatchObject({ amount_refunded: 1000, refunded: true });
    expect(await api.allRefunds({ charge: charge.body.id })).toHaveLength(1);
  });

  it('10 concurrent refunds with one key: one refund', async () => {
    const api = new Api(server);
    const charge = await api.post('/v1/charges', CHARGE);
    const key = uniqueKey('refund-same');
    const answers = await Promise.all(Array.from({ length: 10 }, () => api.post('/v1/refunds', { charge: charge.body.id, amount: 100 }, key)));
    const ok = answers.filter((a) => a.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((a) => a.body.id)).size).toBe(1);
    expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true);
    expect((await api.get(`/v1/charges/${charge.body.id}`)).body.amount_refunded).toBe(100);
  });

  it('5 concurrent captures of one authorization: exactly one captures', async () => {
    const api = new Api(server);
    const auth = await api.post('/v1/charges', { ...CHARGE, capture: 'false' });
    expect(auth.body.captured).toBe(false);
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.post(`/v1/charges/${auth.body.id}/capture`, {})));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 400)).toHaveLength(4);
    expect((await api.get(`/v1/charges/${auth.body.id}`)).body).toMatchObject({ captured: true, amount_captured: 1000 });
  });

  it('concurrent captures of one authorization, each with its own Idempotency-Key (as the SDK sends them): exactly one captures, the rest are told it is captured', async () => {
    const api = new Api(server);
    for (let round = 0; round < 5; round++) {
      const auth = await api.post('/v1/charges', { ...CHARGE, capture: 'false' });
      const answers = await Promise.all([
        ...Array.from({ length: 4 }, (_, i) => api.post(`/v1/charges/${auth.body.id}/capture`, { amount: 600 }, uniqueKey(`capture-${i}`))),
        api.post(`/v1/charges/${auth.body.id}/capture`, { amount: 600 }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400, 400, 400]);
      for (const refused of answers.filter((a) => a.status === 400)) expect(refused.body.error?.code).toBe('charge_already_captured');
      expect((await api.get(`/v1/charges/${auth.body.id}`)).body).toMatchObject({ captured: true, amount_captured: 600, amount_refunded: 400 });
      const captured = await api.get('/v1/events', { type: 'charge.captured' });
      expect(captured.body.data.filter((e: { data: { object: { id: string } } }) => e.data.object.id === auth.body.id)).toHaveLength(1);
    }
  });

  it("20 concurrent refunds: each charge.refunded event shows the charge just after its own refund, and one alone says it became refunded", async () => {
    const api = new Api(server);
    const charge = await api.post('/v1/charges', { ...CHARGE, amount: 10000 });
    const refunds = await Promise.all(Array.from({ length: 20 }, () => api.post('/v1/refunds', { charge: charge.body.id, amount: 500 })));
    expect(refunds.map((r) => r.status)).toEqual(Array(20).fill(200));

    type RefundedEvent = { data: { object: { amount_refunded: number; refunded: boolean; refunds: { data: Array<{ id: string }> } }; previous_attributes: { amount_refunded: number; refunded?: boolean } } };
    const events: RefundedEvent[] = (await api.get('/v1/events', { type: 'charge.refunded', limit: 100 })).body.data;
    expect(events).toHaveLength(20);
    // Newest first: 10000, 9500, …, 500 refunded, each 500 more than the one before it.
    expect(events.map((e) => e.data.object.amount_refunded)).toEqual(Array.from({ length: 20 }, (_, i) => 10000 - 500 * i));
    for (const event of events) expect(event.data.previous_attributes.amount_refunded).toBe(event.data.object.amount_refunded - 500);
    expect(events.filter((e) => e.data.previous_attributes.refunded === false).map((e) => e.data.object.amount_refunded)).toEqual([10000]);
    expect(events.filter((e) => e.data.object.refunded)).toHaveLength(1);
  });

  it('concurrent charges and refunds across accounts do not see each other', async () => {
    const a = new Api(server);
    const b = new Api(server);
    await Promise.all([
      ...Array.from({ length: 10 }, () => a.post('/v1/charges', CHARGE, uniqueKey('a'))),
      ...Array.from({ length: 10 }, () => b.post('/v1/charges', CHARGE, uniqueKey('b'))),
    ]);
    expect(await a.allCharges()).toHaveLength(10);
    expect(await b.allCharges()).toHaveLength(10);
  });
});

describe('a request that outlives its lock', () => {
  let server: TestServer;

  beforeAll(async () => {
    // The network answers after 600 ms but a lock is only trusted for 200 ms: a retry may take over.
    server = await startServer({ CARD_NETWORK_LATENCY_MS: '600', IDEMPOTENCY_LOCK_TIMEOUT_MS: '200', COMPLETER_AFTER_MS: '600000' });
  });
  afterAll(() => server.close());

  it('is superseded by the retry that took its key over: the first gets 409, the retry the charge, one charge exists', async () => {
    const api = new Api(server);
    const key = uniqueKey('outlived');
    const params = { amount: 1000, currency: 'usd', source: 'tok_visa' };
    const slow = api.post('/v1/charges', params, key);
    // From when the first request holds the key (not from when it was sent, which a loaded machine may
    // delay): past the 200 ms lock, well before the network's 600 ms answer.
    await waitFor(async () => (await api.idempotencyKey(key))?.locked_at ?? null, 2000);
    await new Promise((resolve) => setTimeout(resolve, 280));
    const retry = api.post('/v1/charges', params, key);
    const [first, second] = await Promise.all([slow, retry]);

    expect(first.status).toBe(409);
    expect(first.body.error.code).toBe('idempotency_key_in_use');
    expect(second.status).toBe(200);
    const charges = await api.allCharges();
    expect(charges.map((c) => [c.id, c.status])).toEqual([[second.body.id, 'succeeded']]);
    expect(await api.idempotencyKey(key)).toMatchObject({ recovery_point: 'finished', locked_at: null, response_code: 200 });
  });
});
