import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';
import { Api, sdkAndApi, uniqueKey } from './support/api.js';
import { newKey, startServer, type TestServer } from './support/server.js';
import { Messages } from '../src/common/errors/messages.js';

/**
 * Every fault of the control API against every endpoint that moves money: whatever fails, a logical
 * request ends as exactly one object, the client finally gets that object, and its key ends `finished`.
 */
const LOCK_TIMEOUT_MS = 300;
const CHARGE = { amount: 1000, currency: 'usd', source: 'tok_visa' } as const;

describe('faults', () => {
  let server: TestServer;

  beforeAll(async () => {
    // A short lock timeout lets retries take over a crashed request within the SDK's first backoffs;
    // the completer is kept out of the way (these tests are about the client's own retries).
    server = await startServer({ IDEMPOTENCY_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS), COMPLETER_AFTER_MS: '600000' });
  });
  afterAll(() => server.close());

  const account = (maxNetworkRetries = 3) => sdkAndApi(server, maxNetworkRetries);

  async function expectOneFinishedCharge(api: Api, key: string, chargeId: string, status = 'succeeded', code = 200) {
    const charges = await api.allCharges();
    expect(charges.map((c) => c.id)).toEqual([chargeId]);
    expect(charges[0].status).toBe(status);
    const view = await api.idempotencyKey(key);
    expect(view).toMatchObject({ recovery_point: 'finished', locked_at: null, response_code: code });
    if (code === 200) expect(view?.response_body.id).toBe(chargeId);
    else expect(view?.response_body.error.charge).toBe(chargeId);
    expect(await api.faults()).toEqual([]);
  }

  describe('the SDK with maxNetworkRetries: 3 recovers from every fault on POST /v1/charges', () => {
    it('drop_response: the retry is answered from the stored response', async () => {
      const { stripe, api } = account();
      await api.armFault({ path: '/v1/charges', fault: 'drop_response' });
      const key = uniqueKey('drop');
      const charge = await stripe.charges.create({ ...CHARGE }, { idempotencyKey: key });
      expect(charge).toMatchObject({ object: 'charge', status: 'succeeded', amount: 1000, paid: true });
      expect(charge.lastResponse.headers['idempotent-replayed']).toBe('true');
      await expectOneFinishedCharge(api, key, charge.id);
    });

    it('processor_timeout: the retry resumes at charge_created and gets the original authorization', async () => {
      const { stripe, api } = account();
      await api.armFault({ path: '/v1/charges', fault: 'processor_timeout' });
      const key = uniqueKey('timeout');
      const charge = await stripe.charges.create({ ...CHARGE }, { idempotencyKey: key });
      expect(charge).toMatchObject({ status: 'succeeded', paid: true, captured: true });
      await expectOneFinishedCharge(api, key, charge.id);
    });

    it('processor_timeout on a declining card: the retry gets the same decline for the same failed charge', async () => {
      const { stripe, api } = account();
      await api.armFault({ path: '/v1/charges', fault: 'processor_timeout' });
      const key = uniqueKey('timeout-decline');
      const error = (await stripe.charges
        .create({ ...CHARGE, source: 'tok_chargeDeclinedInsufficientFunds' }, { idempotencyKey: key })
        .catch((e: unknown) => e)) as Stripe.errors.StripeError;
      expect(error).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'insufficient_funds' });
      await expectOneFinishedCharge(api, key, error.charge as string, 'failed', 402);
    });

    it.each(['charge_created', 'payment_processed', 'finished'])(
      'crash_after_phase %s: a retry after the lock timeout takes over and finishes the same charge',
      async (phase) => {
        const { stripe, api } = account();
        await api.armFault({ path: '/v1/charges', fault: 'crash_after_phase', phase });
        const key = uniqueKey(`crash-${phase}`);
        const charge = await stripe.charges.create({ ...CHARGE }, { idempotencyKey: key });
        expect(charge).toMatchObject({ object: 'charge', status: 'succeeded', amount: 1000 });
        await expectOneFinishedCharge(api, key, charge.id);
      },
    );

    it('two faults in a row (processor_timeout, then drop_response) still end in one charge', async () => {
      const { stripe, api } = account();
      await api.armFault({ path: '/v1/charges', fault: 'processor_timeout' });
      await api.armFault({ path: '/v1/charges', fault: 'drop_response' });
      const key = uniqueKey('double');
      const charge = await stripe.charges.create({ ...CHARGE }, { idempotencyKey: key });
      expect(charge.status).toBe('succeeded');
      await expectOneFinishedCharge(api, key, charge.id);
    });

    it('without an explicit key the SDK still gets exactly one charge (it keys every POST itself)', async () => {
      const { stripe, api } = account();
      await api.armFault({ path: '/v1/charges', fault: 'drop_response' });
      const charge = await stripe.charges.create({ ...CHARGE });
      expect((await api.allCharges()).map((c) => c.id)).toEqual([charge.id]);
    });
  });

  describe('step by step over plain HTTP', () => {
    it('drop_response: the work commits, the client hears nothing, the retry replays it', async () => {
      const { api } = account();
      await api.armFault({ path: '/v1/charges', fault: 'drop_response' });
      const key = uniqueKey('drop-raw');

      const lost = await api.post('/v1/charges', CHARGE, key);
      expect(lost.dropped).toBe(true);
      const view = await api.idempotencyKey(key);
      expect(view).toMatchObject({ recovery_point: 'finished', locked_at: null, response_code: 200 });
      const charges = await api.allCharges();
      expect(charges).toHaveLength(1);
      expect(charges[0]).toMatchObject({ id: view?.response_body.id, status: 'succeeded' });

      const retry = await api.post('/v1/charges', CHARGE, key);
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body.id).toBe(charges[0].id);
      expect(await api.allCharges()).toHaveLength(1);
    });

    it('processor_timeout: 503 api_error with Stripe-Should-Retry, key unlocked at charge_created; the retry resumes', async () => {
      const { api } = account();
      await api.armFault({ path: '/v1/charges', fault: 'processor_timeout' });
      const key = uniqueKey('timeout-raw');

      const ambiguous = await api.post('/v1/charges', CHARGE, key);
      expect(ambiguous.status).toBe(503);
      expect(ambiguous.body.error.type).toBe('api_error');
      // It names the key to retry with: the SDK's retries use one its caller never saw.
      expect(ambiguous.body.error.message).toBe(
        `The card network did not answer in time, so the outcome of this request is unknown. Retry it with the same Idempotency-Key (${key}): it will resume and get the original answer.`,
      );
      expect(ambiguous.headers.get('stripe-should-retry')).toBe('true');
      const view = await api.idempotencyKey(key);
      expect(view).toMatchObject({ recovery_point: 'charge_created', locked_at: null, response_code: null });
      expect(view?.resource_id).toMatch(/^ch_/);

      const retry = await api.post('/v1/charges', CHARGE, key);
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({ id: view?.resource_id, status: 'succeeded' });
      await expectOneFinishedCharge(api, key, retry.body.id);
    });

    it.each(['started', 'charge_created', 'payment_processed'])(
      'crash_after_phase %s: key left locked at that point; 409 until the lock times out, then the retry resumes',
      async (phase) => {
        const { api } = account();
        await api.armFault({ path: '/v1/charges', fault: 'crash_after_phase', phase });
        const key = uniqueKey(`crash-raw-${phase}`);

        const crashed = await api.post('/v1/charges', CHARGE, key);
        expect(crashed.dropped).toBe(true);
        const view = await api.idempotencyKey(key);
        expect(view).toMatchObject({ recovery_point: phase, response_code: null });
        expect(view?.locked_at).not.toBeNull();
        if (phase !== 'started') expect(view?.resource_id).toMatch(/^ch_/);

        const tooSoon = await api.post('/v1/charges', CHARGE, key);
        expect(tooSoon.status).toBe(409);
        expect(tooSoon.body.error).toMatchObject({ type: 'invalid_request_error', code: 'idempotency_key_in_use' });

        const otherParams = await api.post('/v1/charges', { ...CHARGE, amount: 2000 }, key);
        expect(otherParams.status).toBe(400);
        expect(otherParams.body.error.type).toBe('idempotency_error');

        await sleep(LOCK_TIMEOUT_MS + 100);
        const retry = await api.post('/v1/charges', CHARGE, key);
        expect(retry.status).toBe(200);
        expect(retry.body.status).toBe('succeeded');
        if (phase !== 'started') expect(retry.body.id).toBe(view?.resource_id);
        await expectOneFinishedCharge(api, key, retry.body.id);
      },
    );

    it('crash_after_phase finished: the answer is stored and the key released, so the retry is a plain replay', async () => {
      const { api } = account();
      await api.armFault({ path: '/v1/charges', fault: 'crash_after_phase', phase: 'finished' });
      const key = uniqueKey('crash-raw-finished');
      const crashed = await api.post('/v1/charges', CHARGE, key);
      expect(crashed.dropped).toBe(true);
      const view = await api.idempotencyKey(key);
      expect(view).toMatchObject({ recovery_point: 'finished', locked_at: null, response_code: 200 });

      const retry = await api.post('/v1/charges', CHARGE, key);
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body.id).toBe(view?.response_body.id);
      await expectOneFinishedCharge(api, key, retry.body.id);
    });

    it('a retry that resumes past charge_created is not refused for a card that has expired since: it gets the charge the network authorized', async () => {
      const { api } = account();
      // Only Date is faked (the server runs in this process): the request is made in the card's last
      // minute of validity and retried in the next month.
      jest.useFakeTimers({ doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
      try {
        jest.setSystemTime(new Date('2031-06-30T23:59:00Z'));
        const params = { amount: 1000, currency: 'usd', card: { number: '4242424242424242', exp_month: 6, exp_year: 2031, cvc: '123' } };
        await api.armFault({ path: '/v1/charges', fault: 'crash_after_phase', phase: 'payment_processed' });
        const key = uniqueKey('expires-meanwhile');
        expect((await api.post('/v1/charges', params, key)).dropped).toBe(true);
        const [authorized] = await api.allCharges();
        expect(authorized).toMatchObject({ status: 'succeeded', paid: true });

        jest.setSystemTime(new Date('2031-07-01T00:01:00Z')); // past the card's expiry, and the crashed request's lock
        const retry = await api.post('/v1/charges', params, key);
        expect([retry.status, retry.body.id, retry.body.status]).toEqual([200, authorized.id, 'succeeded']);
        await expectOneFinishedCharge(api, key, authorized.id);
        // A new request with that card now is refused before any charge exists.
        expect((await api.post('/v1/charges', params, uniqueKey('expired-now'))).body.error).toMatchObject({ code: 'invalid_expiry_month' });
      } finally {
        jest.useRealTimers();
      }
    });

    it('a crash without an Idempotency-Key still leaves a consistent charge (no key to inspect)', async () => {
      const { api } = account();
      await api.armFault({ path: '/v1/charges', fault: 'crash_after_phase', phase: 'payment_processed' });
      const crashed = await api.post('/v1/charges', CHARGE);
      expect(crashed.dropped).toBe(true);
      // The charge row exists; without a key nothing can resume it, but it is never half-written.
      const charges = await api.allCharges();
      expect(charges).toHaveLength(1);
      expect(['pending', 'succeeded']).toContain(charges[0].status);
    });
  });

  describe('the fault control API', () => {
    it('answers the fault object, fires count times, then is gone', async () => {
      const { api } = account();
      const armed = await api.post('/_control/faults', { path: '/v1/charges', fault: 'drop_response', count: 2 });
      expect(armed.status).toBe(200);
      expect(armed.body).toMatchObject({ object: 'fault', path: '/v1/charges', fault: 'drop_response', phase: null, remaining: 2 });
      expect(armed.body.id).toEqual(expect.any(String));

      expect((await api.post('/v1/charges', CHARGE, uniqueKey('c1'))).dropped).toBe(true);
      expect((await api.faults())[0]).toMatchObject({ remaining: 1 });
      expect((await api.post('/v1/charges', CHARGE, uniqueKey('c2'))).dropped).toBe(true);
      expect(await api.faults()).toEqual([]);
      expect((await api.post('/v1/charges', CHARGE, uniqueKey('c3'))).status).toBe(200);
      expect(await api.allCharges()).toHaveLength(3);
    });

    it('drop_response takes the answers the endpoint gives (a replay, a decline), not a refusal before any work', async () => {
      const { api } = account();
      const key = uniqueKey('replayed');
      const first = await api.post('/v1/charges', CHARGE, key);
      expect(first.status).toBe(200);

      await api.armFault({ path: '/v1/charges', fault: 'drop_response', count: 2 });
      // A request refused before any work is answered, and the fault stays armed for a real answer.
      const invalid = await api.post('/v1/charges', { ...CHARGE, amount: 'ten' }, uniqueKey('invalid'));
      expect([invalid.status, invalid.body.error?.param]).toEqual([400, 'amount']);
      expect((await api.faults())[0]).toMatchObject({ remaining: 2 });

      expect((await api.post('/v1/charges', CHARGE, key)).dropped).toBe(true);
      const declineKey = uniqueKey('declined');
      expect((await api.post('/v1/charges', { ...CHARGE, source: 'tok_chargeDeclined' }, declineKey)).dropped).toBe(true);
      expect(await api.faults()).toEqual([]);

      const replay = await api.post('/v1/charges', CHARGE, key);
      expect([replay.status, replay.headers.get('idempotent-replayed'), replay.body.id]).toEqual([200, 'true', first.body.id]);
      const decline = await api.post('/v1/charges', { ...CHARGE, source: 'tok_chargeDeclined' }, declineKey);
      expect([decline.status, decline.headers.get('idempotent-replayed'), decline.body.error?.code]).toEqual([402, 'true', 'card_declined']);

      // A key refused in the key phase (other params) is not an answer either; a stored decline's replay is.
      await api.armFault({ path: '/v1/charges', fault: 'drop_response' });
      const mismatch = await api.post('/v1/charges', { ...CHARGE, amount: 999 }, key);
      expect([mismatch.status, mismatch.body.error?.type]).toEqual([400, 'idempotency_error']);
      expect((await api.faults())[0]).toMatchObject({ remaining: 1 });
      expect((await api.post('/v1/charges', { ...CHARGE, source: 'tok_chargeDeclined' }, declineKey)).dropped).toBe(true);
      expect(await api.faults()).toEqual([]);
      expect(await api.allCharges()).toHaveLength(2);
    });

    it('a fault armed on a percent-encoded path is the same path, as requests are compared', async () => {
      const { api } = account();
      const armed = await api.post('/_control/faults', { path: '/v1/%63harges', fault: 'drop_response' });
      expect([armed.status, armed.body.path]).toEqual([200, '/v1/charges']);
      expect((await api.post('/v1/charges', CHARGE, uniqueKey('enc'))).dropped).toBe(true);
    });

    it('a route armed with parameter names of its own is the endpoint\'s route, and fires on its requests', async () => {
      const { api } = account();
      const customer = (await api.post('/v1/customers', { source: 'tok_visa' })).body;
      const armed = await api.post('/_control/faults', { path: '/v1/customers/:customer/sources/:card', fault: 'drop_response' });
      expect([armed.status, armed.body.path]).toEqual([200, '/v1/customers/:customer/sources/:id']);
      expect((await api.post(`/v1/customers/${customer.id}/sources/${customer.default_source}`, { name: 'Jo' })).dropped).toBe(true);
      expect(await api.faults()).toEqual([]);

      const capture = await api.post('/_control/faults', { path: '/v1/charges/:charge/capture', fault: 'processor_timeout' });
      expect([capture.status, capture.body.path]).toEqual([200, '/v1/charges/:id/capture']);
      const half = await api.post('/_control/faults', { path: '/v1/customers/cus_1/sources/:card', fault: 'drop_response' });
      expect([half.status, half.body.error?.param, half.body.error?.message]).toEqual([
        400, 'path',
        "Invalid path: '/v1/customers/cus_1/sources/:card' names some ids by a :name and gives others. Give every id (a request's own path) or name every one (the route, /v1/customers/:customer/sources/:id).",
      ]);
    });

    it('refuses a path with a placeholder where an id goes, which no request would match', async () => {
      const { api } = account();
      // Copied from docs, a shell variable in single quotes, a colon escaped by the client.
      for (const [path, segment] of [['/v1/charges/{id}/capture', '{id}'], ['/v1/charges/$CHARGE/capture', '$CHARGE'], ['/v1/charges/%3Aid/capture', '%3Aid'], ['/v1/customers/<customer>', '<customer>'], ['/v1/charges/%7Bid%7D/capture', '%7Bid%7D'], ['/v1/charges/%24CH/capture', '%24CH'], ['/v1/customers/%3Cid%3E', '%3Cid%3E']]) {
        const res = await api.post('/_control/faults', { path, fault: 'drop_response' });
        expect([res.status, res.body.error?.param]).toEqual([400, 'path']);
        expect(res.body.error.message).toContain(`gives '${segment}' where an id goes, which is a placeholder`);
      }
      expect(await api.faults()).toEqual([]);
    });

    it('a fault is scoped to its account and its path', async () => {
      const a = account();
      const b = account();
      await a.api.armFault({ path: '/v1/charges', fault: 'drop_response' });
      expect((await b.api.post('/v1/charges', CHARGE)).status).toBe(200);
      expect((await a.api.post('/v1/customers', { email: 'x@example.com' })).status).toBe(200);
      expect(await a.api.faults()).toHaveLength(1);
      expect((await a.api.post('/v1/charges', CHARGE)).dropped).toBe(true);
    });

    it('validates its input: crash_after_phase needs a phase, unknown faults and phases are refused', async () => {
      const { api } = account();
      const noPhase = await api.post('/_control/faults', { path: '/v1/charges', fault: 'crash_after_phase' });
      expect(noPhase.status).toBe(400);
      expect(noPhase.body.error.param).toBe('phase');
      const badFault = await api.post('/_control/faults', { path: '/v1/charges', fault: 'meteor' });
      expect(badFault.status).toBe(400);
      expect(badFault.body.error.param).toBe('fault');
      const badPhase = await api.post('/_control/faults', { path: '/v1/charges', fault: 'crash_after_phase', phase: 'lunch' });
      expect(badPhase.status).toBe(400);
      expect(badPhase.body.error.param).toBe('phase');
      // Only API paths: a fault on the control API would swallow the very call that armed or clears it.
      for (const path of ['/_control/faults', '_control/reset', 'nonsense', '*', '/dashboard']) {
        const badPath = await api.post('/_control/faults', { path, fault: 'drop_response' });
        expect([path, badPath.status, badPath.body.error?.param, badPath.body.error?.message]).toEqual([
          path, 400, 'path', expect.stringContaining('/v1/'),
        ]);
      }
      expect((await api.get('/_control/faults')).body.data).toEqual([]);
      expect((await api.delete('/_control/faults')).status).toBe(200);
      // The control GETs that take no params refuse one by name, as the API's do.
      for (const path of ['/_control/faults', '/_control/idempotency_keys/some-key']) {
        const bogus = await api.get(path, { bogus: '1' });
        expect([path, bogus.status, bogus.body.error?.param, bogus.body.error?.message]).toEqual([path, 400, 'bogus', 'Received unknown parameter: bogus']);
      }
      // So does clearing them, in its query or its body, and the faults stay armed.
      await api.armFault({ path: '/v1/charges', fault: 'drop_response' });
      const bogusQuery = await api.delete('/_control/faults?bogus=1');
      expect([bogusQuery.status, bogusQuery.body.error?.param]).toEqual([400, 'bogus']);
      const bogusBody = await fetch(`${server.url}/_control/faults`, {
        method: 'DELETE', headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'bogus=1',
      });
      expect([bogusBody.status, ((await bogusBody.json()) as { error: { param: string } }).error.param]).toEqual([400, 'bogus']);
      expect(await api.faults()).toHaveLength(1);
      expect((await api.delete('/_control/faults')).status).toBe(200);
      expect(await api.faults()).toEqual([]);
    });

    it('refuses a fault that could never fire, saying why, so a typo in a workshop does not fail silently', async () => {
      const { api } = account();
      const refused = async (spec: Record<string, string>) => {
        const res = await api.post('/_control/faults', spec);
        return [res.status, res.body.error?.type, res.body.error?.param, res.body.error?.message];
      };
      expect(await refused({ path: '/v1/chargez', fault: 'drop_response' })).toEqual([
        400, 'invalid_request_error', 'path',
        "Invalid path: '/v1/chargez' is not an API endpoint that faults apply to (POST endpoints such as /v1/charges or /v1/charges/:id/capture).",
      ]);
      expect(await refused({ path: '/v1/../_control/reset', fault: 'drop_response' })).toEqual([400, 'invalid_request_error', 'path', expect.any(String)]);
      for (const path of ['/v1/charges/%E0/capture', '/v1/charges/%ZZ/capture']) {
        expect(await refused({ path, fault: 'drop_response' })).toEqual([400, 'invalid_request_error', 'path', Messages.faultPathUnknown(path)]);
      }
      expect(await refused({ path: '/v1/customers', fault: 'processor_timeout' })).toEqual([
        400, 'invalid_request_error', 'fault',
        'processor_timeout never fires on /v1/customers: it does not call the card network (these do: /v1/charges, /v1/charges/:id/capture, /v1/refunds, /v1/charges/:id/refunds).',
      ]);
      expect(await refused({ path: '/v1/charges', fault: 'crash_after_phase', phase: 'refund_created' })).toEqual([
        400, 'invalid_request_error', 'phase',
        '/v1/charges never reaches the recovery point refund_created: its points are started, charge_created, payment_processed, finished.',
      ]);
      expect(await refused({ path: '/v1/customers/cus_123', fault: 'crash_after_phase', phase: 'charge_created' })).toEqual([
        400, 'invalid_request_error', 'phase',
        '/v1/customers/:id never reaches the recovery point charge_created: its points are started, finished.',
      ]);
      // A refund's cancel is always refused, and an error commits no recovery point.
      for (const phase of ['started', 'finished']) {
        expect(await refused({ path: '/v1/refunds/re_1/cancel', fault: 'crash_after_phase', phase })).toEqual([
          400, 'invalid_request_error', 'phase',
          `/v1/refunds/:id/cancel never reaches the recovery point ${phase}: it always answers an error, and an error commits no recovery point.`,
        ]);
      }
      expect((await api.get('/_control/faults')).body.data).toEqual([]);

      // What can fire is armed, by a concrete path or by its pattern.
      for (const spec of [
        { path: '/v1/refunds', fault: 'crash_after_phase', phase: 'refund_processed' },
        { path: '/v1/charges/ch_123/refunds', fault: 'processor_timeout' },
        { path: '/v1/charges/:id/capture', fault: 'processor_timeout' },
        { path: '/v1/customers/cus_1/sources/card_1', fault: 'drop_response' },
      ]) {
        expect((await api.post('/_control/faults', spec)).status).toBe(200);
      }
      expect((await api.get('/_control/faults')).body.data).toHaveLength(4);
    });
  });
});

