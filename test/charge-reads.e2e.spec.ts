import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { Api } from './support/api.js';
import { newKey, startServer, type TestServer } from './support/server.js';

/**
 * Reads of charges are served from their cached JSON (ChargeJsonCache). Each test reads a charge first,
 * so that it is cached, then changes it every way the API allows and reads it back by id and in a list:
 * a reader must never see a charge as it was before a committed change.
 */
describe('reading charges back after every kind of change', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ CARD_NETWORK_LATENCY_MS: '0' });
  });
  afterAll(() => server.close());

  /**
   * The charge as retrieved by id and as found in the first list page: both must agree, as they are and
   * with their refunds, which are shown only when asked. Returns the charge with its refunds.
   */
  async function readBack(stripe: Stripe, id: string) {
    const byId = await stripe.charges.retrieve(id);
    const listed = (await stripe.charges.list({ limit: 100 })).data.find((c) => c.id === id);
    expect(listed).toEqual(byId);
    expect(byId).not.toHaveProperty('refunds');
    const expanded = await stripe.charges.retrieve(id, { expand: ['refunds'] });
    const expandedListed = (await stripe.charges.list({ limit: 100, expand: ['data.refunds'] })).data.find((c) => c.id === id);
    expect(expandedListed).toEqual(expanded);
    expect({ ...expanded, refunds: undefined }).toEqual({ ...byId, refunds: undefined });
    return expanded;
  }

  it('an update, a capture and refunds all show on the next read, by id and in lists', async () => {
    const stripe = server.stripe();
    const charge = await stripe.charges.create({ amount: 5000, currency: 'usd', source: 'tok_visa', capture: false });
    expect(await readBack(stripe, charge.id)).toMatchObject({ captured: false, description: null, amount_refunded: 0 });

    await stripe.charges.update(charge.id, { description: 'updated', metadata: { order: '42' } });
    expect(await readBack(stripe, charge.id)).toMatchObject({ description: 'updated', metadata: { order: '42' } });

    await stripe.charges.capture(charge.id, { amount: 4000 });
    const captured = await readBack(stripe, charge.id);
    expect(captured).toMatchObject({ captured: true, amount_captured: 4000, amount_refunded: 1000 });
    const release = captured.refunds!.data[0];
    expect(captured.refunds?.data).toEqual([expect.objectContaining({ amount: 1000, status: 'succeeded' })]);

    const refund = await stripe.refunds.create({ charge: charge.id, amount: 1500 });
    const refunded = await readBack(stripe, charge.id);
    expect(refunded).toMatchObject({ amount_refunded: 2500, refunded: false });
    expect(refunded.refunds?.data.map((r) => r.id)).toEqual([refund.id, release.id]);

    await stripe.refunds.update(refund.id, { metadata: { reason: 'late' } });
    expect((await readBack(stripe, charge.id)).refunds?.data[0].metadata).toEqual({ reason: 'late' });

    const rest = await stripe.refunds.create({ charge: charge.id });
    const full = await readBack(stripe, charge.id);
    expect(full).toMatchObject({ amount_refunded: 5000, refunded: true });
    expect(full.refunds?.data.map((r) => r.id)).toEqual([rest.id, refund.id, release.id]);
    expect(rest.amount).toBe(2500);
  });

  it('a charge read while its card network call is in flight reads as succeeded once it is', async () => {
    const slow = await startServer({ CARD_NETWORK_LATENCY_MS: '300' });
    try {
      const key = newKey();
      const stripe = slow.stripe(key);
      const api = new Api(slow, key);
      const creating = stripe.charges.create({ amount: 1200, currency: 'usd', source: 'tok_visa' });
      let pending: Stripe.Charge | undefined;
      for (let i = 0; i < 50 && !pending; i++) {
        const page = (await api.get('/v1/charges')).body as { data: Stripe.Charge[] };
        pending = page.data[0];
        if (!pending) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(pending?.status).toBe('pending');
      expect((await stripe.charges.retrieve(pending!.id)).status).toBe('pending');

      const created = await creating;
      expect(created.id).toBe(pending!.id);
      expect(await readBack(stripe, created.id)).toMatchObject({ status: 'succeeded', paid: true, captured: true });
    } finally {
      await slow.close();
    }
  });

  it('a charge deleted by a reset is gone, even though it was read just before', async () => {
    const key = newKey();
    const stripe = server.stripe(key);
    const charge = await stripe.charges.create({ amount: 700, currency: 'usd', source: 'tok_visa' });
    await readBack(stripe, charge.id);
    expect((await new Api(server, key).post('/_control/reset', {})).status).toBe(200);
    await expect(stripe.charges.retrieve(charge.id)).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    expect((await stripe.charges.list()).data).toEqual([]);
  });

  it('lists filtered by payment_intent (oncepay charges have none) or by a transfer_group no charge has are empty; customer still filters', async () => {
    const stripe = server.stripe();
    const customer = await stripe.customers.create({ source: 'tok_visa' });
    const mine = await stripe.charges.create({ amount: 500, currency: 'usd', customer: customer.id });
    await stripe.charges.create({ amount: 600, currency: 'usd', source: 'tok_visa' });

    expect((await stripe.charges.list({ payment_intent: 'pi_123' })).data).toEqual([]);
    expect((await stripe.charges.list({ transfer_group: 'order_1' })).data).toEqual([]);
    expect((await stripe.charges.list({ customer: customer.id, payment_intent: 'pi_123' })).data).toEqual([]);
    expect((await stripe.charges.list({ customer: customer.id })).data.map((c) => c.id)).toEqual([mine.id]);
    expect((await stripe.charges.list()).data).toHaveLength(2);
  });

  it('the same list page asked again shows every charge made, changed or reset since, and only the caller’s', async () => {
    const key = newKey();
    const stripe = server.stripe(key);
    const other = server.stripe();
    const page = async (client = stripe) => (await client.charges.list({ limit: 3 })).data.map((c) => [c.id, c.status, c.amount_refunded]);
    expect(await page()).toEqual([]);
    const first = await stripe.charges.create({ amount: 1000, currency: 'usd', source: 'tok_visa' });
    expect(await page()).toEqual([[first.id, 'succeeded', 0]]);
    expect(await page()).toEqual([[first.id, 'succeeded', 0]]);
    const declined = await stripe.charges.create({ amount: 1000, currency: 'usd', source: 'tok_chargeDeclined' }).catch((e: Stripe.errors.StripeCardError) => e.charge as string);
    expect(await page()).toEqual([[declined, 'failed', 0], [first.id, 'succeeded', 0]]);
    await stripe.refunds.create({ charge: first.id, amount: 300 });
    expect(await page()).toEqual([[declined, 'failed', 0], [first.id, 'succeeded', 300]]);
    const hold = await stripe.charges.create({ amount: 900, currency: 'usd', source: 'tok_visa', capture: false });
    const captured = async () => (await stripe.charges.list({ limit: 3 })).data.map((c) => [c.id, c.captured, c.metadata.note ?? null]);
    expect(await captured()).toEqual([[hold.id, false, null], [declined, false, null], [first.id, true, null]]);
    await stripe.charges.capture(hold.id);
    expect(await captured()).toEqual([[hold.id, true, null], [declined, false, null], [first.id, true, null]]);
    await stripe.charges.update(first.id, { metadata: { note: 'updated' } });
    expect(await captured()).toEqual([[hold.id, true, null], [declined, false, null], [first.id, true, 'updated']]);
    await stripe.refunds.create({ charge: hold.id });
    // Another account's writes leave this page as it is, and its own page has only its charges.
    const theirs = await other.charges.create({ amount: 700, currency: 'usd', source: 'tok_visa' });
    expect(await page(other)).toEqual([[theirs.id, 'succeeded', 0]]);
    expect(await page()).toEqual([[hold.id, 'succeeded', 900], [declined, 'failed', 0], [first.id, 'succeeded', 300]]);
    expect((await fetch(`${server.url}/_control/reset`, { method: 'POST', headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect(await page()).toEqual([]);
    expect(await page(other)).toEqual([[theirs.id, 'succeeded', 0]]);
  });

  it('an expanded list page is never kept: a customer changed since shows on the next identical list', async () => {
    const stripe = server.stripe();
    const customer = await stripe.customers.create({ email: 'before@example.com', source: 'tok_visa' });
    await stripe.charges.create({ amount: 800, currency: 'usd', customer: customer.id });
    const emails = async () =>
      (await stripe.charges.list({ expand: ['data.customer'] })).data.map((c) => (c.customer as Stripe.Customer).email);
    expect(await emails()).toEqual(['before@example.com']);
    await stripe.customers.update(customer.id, { email: 'after@example.com' });
    expect(await emails()).toEqual(['after@example.com']);
  });

  it('another account cannot read a charge, cached or not', async () => {
    const stripe = server.stripe();
    const charge = await stripe.charges.create({ amount: 900, currency: 'usd', source: 'tok_visa' });
    await readBack(stripe, charge.id);
    await expect(server.stripe().charges.retrieve(charge.id)).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('under concurrent refunds and reads, the last read shows every refund', async () => {
    const stripe = server.stripe();
    const charge = await stripe.charges.create({ amount: 10_000, currency: 'usd', source: 'tok_visa' });
    const refunds = Array.from({ length: 20 }, () => stripe.refunds.create({ charge: charge.id, amount: 100 }));
    const reads = Array.from({ length: 40 }, (_, i) => (i % 2 ? stripe.charges.retrieve(charge.id) : stripe.charges.list({ limit: 5 })));
    const [made] = await Promise.all([Promise.all(refunds), Promise.all(reads)]);
    const final = await readBack(stripe, charge.id);
    expect(final.amount_refunded).toBe(2000);
    // Expanded, the charge shows the newest 10 (Stripe's sublist page) and counts them all.
    expect(final.refunds).toMatchObject({ total_count: 20, has_more: true });
    const all = (await stripe.refunds.list({ charge: charge.id, limit: 100 })).data.map((r) => r.id);
    expect([...all].sort()).toEqual(made.map((r) => r.id).sort());
    expect(final.refunds!.data.map((r) => r.id)).toEqual(all.slice(0, 10));
  });
});
