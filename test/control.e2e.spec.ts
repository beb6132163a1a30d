import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Stripe from 'stripe';
import { newKey, startServer, type TestServer } from './support/server.js';
import { send } from './support/wire.js';

describe('control API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('keeps its own POSTs out of the idempotency layer: a key sent with them is neither stored nor replayed', async () => {
    const key = newKey();
    const first = await send(server, 'POST', '/_control/faults', { key, form: { path: '/v1/charges', fault: 'drop_response' }, idempotencyKey: 'control-key' });
    const second = await send(server, 'POST', '/_control/faults', { key, form: { path: '/v1/refunds', fault: 'drop_response' }, idempotencyKey: 'control-key' });

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(second.body).not.toEqual(first.body);
    expect((await send(server, 'GET', '/_control/idempotency_keys/control-key', { key })).status).toBe(404);
  });

  it('shows an idempotency key of the caller’s account, and only of it', async () => {
    const key = newKey();
    const before = Math.floor(Date.now() / 1000);
    const created = await send(server, 'POST', '/v1/customers', { key, form: { name: 'Ada' }, idempotencyKey: 'inspect-me' });
    const inspected = await send(server, 'GET', '/_control/idempotency_keys/inspect-me', { key });

    expect(inspected.status).toBe(200);
    expect(inspected.headers.get('request-id')).toMatch(/^req_/);
    expect(inspected.body).toMatchObject({
      object: 'idempotency_key',
      key: 'inspect-me',
      request_method: 'POST',
      request_path: '/v1/customers',
      recovery_point: 'finished',
      locked_at: null,
      response_code: 200,
      response_body: created.body,
      request_id: created.headers.get('request-id'),
    });
    expect(inspected.body.created).toBeGreaterThanOrEqual(before);
    expect(inspected.body.last_run_at).toBeGreaterThanOrEqual(inspected.body.created);

    const stranger = await send(server, 'GET', '/_control/idempotency_keys/inspect-me', { key: newKey() });
    expect(stranger.status).toBe(404);
    expect(stranger.body.error).toMatchObject({ code: 'resource_missing', param: 'key', message: "No such idempotency_key: 'inspect-me'" });
  });

  it('authenticates like the API', async () => {
    const res = await fetch(`${server.url}/_control/idempotency_keys/x`);
    expect(res.status).toBe(401);
  });

  it('reset deletes every object of the caller’s account and nothing of anyone else’s', async () => {
    const mine = newKey();
    const theirs = newKey();
    for (const key of [mine, theirs]) {
      await send(server, 'POST', '/v1/customers', { key, form: { name: 'one' }, idempotencyKey: 'reset-key' });
      // Replayed twice, so that the key's answer is remembered as well as stored: the reset must forget both.
      for (let i = 0; i < 2; i++) {
        const replay = await send(server, 'POST', '/v1/customers', { key, form: { name: 'one' }, idempotencyKey: 'reset-key' });
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
      }
      await send(server, 'POST', '/v1/customers', { key, form: { name: 'two' } });
      await send(server, 'POST', '/_control/faults', { key, form: { path: '/v1/charges', fault: 'processor_timeout' } });
    }
    const theirCustomers = (await send(server, 'GET', '/v1/customers', { key: theirs })).body.data;
    expect(theirCustomers).toHaveLength(2);

    // A param reset does not know (one that might look like it narrows the reset) is refused, and nothing goes.
    const stray = await send(server, 'POST', '/_control/reset', { key: mine, form: { customer: 'cus_only_this_one' } });
    expect([stray.status, stray.body.error?.param, stray.body.error?.message]).toEqual([400, 'customer', 'Received unknown parameter: customer']);
    expect((await send(server, 'GET', '/v1/customers', { key: mine })).body.data).toHaveLength(2);

    const reset = await send(server, 'POST', '/_control/reset', { key: mine });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ object: 'reset', deleted: { customers: 2, idempotency_keys: 1 } });

    expect((await send(server, 'GET', '/v1/customers', { key: mine })).body.data).toEqual([]);
    expect((await send(server, 'GET', '/_control/idempotency_keys/reset-key', { key: mine })).status).toBe(404);
    expect((await send(server, 'GET', '/_control/faults', { key: mine })).body.data).toEqual([]);
    const fresh = await send(server, 'POST', '/v1/customers', { key: mine, form: { name: 'one' }, idempotencyKey: 'reset-key' });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
    expect((await send(server, 'GET', '/v1/customers', { key: mine })).body.data.map((c: { id: string }) => c.id)).toEqual([fresh.body.id]);

    expect((await send(server, 'GET', '/v1/customers', { key: theirs })).body.data).toEqual(theirCustomers);
    expect((await send(server, 'GET', '/_control/faults', { key: theirs })).body.data).toHaveLength(1);
    expect((await send(server, 'GET', '/_control/idempotency_keys/reset-key', { key: theirs })).body).toMatchObject({ recovery_point: 'finished' });
  });

  it('a reset landing among concurrent charges leaves no event, answer or row of a charge it deleted', async () => {
    const key = newKey();
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // Charges and resets spread over 40 ms, so that at each reset some charges are between two of their phases;
    // half without a key, where nothing but the charge row itself can tell that a reset deleted it.
    const charges = Array.from({ length: 120 }, (_, i) =>
      sleep(i % 40).then(() =>
        send(server, 'POST', '/v1/charges', {
          key,
          form: { amount: 700 + i, currency: 'usd', source: 'tok_visa', description: `c${i}` },
          ...(i % 2 === 0 && { idempotencyKey: `reset-race-${i}` }),
        }),
      ),
    );
    const resets = Array.from({ length: 40 }, (_, i) => sleep(i).then(() => send(server, 'POST', '/_control/reset', { key })));
    const answers = await Promise.all(charges);
    expect((await Promise.all(resets)).map((r) => r.status)).toEqual(Array(40).fill(200));

    // A request whose charge or key a reset deleted under it gets a Stripe error, never a 5xx: 404 for the
    // charge, 409 when its key went (each key is sent once, so no other request can hold it).
    for (const answer of answers) {
      expect([200, 404, 409]).toContain(answer.status);
      if (answer.status === 404) expect(answer.body.error.code).toBe('resource_missing');
      if (answer.status === 409) expect(answer.body.error.message).toMatch(/^The idempotency key 'reset-race-\d+' was deleted while this request was in progress/);
    }
    // Every event left announces a charge that still exists, as the event shows it…
    const stripe = server.stripe(key);
    const events = await stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
    const left = await stripe.charges.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
    const stored = new Map(left.map((charge) => [charge.id, charge.status]));
    for (const event of events) {
      const announced = event.data.object as Stripe.Charge;
      expect([announced.id, stored.get(announced.id)]).toEqual([announced.id, announced.status]);
    }
    // …and every charge left was announced once.
    expect(events.map((e) => (e.data.object as Stripe.Charge).id).sort()).toEqual([...stored.keys()].sort());
  });
});

