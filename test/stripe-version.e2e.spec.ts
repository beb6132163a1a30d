import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import request from 'supertest';
import { API_VERSION } from '../src/events/event-types.js';
import { newKey, startServer, type TestServer } from './support/server.js';

/**
 * Every API answer names its API version in `Stripe-Version` (the SDK's `lastResponse.apiVersion`), and a
 * version that cannot be a Stripe release is refused, as Stripe refuses it, before anything is done.
 */
describe('the Stripe-Version header', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('answers the version the SDK asked for, on creates, reads, errors and replays', async () => {
    const stripe = server.stripe(newKey(), { apiVersion: '2024-06-20' as Stripe.LatestApiVersion });

    const customer = await stripe.customers.create({ name: 'Ada' }, { idempotencyKey: 'v-1' });
    expect(customer.lastResponse.apiVersion).toBe('2024-06-20');
    const replay = await stripe.customers.create({ name: 'Ada' }, { idempotencyKey: 'v-1' });
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(replay.lastResponse.apiVersion).toBe('2024-06-20');
    expect((await stripe.customers.retrieve(customer.id)).lastResponse.apiVersion).toBe('2024-06-20');

    const missing = await stripe.customers.retrieve('cus_nope').catch((error: Stripe.errors.StripeError) => error);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((missing as Stripe.errors.StripeError).headers?.['stripe-version']).toBe('2024-06-20');
  });

  it("answers oncepay's own version when the client names none", async () => {
    const res = await request(server.url).get('/v1/customers').set('Authorization', `Bearer ${newKey()}`);
    expect(res.status).toBe(200);
    expect(res.headers['stripe-version']).toBe(API_VERSION);
  });

  it('refuses a version that cannot be a Stripe release, and does nothing', async () => {
    const key = newKey();
    for (const version of ['banana', '2019-2-19', '2019-02-30', '2099-01-01', '2025-01-27.Acacia', '2024-06-20; beta', '2024-06-20;', 'banana; x_beta=v1', `2024-06-20${'; a_beta=v1'.repeat(20)}`]) {
      const res = await request(server.url)
        .post('/v1/customers')
        .set('Authorization', `Bearer ${key}`)
        .set('Stripe-Version', version)
        .type('form')
        .send('name=never');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { type: 'invalid_request_error', message: `Invalid Stripe API version: ${version}` } });
      expect(res.headers['request-id']).toMatch(/^req_/);
      expect(res.headers['stripe-version']).toBe('2025-01-27.acacia');
    }
    const sdk = server.stripe(key, { apiVersion: 'banana' as Stripe.LatestApiVersion });
    const error = await sdk.customers.list().catch((e: Stripe.errors.StripeError) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((error as Stripe.errors.StripeError).message).toBe('Invalid Stripe API version: banana');

    expect((await server.stripe(key).customers.list()).data).toEqual([]);
  });

  it('checks and answers the version of a request whose /v1/ prefix is percent-encoded, which is routed to the API all the same, and logs it', async () => {
    const key = newKey();
    const refused = await request(server.url).post('/%761/customers').set('Authorization', `Bearer ${key}`).set('Stripe-Version', 'banana').type('form').send('name=never');
    expect([refused.status, refused.body.error?.message, refused.headers['stripe-version']]).toEqual([400, 'Invalid Stripe API version: banana', API_VERSION]);
    const made = await request(server.url).post('/%761/customers').set('Authorization', `Bearer ${key}`).type('form').send('name=escaped');
    expect([made.status, made.headers['stripe-version']]).toEqual([200, API_VERSION]);
    expect((await server.stripe(key).customers.list()).data.map((c) => c.name)).toEqual(['escaped']);
    const logged = await request(server.url).get('/_control/requests').set('Authorization', `Bearer ${key}`);
    expect(logged.body.data.map((r: { status: number }) => r.status)).toEqual([200, 200, 400]);
  });

  it('takes any well-formed past release, with or without its codename, and with beta headers as the SDK sends them', async () => {
    const key = newKey();
    for (const version of ['2020-08-27', '2025-01-27.acacia', API_VERSION, '2024-06-20; embedded_connect_beta=v2', '2025-01-27.acacia; a_beta=v1; other_beta=v3']) {
      const res = await request(server.url).get('/v1/charges').set('Authorization', `Bearer ${key}`).set('Stripe-Version', version);
      expect(res.status).toBe(200);
      expect(res.headers['stripe-version']).toBe(version);
    }
    const beta = server.stripe(key, { apiVersion: '2024-06-20; embedded_connect_beta=v2' as Stripe.LatestApiVersion });
    expect((await beta.customers.create({ name: 'beta' })).lastResponse.apiVersion).toBe('2024-06-20; embedded_connect_beta=v2');
  });
});
