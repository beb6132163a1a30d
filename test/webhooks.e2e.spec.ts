import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import request from 'supertest';
import { createServer } from 'node:http';
import { createApp } from '../src/app.factory.js';
import { newKey, startServer, type TestServer } from './support/server.js';
import { startReceiver } from './support/receiver.js';

const FAST = { WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_MAX_ATTEMPTS: '5', WEBHOOK_TIMEOUT_MS: '2000' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('events and signed webhook deliveries', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(FAST);
  });
  afterAll(() => server.close());

  it('delivers charge.succeeded signed so constructEvent accepts it, and lists and retrieves the event', async () => {
    const receiver = await startReceiver();
    const stripe = server.stripe();
    const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['charge.succeeded'] });
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect((await stripe.webhookEndpoints.retrieve(endpoint.id)).secret).toBeUndefined();
    // None asked for: null, as Stripe shows an endpoint on the account's default version.
    expect(endpoint.api_version).toBeNull();
    // Events come in that one version: asking for another is refused, not ignored.
    await expect(stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'], api_version: '2020-08-27' })).rejects.toMatchObject({
      statusCode: 400, param: 'api_version',
      message: 'Invalid api_version: oncepay sends events in API version 2025-01-27.acacia only (got 2020-08-27).',
    });
    // connect=false, as setup scripts send it, is the only kind there is: a Connect endpoint is refused.
    const same = await stripe.webhookEndpoints.create({
      url: receiver.url, enabled_events: ['customer.deleted'], api_version: '2025-01-27.acacia', connect: false,
    });
    expect([same.api_version, (await stripe.webhookEndpoints.retrieve(same.id)).api_version]).toEqual(['2025-01-27.acacia', '2025-01-27.acacia']);
    expect((await stripe.webhookEndpoints.list()).data.map((e) => [e.id, e.api_version])).toEqual([[same.id, '2025-01-27.acacia'], [endpoint.id, null]]);
    await stripe.webhookEndpoints.del(same.id);
    await expect(stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'], connect: true })).rejects.toMatchObject({
      statusCode: 400, param: 'connect', message: expect.stringMatching(/^Invalid connect: oncepay has no connected accounts/),
    });
    expect((await stripe.webhookEndpoints.list()).data.map((e) => e.id)).toEqual([endpoint.id]);

    const charge = await stripe.charges.create({ amount: 1234, currency: 'usd', source: 'tok_visa' }, { idempotencyKey: 'wh-1' });
    const [delivery] = await receiver.until((r) => r.length >= 1);

    const event = stripe.webhooks.constructEvent(delivery.body, delivery.signature, endpoint.secret!);
    expect(event.type).toBe('charge.succeeded');
    // The event carries the charge exactly as the create call answered it.
    const { lastResponse: _, ...answered } = charge;
    expect(event.data.object).toEqual(answered);
    expect(event.request).toEqual({ id: charge.lastResponse.requestId, idempotency_key: 'wh-1' });
    expect(event.id).toMatch(/^evt_/);
    expect(() => stripe.webhooks.constructEvent(delivery.body, delivery.signature, 'whsec_wrong')).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );

    const listed = await stripe.events.list({ type: 'charge.succeeded' });
    expect(listed.data.map((e) => e.id)).toEqual([event.id]);
    expect((await stripe.events.list({ types: ['charge.succeeded', 'customer.created'] })).data.map((e) => e.id)).toEqual([event.id]);
    // A trailing `.*` is the one wildcard; `%` and `_` are letters like any other, and case counts, as in an exact type.
    expect((await stripe.events.list({ type: 'charge.*' })).data.map((e) => e.id)).toEqual([event.id]);
    expect((await stripe.events.list({ types: ['customer.*', 'charge.*'] })).data.map((e) => e.id)).toEqual([event.id]);
    for (const type of ['_harge.*', '%.*', 'CHARGE.*', 'charge.succeede_']) expect([type, (await stripe.events.list({ type })).data]).toEqual([type, []]);
    await expect(stripe.events.list({ type: 'charge.succeeded', types: ['charge.succeeded'] })).rejects.toMatchObject({
      statusCode: 400,
      param: 'types',
      message: 'You may only specify one of these parameters: type, types.',
    });
    // Stripe takes up to 20 types.
    const many = Array.from({ length: 21 }, (_, i) => `charge.type${i}`);
    expect((await stripe.events.list({ types: many.slice(0, 20) })).data).toEqual([]);
    await expect(stripe.events.list({ types: many })).rejects.toMatchObject({
      statusCode: 400,
      param: 'types',
      message: 'Invalid array: types can have at most 20 elements (got 21).',
    });
    const retrieved = await stripe.events.retrieve(event.id);
    expect(retrieved).toMatchObject({ id: event.id, type: 'charge.succeeded', api_version: expect.any(String), livemode: false });
    expect((retrieved.data.object as Stripe.Charge).status).toBe('succeeded');
    await receiver.close();
  });

  it('sends only enabled types; "*" gets everything; a disabled endpoint gets nothing', async () => {
    const only = await startReceiver();
    const all = await startReceiver();
    const off = await startReceiver();
    const stripe = server.stripe();
    await stripe.webhookEndpoints.create({ url: only.url, enabled_events: ['customer.created'] });
    await stripe.webhookEndpoints.create({ url: all.url, enabled_events: ['*'] });
    const disabled = await stripe.webhookEndpoints.create({ url: off.url, enabled_events: ['*'] });
    await stripe.webhookEndpoints.update(disabled.id, { disabled: true });

    const customer = await stripe.customers.create({ email: 'a@example.com' });
    await stripe.customers.update(customer.id, { name: 'Ada' });
    await stripe.charges.create({ amount: 500, currency: 'usd', source: 'tok_chargeDeclined' }).catch(() => undefined);

    await all.until((r) => r.length >= 3);
    await only.until((r) => r.length >= 1);
    await sleep(300);
    expect(only.received.map((r) => r.type)).toEqual(['customer.created']);
    expect(all.received.map((r) => r.type).sort()).toEqual(['charge.failed', 'customer.created', 'customer.updated']);
    expect(off.received).toEqual([]);
    const updated = JSON.parse(all.received.find((r) => r.type === 'customer.updated')!.body) as Stripe.Event;
    expect(updated.data.previous_attributes).toEqual({ name: null });
    // Within metadata, only the keys that changed, null for an added one.
    await stripe.customers.update(customer.id, { metadata: { plan: 'pro', seats: '3' } });
    await stripe.customers.update(customer.id, { metadata: { plan: 'team', order: '42' } });
    const [latest] = (await stripe.events.list({ type: 'customer.updated', limit: 1 })).data;
    expect(latest.data.previous_attributes).toEqual({ metadata: { plan: 'pro', order: null } });
    await Promise.all([only.close(), all.close(), off.close()]);
  });

  it('an endpoint may ask for any Stripe event type, as on Stripe (it only ever gets the ones oncepay sends); a made-up type is refused', async () => {
    const receiver = await startReceiver();
    const stripe = server.stripe();
    const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['payment_intent.succeeded', 'invoice.paid', 'charge.succeeded'] });
    expect(endpoint.enabled_events).toEqual(['payment_intent.succeeded', 'invoice.paid', 'charge.succeeded']);
    const charge = await stripe.charges.create({ amount: 500, currency: 'usd', source: 'tok_visa' });
    const [delivered] = await receiver.until((r) => r.length >= 1);
    expect(JSON.parse(delivered.body).data.object.id).toBe(charge.id);

    const typo = await stripe.webhookEndpoints.update(endpoint.id, { enabled_events: ['charge.succeded' as never] }).catch((e) => e);
    expect(typo).toMatchObject({ statusCode: 400, param: 'enabled_events' });
    expect(typo.message).toContain('charge.succeded');
    expect((await stripe.webhookEndpoints.retrieve(endpoint.id)).enabled_events).toEqual(['payment_intent.succeeded', 'invoice.paid', 'charge.succeeded']);
    await receiver.close();
  });

  it('delivers to a URL with Basic credentials in it, sending them as an Authorization header', async () => {
    const receiver = await startReceiver();
    try {
      const stripe = server.stripe();
      const url = receiver.url.replace('http://', 'http://hook-user:p%40ss@');
      const endpoint = await stripe.webhookEndpoints.create({ url, enabled_events: ['customer.created'] });
      expect(endpoint.url).toBe(url);
      const customer = await stripe.customers.create({ name: 'behind basic auth' });
      const [delivery] = await receiver.until((r) => r.length >= 1);
      expect(delivery.authorization).toBe(`Basic ${Buffer.from('hook-user:p@ss').toString('base64')}`);
      expect(stripe.webhooks.constructEvent(delivery.body, delivery.signature, endpoint.secret!).data.object).toMatchObject({ id: customer.id });
      await stripe.webhookEndpoints.del(endpoint.id);
      // Credentials that do not percent-decode could never be sent: refused, not retried for days.
      const broken = receiver.url.replace('http://', 'http://us%er:pa%ss@');
      expect(await stripe.webhookEndpoints.create({ url: broken, enabled_events: ['*'] }).catch((e) => e)).toMatchObject({
        statusCode: 400, param: 'url', code: 'url_invalid', message: `Invalid URL: ${broken}`,
      });
    } finally {
      await receiver.close();
    }
  });

  it('a replayed request emits no second event', async () => {
    const stripe = server.stripe();
    await stripe.charges.create({ amount: 700, currency: 'usd', source: 'tok_visa' }, { idempotencyKey: 'replayed' });
    const again = await stripe.charges.create({ amount: 700, currency: 'usd', source: 'tok_visa' }, { idempotencyKey: 'replayed' });
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    const events = await stripe.events.list({ type: 'charge.succeeded' });
    expect(events.data).toHaveLength(1);
  });

  it('an account holds at most 16 webhook endpoints, even when 20 are created at once; deleting one frees a slot', async () => {
    const stripe = server.stripe();
    const params = { url: 'https://example.com/hook', enabled_events: ['*'] as ['*'] };
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => stripe.webhookEndpoints.create(params)));

    const created = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as InstanceType<typeof Stripe.errors.StripeError>] : []));
    expect(created).toHaveLength(16);
    expect(refused).toHaveLength(4);
    for (const error of refused) {
      expect(error.statusCode).toBe(400);
      expect(error.type).toBe('StripeInvalidRequestError');
      expect(error.message).toBe('You have reached the maximum of 16 test webhook endpoints.');
    }
    expect((await stripe.webhookEndpoints.list({ limit: 100 })).data).toHaveLength(16);

    await stripe.webhookEndpoints.del(created[0].id);
    await expect(stripe.webhookEndpoints.create(params)).resolves.toMatchObject({ object: 'webhook_endpoint' });
    await expect(stripe.webhookEndpoints.create(params)).rejects.toMatchObject({ statusCode: 400 });
  });
});