describe('a reset under a keyed request in flight (CARD_NETWORK_LATENCY_MS=300)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ CARD_NETWORK_LATENCY_MS: '300' });
  });
  afterAll(() => server.close());

  const charge = { amount: 1500, currency: 'usd', source: 'tok_visa', description: 'reset under me' };
  /** Starts a keyed charge, and resets the account while the card network is still thinking about it. */
  async function resetDuring(request: () => Promise<unknown>, key: string) {
    const answer = request();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await send(server, 'POST', '/_control/reset', { key })).status).toBe(200);
    return answer;
  }

  it('answers 409 saying the key was deleted (no other request holds it), and a retry with the key charges once', async () => {
    const key = newKey();
    const first = (await resetDuring(() => send(server, 'POST', '/v1/charges', { key, form: charge, idempotencyKey: 'reset-under-me' }), key)) as Awaited<
      ReturnType<typeof send>
    >;
    expect(first.status).toBe(409);
    expect(first.body.error).toEqual({
      type: 'invalid_request_error',
      code: 'idempotency_key_in_use',
      doc_url: 'https://stripe.com/docs/error-codes/idempotency-key-in-use',
      message: "The idempotency key 'reset-under-me' was deleted while this request was in progress (a reset of the account deletes its keys and objects). Retry the request: the key is free again.",
    });

    const retried = await send(server, 'POST', '/v1/charges', { key, form: charge, idempotencyKey: 'reset-under-me' });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    const stripe = server.stripe(key);
    expect((await stripe.charges.list()).data.map((c) => c.id)).toEqual([retried.body.id]);
    expect((await stripe.events.list()).data.map((e) => [e.type, (e.data.object as Stripe.Charge).id])).toEqual([['charge.succeeded', retried.body.id]]);
  });

  it('is retried by the SDK on its own: the caller gets one charge', async () => {
    const key = newKey();
    const stripe = server.stripe(key, { maxNetworkRetries: 1 });
    const created = (await resetDuring(() => stripe.charges.create(charge, { idempotencyKey: 'sdk-reset-under-me' }), key)) as Stripe.Charge;
    expect(created.status).toBe('succeeded');
    expect((await stripe.charges.list()).data.map((c) => c.id)).toEqual([created.id]);
  });
});

describe('CONTROL_API=off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ CONTROL_API: 'off' });
  });
  afterAll(() => server.close());

  it('removes every /_control route: they answer 404 like any unknown URL', async () => {
    const key = newKey();
    await send(server, 'POST', '/v1/customers', { key, form: { name: 'Ada' }, idempotencyKey: 'k' });
    for (const [method, path] of [
      ['GET', '/_control/idempotency_keys/k'],
      ['GET', '/_control/idempotency_keys'],
      ['GET', '/_control/requests'],
      ['GET', '/_control/webhook_deliveries'],
      ['GET', '/_control/faults'],
      ['POST', '/_control/faults'],
      ['POST', '/_control/reset'],
    ]) {
      const res = await send(server, method, path, { key, ...(method === 'POST' && { form: { path: '/v1/customers', fault: 'drop_response' } }) });
      expect(res.status).toBe(404);
      expect(res.body.error).toEqual({
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      });
    }
    // …and nothing was reset.
    expect((await send(server, 'GET', '/v1/customers', { key })).body.data).toHaveLength(1);
  });
});