describe('a crashed request while its lock is still held', () => {
  let server: TestServer;
  const LONG_LOCK_MS = 1500;

  beforeAll(async () => {
    server = await startServer({ IDEMPOTENCY_LOCK_TIMEOUT_MS: String(LONG_LOCK_MS), COMPLETER_AFTER_MS: '600000' });
  });
  afterAll(() => server.close());

  it('the SDK is told 409 idempotency_key_in_use, keeps retrying, and gets the charge once the lock expires', async () => {
    const secret = newKey();
    const api = new Api(server, secret);
    const stripe = server.stripe(secret, { maxNetworkRetries: 6 });
    await api.armFault({ path: '/v1/charges', fault: 'crash_after_phase', phase: 'charge_created' });
    const key = uniqueKey('held');
    expect((await api.post('/v1/charges', CHARGE, key)).dropped).toBe(true);
    const crashedAt = Date.now();
    const held = await api.post('/v1/charges', CHARGE, key);
    expect(held.status).toBe(409);
    expect(held.body.error.code).toBe('idempotency_key_in_use');

    const charge = await stripe.charges.create({ ...CHARGE }, { idempotencyKey: key });
    expect(Date.now() - crashedAt).toBeGreaterThanOrEqual(LONG_LOCK_MS - 100);
    expect(charge.status).toBe('succeeded');
    expect((await api.allCharges()).map((c) => c.id)).toEqual([charge.id]);
    expect(await api.idempotencyKey(key)).toMatchObject({ recovery_point: 'finished', locked_at: null, response_code: 200 });
  });
});