describe('webhooks across retries, crashes and restarts', () => {
  it('a failing endpoint (500, 500, then 200) gets three attempts and ends delivered', async () => {
    const server = await startServer(FAST);
    const receiver = await startReceiver([500, 500, 200]);
    const stripe = server.stripe();
    await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['customer.created'] });
    const customer = await stripe.customers.create({ name: 'Retry' });
    await receiver.until((r) => r.length >= 3);
    expect(receiver.received.map((r) => r.type)).toEqual(['customer.created', 'customer.created', 'customer.created']);
    expect(new Set(receiver.received.map((r) => r.eventId)).size).toBe(1);
    const events = await stripe.events.list();
    const { lastResponse: _, ...answered } = customer;
    expect(events.data[0].data.object).toEqual(answered);
    await receiver.close();
    await server.close();
  });

  it('a restart in between still ends delivered', async () => {
    const server = await startServer({ ...FAST, WEBHOOK_RETRY_BASE_MS: '400' });
    const receiver = await startReceiver([500]);
    const apiKey = newKey();
    const stripe = server.stripe(apiKey);
    await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['customer.created'] });
    await stripe.customers.create({ name: 'Survivor' });
    await receiver.until((r) => r.length >= 1);
    // Stop before the retry is due: the pending delivery lives only in the database now.
    await server.app.close();
    expect(receiver.received).toHaveLength(1);

    const restarted = await createApp(server.config);
    await restarted.listen(0, '127.0.0.1');
    await receiver.until((r) => r.length >= 2, 5000);
    const port = (restarted.getHttpServer().address() as { port: number }).port;
    const deliveries = await request(`http://127.0.0.1:${port}`).get('/_control/webhook_deliveries').auth(apiKey, '');
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.data.map((d: { attempt: number; status_code: number }) => [d.attempt, d.status_code])).toEqual([
      [2, 200],
      [1, 500],
    ]);
    expect(deliveries.body.data[0].delivery_status).toBe('succeeded');
    await restarted.close();
    await receiver.close();
  });

  it('stopping does not wait on an endpoint that never answers: its delivery is sent again after the restart, with no attempt counted', async () => {
    const server = await startServer({ ...FAST, WEBHOOK_TIMEOUT_MS: '10000' });
    // Holds the first delivery without answering, as a hung receiver would; answers the next ones.
    const arrivals: string[] = [];
    const endpoint = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        arrivals.push(JSON.parse(body).type);
        if (arrivals.length > 1) res.end('ok');
      });
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const apiKey = newKey();
    const stripe = server.stripe(apiKey);
    await stripe.webhookEndpoints.create({ url: `http://127.0.0.1:${(endpoint.address() as { port: number }).port}/hook`, enabled_events: ['customer.created'] });
    await stripe.customers.create({ name: 'Held' });
    await waitUntil(() => arrivals.length === 1);

    const started = Date.now();
    await server.app.close();
    expect(Date.now() - started).toBeLessThan(2_000);

    const restarted = await createApp(server.config);
    await restarted.listen(0, '127.0.0.1');
    try {
      await waitUntil(() => arrivals.length === 2);
      expect(arrivals).toEqual(['customer.created', 'customer.created']);
      const port = (restarted.getHttpServer().address() as { port: number }).port;
      await waitUntil(async () => (await request(`http://127.0.0.1:${port}`).get('/_control/webhook_deliveries').auth(apiKey, '')).body.data[0]?.delivery_status === 'succeeded');
      const deliveries = await request(`http://127.0.0.1:${port}`).get('/_control/webhook_deliveries').auth(apiKey, '');
      expect(deliveries.body.data.map((d: { attempt: number; status_code: number }) => [d.attempt, d.status_code])).toEqual([[1, 200]]);
    } finally {
      await restarted.close();
      endpoint.closeAllConnections();
      await new Promise((resolve) => endpoint.close(resolve));
    }
  });

  it('a charge resumed after crash_after_phase emits exactly one charge.succeeded', async () => {
    const server = await startServer({ ...FAST, IDEMPOTENCY_LOCK_TIMEOUT_MS: '200', COMPLETER_INTERVAL_MS: '60000' });
    const receiver = await startReceiver();
    const apiKey = newKey();
    const stripe = server.stripe(apiKey);
    await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['charge.succeeded'] });
    for (const phase of ['charge_created', 'payment_processed']) {
      await request(server.url).post('/_control/faults').auth(apiKey, '').type('form').send({ path: '/v1/charges', fault: 'crash_after_phase', phase });
      const key = `crash-${phase}`;
      await expect(
        request(server.url).post('/v1/charges').auth(apiKey, '').set('Idempotency-Key', key).type('form').send('amount=900&currency=usd&source=tok_visa'),
      ).rejects.toThrow();
      await sleep(250);
      const retried = await request(server.url).post('/v1/charges').auth(apiKey, '').set('Idempotency-Key', key).type('form').send('amount=900&currency=usd&source=tok_visa');
      expect(retried.status).toBe(200);
    }
    await receiver.until((r) => r.length >= 2);
    await sleep(300);
    const events = await stripe.events.list({ type: 'charge.succeeded' });
    expect(events.data).toHaveLength(2);
    expect(receiver.received).toHaveLength(2);
    const charges = await stripe.charges.list();
    expect(charges.data).toHaveLength(2);
    expect(new Set(events.data.map((e) => (e.data.object as Stripe.Charge).id))).toEqual(new Set(charges.data.map((c) => c.id)));
    await receiver.close();
    await server.close();
  });

  it('deleting an endpoint ends its retries, and the deliveries view shows no retry still to come', async () => {
    const server = await startServer({ ...FAST, WEBHOOK_RETRY_BASE_MS: '60000' });
    const receiver = await startReceiver([500]);
    const apiKey = newKey();
    const stripe = server.stripe(apiKey);
    const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
    await stripe.customers.create({ name: 'Gone' });
    await receiver.until((r) => r.length >= 1);
    const deliveries = async () => (await request(server.url).get('/_control/webhook_deliveries').auth(apiKey, '')).body.data;
    let attempts = await deliveries();
    for (let i = 0; i < 50 && attempts[0]?.attempt !== 1; i++) {
      await sleep(20);
      attempts = await deliveries();
    }
    expect(attempts).toMatchObject([{ attempt: 1, status_code: 500, delivery_status: 'pending', next_retry: expect.any(Number) }]);

    await stripe.webhookEndpoints.del(endpoint.id);
    expect(await deliveries()).toMatchObject([{ attempt: 1, status_code: 500, delivery_status: 'failed', next_retry: null }]);
    await receiver.close();
    await server.close();
  });

  it('deleting an endpoint while an attempt is in flight still ends its retries', async () => {
    const server = await startServer({ ...FAST, WEBHOOK_RETRY_BASE_MS: '50' });
    let arrived = 0;
    let answer: () => void = () => {};
    const slow = createServer((req, res) => {
      arrived++;
      req.resume();
      answer = () => res.writeHead(500).end('no');
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const apiKey = newKey();
    const stripe = server.stripe(apiKey);
    const endpoint = await stripe.webhookEndpoints.create({ url: `http://127.0.0.1:${(slow.address() as { port: number }).port}/`, enabled_events: ['*'] });
    await stripe.customers.create({ name: 'In flight' });
    for (let i = 0; i < 100 && arrived === 0; i++) await sleep(20);
    expect(arrived).toBe(1);

    await stripe.webhookEndpoints.del(endpoint.id);
    answer(); // the attempt that was in flight fails after the endpoint is gone
    await sleep(600); // twelve retry intervals
    expect(arrived).toBe(1);
    const deliveries = (await request(server.url).get('/_control/webhook_deliveries').auth(apiKey, '')).body.data;
    expect(deliveries).toMatchObject([{ attempt: 1, status_code: 500, delivery_status: 'failed', next_retry: null }]);
    slow.closeAllConnections();
    await new Promise((resolve) => slow.close(resolve));
    await server.close();
  });

  it('events.list({ delivery_success }) tells events whose webhooks all arrived from those still pending or given up', async () => {
    const server = await startServer({ ...FAST, WEBHOOK_MAX_ATTEMPTS: '2' });
    const fine = await startReceiver();
    const broken = await startReceiver([500, 500, 500]);
    const stripe = server.stripe();
    await stripe.webhookEndpoints.create({ url: fine.url, enabled_events: ['customer.created'] });
    await stripe.webhookEndpoints.create({ url: broken.url, enabled_events: ['customer.updated'] });

    const customer = await stripe.customers.create({ name: 'Delivered' });
    await stripe.customers.update(customer.id, { name: 'Never delivered' });
    // Pending counts as not (yet) delivered.
    const pending = await stripe.events.list({ delivery_success: false });
    expect(pending.data.map((e) => e.type)).toContain('customer.updated');

    await fine.until((r) => r.length >= 1);
    await broken.until((r) => r.length >= 2); // both attempts made: given up
    const failed = await stripe.events.list({ delivery_success: false });
    expect(failed.data.map((e) => e.type)).toEqual(['customer.updated']);
    // Delivered, or with no webhook to deliver (the charge's events): all that was owed arrived.
    await stripe.charges.create({ amount: 500, currency: 'usd', source: 'tok_visa' });
    const delivered = await stripe.events.list({ delivery_success: true });
    expect(delivered.data.map((e) => e.type)).toEqual(['charge.succeeded', 'customer.created']);
    expect((await stripe.events.list()).data).toHaveLength(3);
    const bad = await request(server.url).get('/v1/events?delivery_success=maybe').auth(newKey(), '');
    expect([bad.status, bad.body.error?.param]).toEqual([400, 'delivery_success']);
    await fine.close();
    await broken.close();
    await server.close();
  });

  it('resends an event on request and shows every attempt in the control API', async () => {
    const server = await startServer(FAST);
    const receiver = await startReceiver();
    const apiKey = newKey();
    const stripe = server.stripe(apiKey);
    await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
    await stripe.customers.create({ name: 'Resend' });
    const [first] = await receiver.until((r) => r.length >= 1);
    const resent = await request(server.url).post(`/_control/events/${first.eventId}/resend`).auth(apiKey, '');
    expect(resent.body).toMatchObject({ event: first.eventId, deliveries: 1 });
    await receiver.until((r) => r.length >= 2);
    expect(receiver.received[1].eventId).toBe(first.eventId);
    // To a named endpoint: it must be one of this account's.
    const unknown = await request(server.url).post(`/_control/events/${first.eventId}/resend`).auth(apiKey, '').type('form').send({ endpoint: 'we_nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing', param: 'endpoint', message: "No such webhook endpoint: 'we_nope'" });
    const other = await request(server.url).get('/_control/webhook_deliveries').auth(newKey(), '');
    expect(other.body.data).toEqual([]);
    await receiver.close();
    await server.close();
  });
});

