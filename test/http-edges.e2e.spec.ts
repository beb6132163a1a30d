import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Stripe from 'stripe';
import request from 'supertest';
import { newKey, startServer, type TestServer } from './support/server.js';

/**
 * Where the HTTP edges of a call differ from Stripe's in ways a client can tell: params sent to a delete,
 * a URL with a trailing slash, a list filter a resource does not take, an Authorization header that is
 * there but not readable. The SDK drives what it can express; supertest sends what it hides.
 */
describe('HTTP edges, as Stripe answers them', () => {
  let server: TestServer;
  let api: ReturnType<typeof request>;

  beforeAll(async () => {
    server = await startServer();
    api = request(server.url);
  });
  afterAll(() => server.close());

  const unknownParam = (param: string) => ({
    type: 'StripeInvalidRequestError',
    statusCode: 400,
    code: 'parameter_unknown',
    param,
    message: `Received unknown parameter: ${param}`,
  });

  /** A customer with a card, and a webhook endpoint: one of each thing that can be deleted. */
  async function deletables(stripe: Stripe) {
    const customer = await stripe.customers.create({ name: 'kept', source: 'tok_visa' });
    const card = customer.default_source as string;
    const endpoint = await stripe.webhookEndpoints.create({ url: 'https://example.com/hook', enabled_events: ['*'] });
    return { customer: customer.id, card, endpoint: endpoint.id };
  }

  describe('a delete takes no params', () => {
    it('refuses an unknown param with a 400 naming it, and deletes nothing (customer, card, webhook endpoint)', async () => {
      const stripe = server.stripe();
      const { customer, card, endpoint } = await deletables(stripe);
      const bogus = { bogus: '1' } as never;

      await expect(stripe.customers.del(customer, bogus)).rejects.toMatchObject(unknownParam('bogus'));
      await expect(stripe.customers.deleteSource(customer, card, bogus)).rejects.toMatchObject(unknownParam('bogus'));
      await expect(stripe.webhookEndpoints.del(endpoint, bogus)).rejects.toMatchObject(unknownParam('bogus'));

      const kept = (await stripe.customers.retrieve(customer)) as Stripe.Customer;
      expect(kept.deleted).toBeUndefined();
      expect(kept.default_source).toBe(card);
      expect((await stripe.customers.listSources(customer)).data.map((s) => s.id)).toEqual([card]);
      expect((await stripe.webhookEndpoints.list()).data.map((e) => e.id)).toEqual([endpoint]);

      // Without the param, each deletes.
      await expect(stripe.customers.deleteSource(customer, card)).resolves.toMatchObject({ id: card });
      await expect(stripe.webhookEndpoints.del(endpoint)).resolves.toMatchObject({ id: endpoint, deleted: true });
      await expect(stripe.customers.del(customer)).resolves.toMatchObject({ id: customer, deleted: true });
    });

    it('refuses a param that a retrieve would take: a customer delete has no expand[]', async () => {
      const stripe = server.stripe();
      const { customer } = await deletables(stripe);

      await expect(stripe.customers.del(customer, { expand: ['default_source'] } as never)).rejects.toMatchObject(unknownParam('expand'));
      expect(((await stripe.customers.retrieve(customer)) as Stripe.Customer).deleted).toBeUndefined();
    });

    it('detaching a card takes expand[], as Stripe’s does (the SDK types it), and nothing else', async () => {
      const stripe = server.stripe();
      const { customer, card } = await deletables(stripe);

      await expect(stripe.customers.deleteSource(customer, card, { expand: ['customer'], bogus: '1' } as never)).rejects.toMatchObject(
        unknownParam('bogus'),
      );
      const detached = await stripe.customers.deleteSource(customer, card, { expand: ['customer'] });
      expect(detached).toMatchObject({ id: card });
      expect((await stripe.customers.listSources(customer)).data).toEqual([]);
    });

    it('as curl sends it: `curl -X DELETE -u sk_test_…: …/v1/customers/cus_…?bogus=1` is a 400 in the envelope', async () => {
      const key = newKey();
      const { customer } = await deletables(server.stripe(key));

      const res = await api.delete(`/v1/customers/${customer}?bogus=1`).auth(key, '');

      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_unknown', param: 'bogus' });
      expect((await api.get(`/v1/customers/${customer}`).auth(key, '')).body.deleted).toBeUndefined();
    });

    it('refuses params sent in a DELETE body as well, form or JSON, and deletes nothing', async () => {
      const key = newKey();
      const { customer, endpoint } = await deletables(server.stripe(key));

      const form = await api.delete(`/v1/customers/${customer}`).auth(key, '').type('form').send('bogus=1');
      expect(form.status).toBe(400);
      expect(form.body.error).toMatchObject({ code: 'parameter_unknown', param: 'bogus' });

      const json = await api.delete(`/v1/webhook_endpoints/${endpoint}`).auth(key, '').type('json').send({ url: 'https://example.com/x' });
      expect(json.status).toBe(400);
      expect(json.body.error).toMatchObject({ code: 'parameter_unknown', param: 'url' });

      expect((await api.get(`/v1/customers/${customer}`).auth(key, '')).body.deleted).toBeUndefined();
      expect((await api.get(`/v1/webhook_endpoints/${endpoint}`).auth(key, '')).status).toBe(200);
    });
  });

  describe('a URL ending in a slash', () => {
    const trailingSlash = (method: string, path: string) =>
      `Unrecognized request URL (${method}: ${path}). If you are trying to list objects, remove the trailing slash. If you are trying to retrieve an object, make sure you passed a valid (non-empty) identifier in your code. Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`;

    it('retrieving with an empty id (GET /v1/customers/) gets Stripe’s hint about the slash and the id', async () => {
      await expect(server.stripe().customers.retrieve('')).rejects.toMatchObject({
        type: 'StripeInvalidRequestError',
        statusCode: 404,
        message: trailingSlash('GET', '/v1/customers/'),
      });
    });

    it('gets the hint on any method, and a query string does not hide the slash', async () => {
      const key = newKey();
      const post = await api.post('/v1/charges/').set('Authorization', `Bearer ${key}`).type('form').send('amount=100');
      expect(post.status).toBe(404);
      expect(post.body.error).toEqual({ type: 'invalid_request_error', message: trailingSlash('POST', '/v1/charges/') });

      const list = await api.get('/v1/customers/?limit=3').set('Authorization', `Bearer ${key}`);
      expect(list.status).toBe(404);
      expect(list.body.error.message).toBe(trailingSlash('GET', '/v1/customers/?limit=3'));

      // Without the slash there is nothing to hint at.
      const unknown = await api.get('/v1/nope/x?a=/').set('Authorization', `Bearer ${key}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toBe(
        'Unrecognized request URL (GET: /v1/nope/x?a=/). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.',
      );
    });
  });

  describe('listing webhook endpoints', () => {
    it('refuses created, which Stripe’s list of webhook endpoints does not take, in either form, and still pages', async () => {
      const stripe = server.stripe();
      const first = await stripe.webhookEndpoints.create({ url: 'https://example.com/1', enabled_events: ['*'] });
      const second = await stripe.webhookEndpoints.create({ url: 'https://example.com/2', enabled_events: ['*'] });

      await expect(stripe.webhookEndpoints.list({ created: { gte: 1 } } as never)).rejects.toMatchObject(unknownParam('created'));
      await expect(stripe.webhookEndpoints.list({ created: 1 } as never)).rejects.toMatchObject(unknownParam('created'));

      // What it does take still works: limit, both cursors, expand[].
      const page = await stripe.webhookEndpoints.list({ limit: 1, expand: ['data.application'] as never });
      expect(page).toMatchObject({ has_more: true, data: [{ id: second.id }] });
      expect((await stripe.webhookEndpoints.list({ starting_after: second.id })).data.map((e) => e.id)).toEqual([first.id]);
      expect((await stripe.webhookEndpoints.list({ ending_before: first.id })).data.map((e) => e.id)).toEqual([second.id]);
    });
  });

  describe("listing a customer's cards", () => {
    it('refuses created, which Stripe’s list of sources does not take either, and still filters by object', async () => {
      const stripe = server.stripe();
      const customer = await stripe.customers.create({ source: 'tok_visa' });

      await expect(stripe.customers.listSources(customer.id, { created: { gte: 1 } } as never)).rejects.toMatchObject(unknownParam('created'));
      const cards = await stripe.customers.listSources(customer.id, { object: 'card', limit: 1 });
      expect(cards.data.map((c) => c.id)).toEqual([customer.default_source]);
    });
  });

  describe('the Stripe-Account header', () => {
    const notAPlatform = {
      type: 'StripePermissionError',
      rawType: 'invalid_request_error',
      statusCode: 403,
      message: expect.stringMatching(/^Only Stripe Connect platforms can work with other accounts\. /),
    };

    it("is refused with Stripe's 403, not ignored: nothing is made in the caller's own account", async () => {
      const key = newKey();
      const connected = server.stripe(key, { stripeAccount: 'acct_123' });
      await expect(connected.customers.create({ email: 'conn@example.com' })).rejects.toMatchObject(notAPlatform);
      await expect(connected.customers.list()).rejects.toMatchObject(notAPlatform);

      const own = server.stripe(key);
      await expect(own.charges.create({ amount: 500, currency: 'usd', source: 'tok_visa' }, { stripeAccount: 'acct_123' })).rejects.toMatchObject(notAPlatform);
      // The SDK's stripeContext (the Stripe-Context header) names another account's context just the same.
      await expect(own.customers.create({ email: 'ctx@example.com' }, { stripeContext: 'acct_123' })).rejects.toMatchObject(notAPlatform);
      await expect(server.stripe(key, { stripeContext: 'acct_123' }).charges.list()).rejects.toMatchObject(notAPlatform);
      expect((await own.customers.list()).data).toEqual([]);
      expect((await own.charges.list()).data).toEqual([]);
    });

    it('comes after authentication: without a key it is still a 401', async () => {
      const res = await api.get('/v1/customers').set('Stripe-Account', 'acct_123');
      expect(res.status).toBe(401);
    });
  });

  describe('an Authorization header that holds no readable key', () => {
    const setButUnreadable = (header: string) =>
      `You did not provide an API key, though you did set your Authorization header to "${header}". Using Bearer auth, your Authorization header should look something like 'Authorization: Bearer YOUR_SECRET_KEY'. See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.`;

    it.each([
      ['a key without a scheme', 'sk_test_a'],
      ['an unknown scheme', 'Token sk_test_a'],
      ['a scheme without a key', 'Bearer'],
    ])('401 quoting the header for %s', async (_case, header) => {
      const res = await api.get('/v1/customers').set('Authorization', header);

      expect(res.status).toBe(401);
      expect(res.body.error).toEqual({ type: 'invalid_request_error', message: setButUnreadable(header) });
      // With no header at all there is nothing to quote: the plain message stays.
      expect((await api.get('/v1/customers')).body.error.message).toMatch(/^You did not provide an API key\. You need to provide/);
    });
  });
});
