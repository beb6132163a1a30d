import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { Api, uniqueKey } from './support/api.js';
import { startServer, type TestServer } from './support/server.js';

/** Edge cases found by review: a pending charge, a card hash as `source`, the source filter, the maximum amount. */
const LOCK_TIMEOUT_MS = 300;
const CHARGE = { amount: 1000, currency: 'usd', source: 'tok_visa' } as const;

describe('charge edge cases', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ IDEMPOTENCY_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS), COMPLETER_AFTER_MS: '600000' });
  });
  afterAll(() => server.close());

  it('a charge whose authorization is still pending (crashed at charge_created) can be neither captured nor refunded', async () => {
    const api = new Api(server);
    await api.armFault({ path: '/v1/charges', fault: 'crash_after_phase', phase: 'charge_created' });
    const key = uniqueKey('pending');
    const params = { ...CHARGE, source: 'tok_chargeDeclined', capture: 'false' };
    expect((await api.post('/v1/charges', params, key)).dropped).toBe(true);
    const chargeId = (await api.idempotencyKey(key))?.resource_id as string;
    expect((await api.get(`/v1/charges/${chargeId}`)).body).toMatchObject({ status: 'pending', captured: false });

    const capture = await api.post(`/v1/charges/${chargeId}/capture`, {});
    expect([capture.status, capture.body.error?.code, capture.body.error?.message]).toEqual([
      429, 'lock_timeout', `Charge ${chargeId} is still being authorized and cannot be captured yet.`,
    ]);
    const refund = await api.post('/v1/refunds', { charge: chargeId });
    expect([refund.status, refund.body.error?.code]).toEqual([429, 'lock_timeout']);

    // The card declines once the request resumes: nothing may have been captured or refunded.
    await sleep(LOCK_TIMEOUT_MS + 100);
    expect((await api.post('/v1/charges', params, key)).status).toBe(402);
    expect((await api.get(`/v1/charges/${chargeId}`)).body).toMatchObject({
      status: 'failed', captured: false, amount_captured: 0, amount_refunded: 0, refunded: false,
    });
    expect(await api.allRefunds()).toEqual([]);
  });

  it('charges a raw card hash passed as source (source[object]=card, source[number], exp, cvc)', async () => {
    const res = await new Api(server).post('/v1/charges', {
      amount: 700,
      currency: 'usd',
      source: { object: 'card', number: '5555555555554444', exp_month: 12, exp_year: new Date().getFullYear() + 3, cvc: '123' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'succeeded', paid: true, amount: 700 });
    expect(res.body.source).toMatchObject({ object: 'card', brand: 'MasterCard', last4: '4444', exp_month: 12 });
  });

  it("a card hash takes the cardholder's name and address, as Stripe's does, and the charge shows them", async () => {
    const address = { address_line1: '1 Main St', address_line2: 'Apt 2', address_city: 'Springfield', address_state: 'IL', address_zip: '62701', address_country: 'US' };
    for (const param of ['card', 'source'] as const) {
      const hash = { number: '4242424242424242', exp_month: 12, exp_year: new Date().getFullYear() + 3, cvc: '123', name: 'Ada Lovelace', ...address, ...(param === 'source' && { object: 'card' }) };
      const res = await new Api(server).post('/v1/charges', { amount: 700, currency: 'usd', [param]: hash });
      expect([param, res.status]).toEqual([param, 200]);
      expect(res.body.source).toMatchObject({ name: 'Ada Lovelace', ...address, address_line1_check: 'pass', address_zip_check: 'pass' });
      expect(res.body.payment_method_details.card.checks).toEqual({ address_line1_check: 'pass', address_postal_code_check: 'pass', cvc_check: 'pass' });
      expect(res.body.billing_details).toEqual({
        address: { line1: '1 Main St', line2: 'Apt 2', city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' },
        email: null, name: 'Ada Lovelace', phone: null, tax_id: null,
      });
    }
  });

  it("a customer's saved card charged without naming its customer: 400 on source that says to pass the customer, and no charge", async () => {
    const api = new Api(server);
    const customer = await api.post('/v1/customers', { source: 'tok_visa' });
    const card = customer.body.default_source as string;
    const before = (await api.get('/v1/charges?limit=100')).body.data.length;

    const alone = await api.post('/v1/charges', { amount: 500, currency: 'usd', source: card });
    expect(alone.status).toBe(400);
    expect(alone.body.error).toMatchObject({
      type: 'invalid_request_error',
      param: 'source',
      message: `The card ${card} belongs to customer ${customer.body.id}: pass customer=${customer.body.id} to charge it.`,
    });
    const other = (await api.post('/v1/customers', {})).body.id;
    const wrong = await api.post('/v1/charges', { amount: 500, currency: 'usd', source: card, customer: other });
    expect(wrong.body.error).toMatchObject({ param: 'source', message: `Customer ${other} does not have a linked source with ID ${card}.` });
    expect((await api.get('/v1/charges?limit=100')).body.data.length).toBe(before);

    const paid = await api.post('/v1/charges', { amount: 500, currency: 'usd', source: card, customer: customer.body.id });
    expect(paid.status).toBe(200);
  });

  it('a token passed with a customer is refused, as Stripe does (a token is not one of its sources): no charge, no card attached', async () => {
    const account = server.stripe();
    const customer = await account.customers.create({ source: 'tok_visa' });

    for (const token of ['tok_mastercard', 'pm_card_amex']) {
      const refused = await account.charges.create({ amount: 500, currency: 'usd', customer: customer.id, source: token }).catch((e) => e);
      expect(refused).toMatchObject({
        statusCode: 400, rawType: 'invalid_request_error', code: 'missing', param: 'source',
        message: `Customer ${customer.id} does not have a linked source with ID ${token}.`,
      });
    }
    expect((await account.charges.list()).data).toEqual([]);
    expect((await account.customers.listSources(customer.id, { object: 'card' })).data).toHaveLength(1);

    // The token alone, or the customer alone (its default card), are charged.
    expect(await account.charges.create({ amount: 500, currency: 'usd', source: 'tok_mastercard' })).toMatchObject({ status: 'succeeded', customer: null });
    expect(await account.charges.create({ amount: 500, currency: 'usd', customer: customer.id })).toMatchObject({ status: 'succeeded', customer: customer.id });
  });

  it('an update gives a charge without a customer one, as Stripe allows; one with a customer keeps it', async () => {
    const account = server.stripe();
    const customer = await account.customers.create({ name: 'later' });
    const other = await account.customers.create({ name: 'other' });
    const charge = await account.charges.create({ amount: 500, currency: 'usd', source: 'tok_visa' });

    const updated = await account.charges.update(charge.id, { customer: customer.id });
    expect(updated.customer).toBe(customer.id);
    expect((await account.charges.list({ customer: customer.id })).data.map((c) => c.id)).toEqual([charge.id]);
    const [event] = (await account.events.list({ type: 'charge.updated', limit: 1 })).data;
    expect(event.data).toMatchObject({ object: { id: charge.id, customer: customer.id }, previous_attributes: { customer: null } });

    const again = await account.charges.update(charge.id, { customer: other.id }).catch((e) => e);
    expect(again).toMatchObject({ statusCode: 400, rawType: 'invalid_request_error', param: 'customer' });
    expect(again.message).toContain(customer.id);
    // Naming the customer it has already is no change.
    expect((await account.charges.update(charge.id, { customer: customer.id })).customer).toBe(customer.id);

    const fresh = await account.charges.create({ amount: 500, currency: 'usd', source: 'tok_visa' });
    const unknown = await account.charges.update(fresh.id, { customer: 'cus_missing' }).catch((e) => e);
    expect(unknown).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'customer' });
    const empty = await account.charges.update(fresh.id, { customer: '' }).catch((e) => e);
    expect(empty).toMatchObject({ statusCode: 400, param: 'customer' });
    expect((await account.charges.retrieve(fresh.id)).customer).toBeNull();
    expect((await account.charges.retrieve(charge.id)).customer).toBe(customer.id);
  });

  it('lists customer sources filtered by object=card, as the SDK documents', async () => {
    const account = server.stripe();
    const customer = await account.customers.create({ source: 'tok_visa' });
    const cards = await account.customers.listSources(customer.id, { object: 'card' });
    expect(cards.data.map((s) => s.id)).toEqual([customer.default_source]);
  });

  it('an amount above 99999999 is refused with code amount_too_large (Stripe’s code), like amount_too_small below the minimum', async () => {
    const api = new Api(server);
    expect((await api.post('/v1/charges', { ...CHARGE, amount: 49 })).body.error.code).toBe('amount_too_small');
    // However large: past 2^53 too (the SDK's `amount: 1e20`), where a JavaScript number is no longer exact.
    for (const amount of [100000000, '9007199254740993', '100000000000000000000', '9'.repeat(400)]) {
      const tooLarge = await api.post('/v1/charges', { ...CHARGE, amount });
      expect(tooLarge.status).toBe(400);
      expect(tooLarge.body.error).toMatchObject({ code: 'amount_too_large', param: 'amount', message: 'Amount must be no more than $999,999.99' });
    }
    // JSON's 1e400 is Infinity once parsed: too large as well, not 'Invalid integer: Infinity'.
    const json = await fetch(`${server.url}/v1/charges`, {
      method: 'POST', headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json' },
      body: '{"amount": 1e400, "currency": "usd", "source": "tok_visa"}',
    });
    expect([json.status, ((await json.json()) as { error: { code: string } }).error.code]).toEqual([400, 'amount_too_large']);
    // And the negative words are still Stripe's.
    expect((await api.post('/v1/charges', { ...CHARGE, amount: -5 })).body.error).toMatchObject({ param: 'amount', message: 'Invalid non-negative integer' });
  });

  it('a capture or refund amount however large is amount_too_large in Stripe\'s words, not a range error', async () => {
    const api = new Api(server);
    const held = (await api.post('/v1/charges', { ...CHARGE, amount: 2000, capture: 'false' })).body;
    for (const amount of [100000000, '9007199254740993', '9'.repeat(400)]) {
      const capture = await api.post(`/v1/charges/${held.id}/capture`, { amount });
      expect([capture.status, capture.body.error]).toEqual([400, expect.objectContaining({
        type: 'invalid_request_error', code: 'amount_too_large', param: 'amount', message: 'You cannot capture more than the authorized amount (2000).',
      })]);
    }
    const paid = (await api.post('/v1/charges', { ...CHARGE, amount: 2000 })).body;
    expect((await api.post('/v1/refunds', { charge: paid.id, amount: 2500 })).body.error).toMatchObject({
      code: 'amount_too_large', param: 'amount', message: 'Refund amount ($25.00) is greater than unrefunded amount on charge ($20.00)',
    });
    for (const amount of [100000000, '9007199254740993', '9'.repeat(400)]) {
      const refund = await api.post(`/v1/charges/${paid.id}/refunds`, { amount });
      expect([refund.status, refund.body.error]).toEqual([400, expect.objectContaining({
        type: 'invalid_request_error', code: 'amount_too_large', param: 'amount', message: 'Amount must be no more than $999,999.99',
      })]);
    }
    // Nothing moved: the charge is still held in full, the other not refunded at all.
    expect((await api.get(`/v1/charges/${held.id}`)).body).toMatchObject({ captured: false, amount_refunded: 0 });
    expect((await api.get(`/v1/charges/${paid.id}`, { expand: ['refunds'] })).body).toMatchObject({ amount_refunded: 0, refunds: { data: [] } });
  });
});