describe('webhook endpoints do not hold each other up (WEBHOOK_TIMEOUT_MS=30000)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ WEBHOOK_TIMEOUT_MS: '30000' });
  });
  afterAll(() => server.close());
  const account = () => new Stripe(newKey(), { host: '127.0.0.1', port: server.port, protocol: 'http' });

  it("a silent endpoint with a backlog of 40 events delays neither its account's other endpoint nor another account's", async () => {
    const silent = await startSilentEndpoint();
    const healthy = await startReceiver();
    const other = await startReceiver();
    try {
      const busy = account();
      await busy.webhookEndpoints.create({ url: silent.url('hooks'), enabled_events: ['customer.created'] });
      await Promise.all(Array.from({ length: 40 }, (_, i) => busy.customers.create({ name: `backlog ${i}` })));
      await waitUntil(() => silent.open > 0);

      // The same account's other endpoint, and another account's, get their events while the silent one holds its deliveries.
      await busy.webhookEndpoints.create({ url: healthy.url, enabled_events: ['customer.updated'] });
      const mine = await busy.customers.create({ name: 'mine' });
      await busy.customers.update(mine.id, { name: 'mine, updated' });
      const stranger = account();
      await stranger.webhookEndpoints.create({ url: other.url, enabled_events: ['customer.created'] });
      const theirs = await stranger.customers.create({ name: 'theirs' });

      const [updated] = await healthy.until((r) => r.length >= 1, 3000);
      expect(JSON.parse(updated.body).data.object).toMatchObject({ id: mine.id, name: 'mine, updated' });
      const [created] = await other.until((r) => r.length >= 1, 3000);
      expect(JSON.parse(created.body).data.object).toMatchObject({ id: theirs.id });

      // The silent endpoint holds at most 4 deliveries at a time (its lane), none of them answered yet.
      expect([silent.open, silent.mostOpen]).toEqual([4, 4]);
    } finally {
      await Promise.all([silent.close(), healthy.close(), other.close()]);
    }
  });

  it('an account with several silent endpoints holds at most 16 deliveries in flight, and never delays another account', async () => {
    const silent = await startSilentEndpoint();
    const other = await startReceiver();
    try {
      const busy = account();
      // Five silent endpoints want 4 deliveries each: 20, more than one account may hold.
      for (let i = 0; i < 5; i++) await busy.webhookEndpoints.create({ url: silent.url(`hook-${i}`), enabled_events: ['customer.created'] });
      await Promise.all(Array.from({ length: 10 }, (_, i) => busy.customers.create({ name: `backlog ${i}` })));
      await waitUntil(() => silent.open >= 16);

      const stranger = account();
      await stranger.webhookEndpoints.create({ url: other.url, enabled_events: ['customer.created'] });
      const theirs = await stranger.customers.create({ name: 'theirs' });
      const [created] = await other.until((r) => r.length >= 1, 3000);
      expect(JSON.parse(created.body).data.object).toMatchObject({ id: theirs.id });
      expect([silent.open, silent.mostOpen]).toEqual([16, 16]);
    } finally {
      await Promise.all([silent.close(), other.close()]);
    }
  });
});

/** Endpoints that read every delivery and never answer: each attempt holds its slot until the timeout. */
async function startSilentEndpoint() {
  const state = { open: 0, mostOpen: 0 };
  const silent = createServer((_req, res) => {
    state.open += 1;
    state.mostOpen = Math.max(state.mostOpen, state.open);
    res.on('close', () => (state.open -= 1));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as { port: number }).port;
  return {
    get open() {
      return state.open;
    },
    get mostOpen() {
      return state.mostOpen;
    },
    url: (path: string) => `http://127.0.0.1:${port}/${path}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => silent.close(() => resolve()));
      silent.closeAllConnections();
      await closed;
    },
  };
}

async function waitUntil(condition: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${ms} ms`);
    await sleep(20);
  }
}
