import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Stripe from 'stripe';
import request from 'supertest';
import { rejection } from './support/errors.js';
import { newKey, startServer, type TestServer } from './support/server.js';

describe('customers.update with source replaces the default source, as Stripe does', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  /** Event types oldest first, and the events themselves. */
  const history = async (stripe: Stripe) => (await stripe.events.list({ limit: 100 })).data.reverse();
  const cardIds = async (stripe: Stripe, customer: string) =>
    (await stripe.customers.listSources(customer, { object: 'card' })).data.map((c) => c.id);

  it('attaches the new card as the default and deletes the old default; other cards stay', async () => {
    const stripe = server.stripe();
    const customer = await stripe.customers.create({ source: 'tok_visa' });
    const oldDefault = customer.default_source as string;
    const other = (await stripe.customers.createSource(customer.id, { source: 'tok_amex' })).id;
    const before = (await history(stripe)).length;

    const updated = await stripe.customers.update(customer.id, { source: 'tok_mastercard' });
    const newDefault = updated.default_source as string;
    expect(newDefault).toMatch(/^card_/);
    expect(newDefault).not.toBe(oldDefault);
    expect((await stripe.customers.retrieveSource(customer.id, newDefault)) as Stripe.Card).toMatchObject({ brand: 'MasterCard', customer: customer.id });
    expect((await cardIds(stripe, customer.id)).sort()).toEqual([newDefault, other].sort());
    expect(await rejection(stripe.customers.retrieveSource(customer.id, oldDefault))).toMatchObject({ statusCode: 404, code: 'resource_missing' });

    const events = (await history(stripe)).slice(before);
    expect(events.map((e) => e.type)).toEqual(['customer.source.created', 'customer.source.deleted', 'customer.updated']);
    expect(events[0].data.object).toMatchObject({ id: newDefault, object: 'card' });
    expect(events[1].data.object).toMatchObject({ id: oldDefault, object: 'card', customer: customer.id });
    expect(events[2].data).toMatchObject({ object: { id: customer.id, default_source: newDefault }, previous_attributes: { default_source: oldDefault } });
    // The card that was gone is no longer chargeable through the customer: the default is the new one.
    const charge = await stripe.charges.create({ amount: 500, currency: 'usd', customer: customer.id });
    expect(charge.payment_method).toBe(newDefault);
  });

  it('a customer without cards just gets the new card as its default: nothing is deleted', async () => {
    const stripe = server.stripe();
    const customer = await stripe.customers.create({ name: 'No cards yet' });
    const updated = await stripe.customers.update(customer.id, { source: 'tok_visa' });
    expect(await cardIds(stripe, customer.id)).toEqual([updated.default_source]);
    expect((await history(stripe)).map((e) => e.type)).toEqual(['customer.created', 'customer.source.created', 'customer.updated']);
  });

  it('a declined card leaves the old default attached and the default unchanged', async () => {
    const stripe = server.stripe();
    const customer = await stripe.customers.create({ source: 'tok_visa' });
    const before = (await history(stripe)).length;
    for (const token of ['tok_chargeDeclined', 'tok_chargeDeclinedInsufficientFunds']) {
      expect(await rejection(stripe.customers.update(customer.id, { source: token }))).toMatchObject({ statusCode: 402, code: 'card_declined' });
    }
    expect(await cardIds(stripe, customer.id)).toEqual([customer.default_source]);
    expect(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).default_source).toBe(customer.default_source);
    expect((await history(stripe)).length).toBe(before);
  });

  it('with default_source: naming the old default keeps it as the default; naming another card, the old default still goes', async () => {
    const stripe = server.stripe();
    const keeper = await stripe.customers.create({ source: 'tok_visa' });
    const kept = await stripe.customers.update(keeper.id, { source: 'tok_mastercard', default_source: keeper.default_source as string });
    expect(kept.default_source).toBe(keeper.default_source);
    expect(await cardIds(stripe, keeper.id)).toHaveLength(2);

    const customer = await stripe.customers.create({ source: 'tok_visa' });
    const visa = customer.default_source as string;
    const amex = (await stripe.customers.createSource(customer.id, { source: 'tok_amex' })).id;

    const chosen = await stripe.customers.update(customer.id, { source: 'tok_mastercard', default_source: amex });
    expect(chosen.default_source).toBe(amex);
    const cards = (await stripe.customers.listSources(customer.id, { object: 'card' })).data as Stripe.Card[];
    expect(cards.map((c) => c.brand).sort()).toEqual(['American Express', 'MasterCard']);
    expect(cards.map((c) => c.id)).not.toContain(visa);
  });

  it('the old default that invoices used is no longer their default once deleted', async () => {
    const stripe = server.stripe();
    const customer = await stripe.customers.create({ source: 'tok_visa' });
    const visa = customer.default_source as string;
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: visa } });
    const updated = await stripe.customers.update(customer.id, { source: 'tok_mastercard' });
    expect(updated.invoice_settings.default_payment_method).toBeNull();
    const [event] = (await stripe.events.list({ type: 'customer.updated', limit: 1 })).data;
    expect(event.data.previous_attributes).toEqual({ default_source: visa, invoice_settings: { default_payment_method: visa } });
  });

  it('a retried update (same Idempotency-Key, or the SDK after a lost response) replaces the default once', async () => {
    const apiKey = newKey();
    const stripe = server.stripe(apiKey);
    const customer = await stripe.customers.create({ source: 'tok_visa' });

    const first = await stripe.customers.update(customer.id, { source: 'tok_mastercard' }, { idempotencyKey: 'replace-once' });
    const again = await stripe.customers.update(customer.id, { source: 'tok_mastercard' }, { idempotencyKey: 'replace-once' });
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(again.default_source).toBe(first.default_source);
    expect(await cardIds(stripe, customer.id)).toEqual([first.default_source]);

    // The answer is lost after the commit; the SDK retries with its own key and gets the replay.
    const fault = await request(server.url).post('/_control/faults').auth(apiKey, '').type('form')
      .send({ path: `/v1/customers/${customer.id}`, fault: 'drop_response' });
    expect(fault.status).toBe(200);
    const retried = await server.stripe(apiKey, { maxNetworkRetries: 1 }).customers.update(customer.id, { source: 'tok_amex' });
    expect(retried.lastResponse.headers['idempotent-replayed']).toBe('true');
    const cards = (await stripe.customers.listSources(customer.id, { object: 'card' })).data as Stripe.Card[];
    expect(cards.map((c) => [c.id, c.brand])).toEqual([[retried.default_source, 'American Express']]);

    const types = (await history(stripe)).map((e) => e.type);
    expect(types.filter((t) => t === 'customer.source.created')).toHaveLength(3);
    expect(types.filter((t) => t === 'customer.source.deleted')).toHaveLength(2);
  });
});
