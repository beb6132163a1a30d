import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { startServer, type TestServer } from './support/server.js';

describe('customers through the official stripe SDK', () => {
  let server: TestServer;
  let stripe: Stripe;

  beforeAll(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  afterAll(() => server.close());

  it('creates, retrieves, updates (merging metadata) and deletes a customer', async () => {
    const created = await stripe.customers.create({
      email: 'ada@example.com',
      name: 'Ada',
      metadata: { plan: 'pro', team: 'core' },
      address: { city: 'London', country: 'GB' },
    });
    expect(created.id).toMatch(/^cus_[0-9A-Za-z]{14}$/);
    expect(created).toMatchObject({ object: 'customer', email: 'ada@example.com', livemode: false, balance: 0 });
    expect(created.address).toEqual({ city: 'London', country: 'GB', line1: null, line2: null, postal_code: null, state: null });

    const fetched = await stripe.customers.retrieve(created.id);
    expect(fetched).toEqual(created);

    const updated = await stripe.customers.update(created.id, { metadata: { team: '', region: 'eu' }, description: 'vip' });
    expect(updated.metadata).toEqual({ plan: 'pro', region: 'eu' });
    expect(updated.description).toBe('vip');

    const deleted = await stripe.customers.del(created.id);
    expect(deleted).toEqual({ id: created.id, object: 'customer', deleted: true });
    await expect(stripe.customers.retrieve(created.id)).resolves.toEqual({ id: created.id, object: 'customer', deleted: true });
    await expect(stripe.customers.update(created.id, { name: 'x' })).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('replays the same Idempotency-Key without creating a second customer', async () => {
    const account = server.stripe();
    const first = await account.customers.create({ email: 'k@example.com' }, { idempotencyKey: 'once' });
    const again = await account.customers.create({ email: 'k@example.com' }, { idempotencyKey: 'once' });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(again.lastResponse.headers['original-request']).toBe(first.lastResponse.requestId);
    const list = await account.customers.list();
    expect(list.data.map((c) => c.id)).toEqual([first.id]);
  });
});
