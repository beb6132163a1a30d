import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { TransactionRunner } from '../src/database/transaction-runner.js';
import { Api, sdkAndApi, uniqueKey } from './support/api.js';
import { startServer, type TestServer } from './support/server.js';

/**
 * `expand[]` as Stripe does it for the expansions oncepay implements: a charge's `customer`, a refund's
 * `charge` (and `charge.customer` through it), a customer's `default_source` and `sources`. Other paths
 * Stripe accepts keep the id; paths Stripe refuses are refused.
 */
describe('expand[] through the official stripe SDK', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  /** A fresh account with a customer who has a card. */
  async function customerWithCard(label = 'ada') {
    const { stripe, api } = sdkAndApi(server, 0);
    const customer = await stripe.customers.create({ source: 'tok_visa', email: `${label}@example.com`, name: label, metadata: { label } });
    return { stripe, api, customer: (await stripe.customers.retrieve(customer.id)) as Stripe.Customer };
  }

  const charge = (stripe: Stripe, params: Partial<Stripe.ChargeCreateParams> = {}) =>
    stripe.charges.create({ amount: 1000, currency: 'usd', ...params });

  describe('customer on a charge', () => {
    it('create, retrieve, update and capture answer the full customer when asked, its id otherwise', async () => {
      const { stripe, customer } = await customerWithCard();

      const created = await charge(stripe, { customer: customer.id, capture: false, expand: ['customer'] });
      expect(created.customer).toEqual(customer);
      expect((await charge(stripe, { customer: customer.id })).customer).toBe(customer.id);

      // Retrieved without expand first, so the second read comes from the cached JSON.
      expect((await stripe.charges.retrieve(created.id)).customer).toBe(customer.id);
      expect((await stripe.charges.retrieve(created.id, { expand: ['customer'] })).customer).toEqual(customer);
      expect((await stripe.charges.retrieve(created.id)).customer).toBe(customer.id);

      const updated = await stripe.charges.update(created.id, { description: 'expanded', expand: ['customer'] });
      expect(updated).toMatchObject({ description: 'expanded', customer });
      expect((await stripe.charges.update(created.id, { description: 'plain' })).customer).toBe(customer.id);

      const captured = await stripe.charges.capture(created.id, { amount: 600, expand: ['customer'] });
      expect(captured).toMatchObject({ captured: true, amount_captured: 600, customer });
      // Nothing stored changed: the charge reads back as it did.
      const stored = await stripe.charges.retrieve(created.id);
      expect(stored).toEqual({ ...captured, customer: customer.id });

      // A charge without a customer keeps null.
      const guest = await charge(stripe, { source: 'tok_visa', expand: ['customer'] });
      expect(guest.customer).toBeNull();
      expect((await stripe.charges.retrieve(guest.id, { expand: ['customer'] })).customer).toBeNull();
    });

    it('lists charges with data.customer expanded, ids without it', async () => {
      const { stripe, customer } = await customerWithCard();
      const guest = await charge(stripe, { source: 'tok_visa' });
      const mine = await charge(stripe, { customer: customer.id });

      const expanded = await stripe.charges.list({ expand: ['data.customer'] });
      expect(expanded.data.map((c) => c.id)).toEqual([mine.id, guest.id]);
      expect(expanded.data.map((c) => c.customer)).toEqual([customer, null]);
      expect((await stripe.charges.list()).data.map((c) => c.customer)).toEqual([customer.id, null]);
      const filtered = await stripe.charges.list({ customer: customer.id, expand: ['data.customer'] });
      expect(filtered.data.map((c) => c.customer)).toEqual([customer]);
    });

    it("shows a deleted customer as Stripe's deleted stub", async () => {
      const { stripe, customer } = await customerWithCard();
      const made = await charge(stripe, { customer: customer.id });
      await stripe.customers.del(customer.id);
      const read = await stripe.charges.retrieve(made.id, { expand: ['customer'] });
      expect(read.customer).toEqual({ id: customer.id, object: 'customer', deleted: true });
      expect((await stripe.charges.retrieve(made.id)).customer).toBe(customer.id);
    });

    it("expands from the caller's account only", async () => {
      const a = await customerWithCard('alice');
      const b = await customerWithCard('bob');
      const chargeA = await charge(a.stripe, { customer: a.customer.id });
      const chargeB = await charge(b.stripe, { customer: b.customer.id });
      // A charge of B's account naming A's customer: no request can make one (A's customer is a 404 to
      // B), so the row is rewritten here, before anything reads (and caches) the charge.
      const crossed = await charge(b.stripe, { customer: b.customer.id });
      server.app.get(TransactionRunner).runNow((tx) => tx.run('UPDATE charges SET customer_id = ? WHERE id = ?', a.customer.id, crossed.id));

      expect((await a.stripe.charges.retrieve(chargeA.id, { expand: ['customer'] })).customer).toEqual(a.customer);
      expect((await b.stripe.charges.retrieve(chargeB.id, { expand: ['customer'] })).customer).toEqual(b.customer);
      await expect(b.stripe.charges.retrieve(chargeA.id, { expand: ['customer'] })).rejects.toMatchObject({ statusCode: 404 });
      expect((await b.stripe.charges.retrieve(crossed.id, { expand: ['customer'] })).customer).toBe(a.customer.id);
      const listed = await b.stripe.charges.list({ expand: ['data.customer'] });
      expect(listed.data.map((c) => c.customer)).toEqual([a.customer.id, b.customer]);
      expect(JSON.stringify(listed)).not.toContain('alice@example.com');
    });

    it('accepts the other paths Stripe can expand on a charge, and leaves them as they are', async () => {
      const { stripe, customer } = await customerWithCard();
      const paths = [
        'application', 'application_fee', 'balance_transaction', 'customer', 'destination', 'dispute',
        'failure_balance_transaction', 'invoice', 'on_behalf_of', 'payment_intent', 'refunds', 'review', 'source',
        'source_transfer', 'transfer', 'customer.default_source', 'outcome.rule', 'transfer_data.destination',
      ];
      const made = await charge(stripe, { customer: customer.id, expand: paths });
      expect(made.customer).toEqual(customer);
      expect(made.balance_transaction).toMatchObject({ object: 'balance_transaction', source: made.id, amount: 1000 });
      expect(made.source).toMatchObject({ object: 'card' });
      const read = await stripe.charges.retrieve(made.id, { expand: paths });
      expect(read).toEqual(made);
      const listed = await stripe.charges.list({ expand: paths.map((p) => `data.${p}`) });
      expect(listed.data).toEqual([made]);
    });
  });

  describe('charge on a refund', () => {
    it('create (both endpoints), retrieve, update and the lists answer the full charge when asked', async () => {
      const { stripe, api, customer } = await customerWithCard();
      const made = await charge(stripe, { customer: customer.id });

      const first = await stripe.refunds.create({ charge: made.id, amount: 100, expand: ['charge'] });
      const afterFirst = await stripe.charges.retrieve(made.id);
      expect(first.charge).toEqual(afterFirst);
      expect(afterFirst.amount_refunded).toBe(100);
      // The SDK no longer has the charge-scoped endpoints: plain HTTP for them.
      const second = await api.post(`/v1/charges/${made.id}/refunds`, { amount: 200, expand: ['charge'] });
      const afterSecond = await stripe.charges.retrieve(made.id);
      expect(second.body.charge).toEqual(afterSecond);

      expect((await stripe.refunds.retrieve(first.id)).charge).toBe(made.id);
      expect((await stripe.refunds.retrieve(first.id, { expand: ['charge'] })).charge).toEqual(afterSecond);
      const updated = await stripe.refunds.update(first.id, { metadata: { note: 'x' }, expand: ['charge'] });
      const afterUpdate = await stripe.charges.retrieve(made.id);
      expect(updated).toMatchObject({ metadata: { note: 'x' }, charge: afterUpdate });
      // The charge's refunds through it, when asked: the same list the charge shows expanded.
      const throughCharge = await stripe.refunds.retrieve(first.id, { expand: ['charge.refunds'] });
      const refundsOfCharge = (await stripe.charges.retrieve(made.id, { expand: ['refunds'] })).refunds!;
      expect((throughCharge.charge as Stripe.Charge).refunds).toEqual(refundsOfCharge);
      expect(refundsOfCharge.data.map((r) => [r.id, r.metadata])).toEqual([[second.body.id, {}], [first.id, { note: 'x' }]]);

      const listed = await stripe.refunds.list({ expand: ['data.charge'] });
      expect(listed.data.map((r) => r.charge)).toEqual([afterUpdate, afterUpdate]);
      expect((await stripe.refunds.list()).data.map((r) => r.charge)).toEqual([made.id, made.id]);
      const scoped = await api.get(`/v1/charges/${made.id}/refunds`, { expand: ['data.charge'] });
      expect(scoped.body.data.map((r: Stripe.Refund) => r.charge)).toEqual([afterUpdate, afterUpdate]);
      const plain = await api.get(`/v1/charges/${made.id}/refunds`);
      expect(plain.body.data.map((r: Stripe.Refund) => r.charge)).toEqual([made.id, made.id]);
    });

    it('expands charge.customer through the charge', async () => {
      const { stripe, customer } = await customerWithCard();
      const made = await charge(stripe, { customer: customer.id });
      const refund = await stripe.refunds.create({ charge: made.id, amount: 100, expand: ['charge.customer'] });
      const chargeNow = await stripe.charges.retrieve(made.id);
      expect(refund.charge).toEqual({ ...chargeNow, customer });

      expect((await stripe.refunds.retrieve(refund.id, { expand: ['charge', 'charge.customer'] })).charge).toEqual({ ...chargeNow, customer });
      const listed = await stripe.refunds.list({ charge: made.id, expand: ['data.charge.customer'] });
      expect(listed.data[0].charge).toEqual({ ...chargeNow, customer });
      // Balance transactions are expanded, the refund's and its charge's; payment_intent keeps its null.
      const other = await stripe.refunds.retrieve(refund.id, { expand: ['balance_transaction', 'payment_intent', 'charge.balance_transaction'] });
      expect(other.balance_transaction).toMatchObject({ object: 'balance_transaction', source: refund.id, amount: -100 });
      expect(other.charge).toEqual({ ...chargeNow, balance_transaction: expect.objectContaining({ object: 'balance_transaction', source: made.id }) });
      expect(other.payment_intent).toBeNull();
    });
  });

  describe("a customer's cards", () => {
    it('create, retrieve, update and list show the default card and the cards when asked, the id and no list otherwise', async () => {
      const { stripe, customer } = await customerWithCard();
      const card = customer.default_source as string;
      expect(card).toMatch(/^card_/);
      expect(customer).not.toHaveProperty('sources');
      const cards = await stripe.customers.listSources(customer.id);
      expect(cards.data.map((c) => c.id)).toEqual([card]);
      const sources = { object: 'list', url: `/v1/customers/${customer.id}/sources`, has_more: false, data: cards.data };

      const read = await stripe.customers.retrieve(customer.id, { expand: ['default_source', 'sources'] });
      expect(read).toEqual({ ...customer, default_source: cards.data[0], sources });
      expect(await stripe.customers.retrieve(customer.id, { expand: ['sources'] })).toEqual({ ...customer, sources });
      expect(await stripe.customers.retrieve(customer.id)).toEqual(customer);

      const updated = await stripe.customers.update(customer.id, { name: 'Ada L.', expand: ['default_source'] });
      expect(updated).toEqual({ ...customer, name: 'Ada L.', default_source: cards.data[0] });

      const created = await stripe.customers.create({ source: 'tok_mastercard', expand: ['default_source', 'sources'] });
      const createdCard = created.default_source as Stripe.Card;
      expect(createdCard).toMatchObject({ object: 'card', brand: 'MasterCard', customer: created.id });
      expect(created.sources).toEqual({ object: 'list', url: `/v1/customers/${created.id}/sources`, has_more: false, data: [createdCard] });

      const listed = await stripe.customers.list({ expand: ['data.sources'] });
      expect(Object.fromEntries(listed.data.map((c) => [c.id, c.sources?.data.map((s) => s.id)]))).toEqual({
        [customer.id]: [card],
        [created.id]: [createdCard.id],
      });
      expect((await stripe.customers.list()).data.every((c) => !('sources' in c))).toBe(true);
    });

    it('a customer without cards: default_source stays null, sources is an empty list', async () => {
      const { stripe } = sdkAndApi(server, 0);
      const none = await stripe.customers.create({ name: 'no cards', expand: ['default_source', 'sources'] });
      expect(none.default_source).toBeNull();
      expect(none.sources).toEqual({ object: 'list', url: `/v1/customers/${none.id}/sources`, has_more: false, data: [] });
    });

    it('expands subscriptions and tax_ids as empty lists, which a customer shows only when asked', async () => {
      const { stripe, api, customer } = await customerWithCard();
      const empty = (field: string) => ({ object: 'list', url: `/v1/customers/${customer.id}/${field}`, has_more: false, data: [] });
      const read = await stripe.customers.retrieve(customer.id, { expand: ['subscriptions', 'tax_ids'] });
      expect(read).toEqual({ ...customer, subscriptions: empty('subscriptions'), tax_ids: empty('tax_ids') });
      expect((read as Stripe.Customer).subscriptions!.data.length).toBe(0);
      const updated = await stripe.customers.update(customer.id, { name: 'Ada L.', expand: ['subscriptions'] });
      expect(updated).toEqual({ ...customer, name: 'Ada L.', subscriptions: empty('subscriptions') });
      const listed = await stripe.customers.list({ expand: ['data.tax_ids'] });
      expect(listed.data.map((c) => c.tax_ids)).toEqual([empty('tax_ids')]);
      expect(await stripe.customers.retrieve(customer.id)).toEqual({ ...customer, name: 'Ada L.' });
      // Each list's url answers the same list, as the SDK follows it; a customer that is not there is a 404.
      const { lastResponse: _r, ...taxIds } = await stripe.customers.listTaxIds(customer.id);
      expect(taxIds).toEqual(empty('tax_ids'));
      const subscriptions = await api.get(`/v1/customers/${customer.id}/subscriptions`, { limit: 3 });
      expect([subscriptions.status, subscriptions.body]).toEqual([200, empty('subscriptions')]);
      await expect(stripe.customers.listTaxIds('cus_missing')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing', message: "No such customer: 'cus_missing'" });
    });

    it('keeps the ids in events, and replays a keyed create exactly as it answered it', async () => {
      const { stripe, api } = sdkAndApi(server, 0);
      const key = uniqueKey('customer-expand');
      const params = { source: 'tok_visa', expand: ['default_source'] };
      const first = await api.post('/v1/customers', params, key);
      expect(first.body.default_source).toMatchObject({ object: 'card', customer: first.body.id });
      const again = await api.post('/v1/customers', params, key);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      const [created] = (await stripe.events.list({ type: 'customer.created' })).data;
      expect((created.data.object as Stripe.Customer).default_source).toBe(first.body.default_source.id);
    });

    it('refuses what a customer cannot expand, before anything is made', async () => {
      const { stripe, api, customer } = await customerWithCard();
      const refused = { type: 'StripeInvalidRequestError', statusCode: 400, message: 'This property cannot be expanded (nonsense).' };
      await expect(stripe.customers.create({ name: 'x', expand: ['nonsense'] })).rejects.toMatchObject(refused);
      await expect(stripe.customers.retrieve(customer.id, { expand: ['nonsense'] })).rejects.toMatchObject(refused);
      await expect(stripe.customers.update(customer.id, { name: 'y', expand: ['nonsense'] })).rejects.toMatchObject(refused);
      await expect(stripe.customers.list({ expand: ['data.nonsense'] })).rejects.toMatchObject(refused);
      expect((await api.get('/v1/customers')).body.data.map((c: Stripe.Customer) => c.name)).toEqual([customer.name]);
      // Paths Stripe accepts for objects oncepay does not have keep what the customer shows.
      expect(await stripe.customers.retrieve(customer.id, { expand: ['test_clock', 'invoice_settings.default_payment_method'] })).toEqual(customer);
    });
  });

  describe('idempotency and events', () => {
    it('replays a keyed create with expand exactly as it answered it', async () => {
      const { api, customer } = await customerWithCard();
      const params = { amount: 1000, currency: 'usd', customer: customer.id, expand: ['customer'] };
      const key = uniqueKey('expand');
      const first = await api.post('/v1/charges', params, key);
      expect(first.status).toBe(200);
      expect(first.body.customer).toEqual(customer);
      const again = await api.post('/v1/charges', params, key);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      // The expand list is part of the params: without it, the same key is another request.
      expect((await api.post('/v1/charges', { ...params, expand: undefined }, key)).status).toBe(400);

      const refundKey = uniqueKey('refund');
      const refund = await api.post('/v1/refunds', { charge: first.body.id, amount: 100, expand: ['charge.customer'] }, refundKey);
      expect(refund.body.charge).toMatchObject({ id: first.body.id, amount_refunded: 100, customer });
      const refundAgain = await api.post('/v1/refunds', { charge: first.body.id, amount: 100, expand: ['charge.customer'] }, refundKey);
      expect(refundAgain.headers.get('idempotent-replayed')).toBe('true');
      expect(refundAgain.body).toEqual(refund.body);
    });

    it('expands the answer of a request resumed after the card network’s answer was lost', async () => {
      const { api, customer } = await customerWithCard();
      const params = { amount: 1000, currency: 'usd', customer: customer.id, expand: ['customer'] };
      const key = uniqueKey('resumed');
      await api.armFault({ path: '/v1/charges', fault: 'processor_timeout' });
      expect((await api.post('/v1/charges', params, key)).status).toBe(503);
      const resumed = await api.post('/v1/charges', params, key);
      expect(resumed.status).toBe(200);
      expect(resumed.body.customer).toEqual(customer);

      const refundParams = { charge: resumed.body.id, amount: 100, expand: ['charge'] };
      const refundKey = uniqueKey('resumed-refund');
      await api.armFault({ path: '/v1/refunds', fault: 'processor_timeout' });
      expect((await api.post('/v1/refunds', refundParams, refundKey)).status).toBe(503);
      const refund = await api.post('/v1/refunds', refundParams, refundKey);
      expect(refund.status).toBe(200);
      expect(refund.body.charge).toEqual((await api.get(`/v1/charges/${resumed.body.id}`)).body);
    });

    it('never expands the objects of events, whatever the request asked', async () => {
      const { stripe, customer } = await customerWithCard();
      const made = await charge(stripe, { customer: customer.id, capture: false, expand: ['customer'] });
      expect(made.customer).toEqual(customer);
      await stripe.charges.update(made.id, { description: 'd', expand: ['customer'] });
      await stripe.charges.capture(made.id, { expand: ['customer'] });
      const refund = await stripe.refunds.create({ charge: made.id, amount: 100, expand: ['charge.customer'] });
      expect(refund.charge).toMatchObject({ id: made.id });
      await stripe.refunds.update(refund.id, { metadata: { a: 'b' }, expand: ['charge'] });

      const events = (await stripe.events.list({ limit: 100 })).data;
      const types = events.map((e) => e.type);
      for (const type of ['charge.succeeded', 'charge.updated', 'charge.captured', 'charge.refunded']) expect(types).toContain(type);
      for (const type of ['refund.created', 'refund.updated']) expect(types).toContain(type);
      for (const event of events) {
        const object = event.data.object as { object: string; customer?: unknown; charge?: unknown };
        if (object.object === 'charge') expect(object.customer).toBe(customer.id);
        if (object.object === 'refund') expect(object.charge).toBe(made.id);
      }
    });
  });

  describe('paths Stripe refuses', () => {
    const cannot = (path: string) => ({ status: 400, body: { error: { type: 'invalid_request_error', message: `This property cannot be expanded (${path}).` } } });

    it('refuses a path more than four levels deep, data. of a list counted, as Stripe does, and makes no charge', async () => {
      const { api, customer } = await customerWithCard();
      const tooDeep = { status: 400, body: { error: { type: 'invalid_request_error', message: 'You cannot expand more than 4 levels of a property.' } } };
      const key = uniqueKey('deep');
      expect(await api.post('/v1/charges', { amount: 1000, currency: 'usd', customer: customer.id, expand: ['customer.default_source.customer.default_source.customer'] }, key)).toMatchObject(tooDeep);
      expect(await api.allCharges()).toEqual([]);
      expect(await api.idempotencyKey(key)).toBeNull();
      const made = await api.post('/v1/charges', { amount: 1000, currency: 'usd', customer: customer.id, expand: ['customer.default_source.customer.default_source'] }, key);
      expect(made.status).toBe(200);
      expect(await api.get(`/v1/charges/${made.body.id}`, { expand: ['a.b.c.d.e'.replace('a', 'customer')] })).toMatchObject(tooDeep);
      // Four levels on a list, data. among them: Stripe's own example of the deepest.
      expect((await api.get('/v1/charges', { expand: ['data.payment_intent.customer.default_source'] })).status).toBe(200);
      expect(await api.get('/v1/charges', { expand: ['data.customer.default_source.customer.x'] })).toMatchObject(tooDeep);
      expect(await api.get('/v1/refunds', { expand: [`data.charge.customer.${'x.'.repeat(2000)}x`] })).toMatchObject(tooDeep);
    });

    it('refuses a path that names nothing expandable, with no param, and makes no charge', async () => {
      const { api, customer } = await customerWithCard();
      const key = uniqueKey('nonsense');
      const refused = await api.post('/v1/charges', { amount: 1000, currency: 'usd', customer: customer.id, expand: ['customer', 'nonsense'] }, key);
      expect(refused).toMatchObject(cannot('nonsense'));
      expect(refused.body.error.param).toBeUndefined();
      expect(refused.body.error.code).toBeUndefined();
      expect(await api.allCharges()).toEqual([]);
      // Nothing was saved for the key: fixed, the request goes through with it.
      expect(await api.idempotencyKey(key)).toBeNull();
      const fixed = await api.post('/v1/charges', { amount: 1000, currency: 'usd', customer: customer.id, expand: ['customer'] }, key);
      expect(fixed.status).toBe(200);
      const id = fixed.body.id;

      expect(await api.get(`/v1/charges/${id}`, { expand: ['amount'] })).toMatchObject(cannot('amount'));
      expect(await api.post(`/v1/charges/${id}`, { description: 'x', expand: ['metadata'] })).toMatchObject(cannot('metadata'));
      expect(await api.post(`/v1/charges/${id}/capture`, { expand: ['nonsense.customer'] })).toMatchObject(cannot('nonsense'));
      expect(await api.get('/v1/charges', { expand: ['data.nonsense'] })).toMatchObject(cannot('nonsense'));
      expect(await api.get('/v1/charges', { expand: ['data'] })).toMatchObject(cannot('data'));
      expect(await api.get(`/v1/charges/${id}`, { expand: ['data.customer'] })).toMatchObject(cannot('data'));
      expect((await api.get(`/v1/charges/${id}`)).body.description).toBe(null);

      expect(await api.post('/v1/refunds', { charge: id, expand: ['customer.nonsense', 'refunds'] })).toMatchObject(cannot('refunds'));
      expect(await api.post(`/v1/charges/${id}/refunds`, { expand: ['amount'] })).toMatchObject(cannot('amount'));
      expect((await api.get(`/v1/charges/${id}`)).body.amount_refunded).toBe(0);
      expect(await api.get('/v1/refunds', { expand: ['data.nonsense'] })).toMatchObject(cannot('nonsense'));
      expect(await api.get(`/v1/charges/${id}/refunds`, { expand: ['data.amount'] })).toMatchObject(cannot('amount'));
    });

    it("tells a list's caller to expand under data.", async () => {
      const api = new Api(server);
      const hint = (path: string) =>
        `This property cannot be expanded (${path}). You may want to try expanding 'data.${path}' instead.`;
      expect((await api.get('/v1/charges', { expand: ['customer'] })).body.error.message).toBe(hint('customer'));
      expect((await api.get('/v1/refunds', { expand: ['charge'] })).body.error.message).toBe(hint('charge'));
    });

    it('answers a malformed expand on a retrieve as it does on a create', async () => {
      const { api, customer } = await customerWithCard();
      const made = await api.post('/v1/charges', { amount: 1000, currency: 'usd', customer: customer.id });
      const res = await api.send('GET', `/v1/charges/${made.body.id}?expand=customer`);
      expect(res).toMatchObject({ status: 400, body: { error: { param: 'expand', message: 'Invalid array: expand must be an array.' } } });
    });
  });
});
