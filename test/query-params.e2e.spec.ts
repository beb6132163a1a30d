import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { newKey, startServer, type TestServer } from './support/server.js';

/**
 * Stripe reads a POST's query string as parameters too, which curl users rely on
 * (`curl -X POST '…/v1/refunds?amount=100' -d charge=ch_…`). The SDK never does it, so only the wire shows it.
 */
describe('parameters in the query string of a POST', () => {
  let server: TestServer;
  let api: ReturnType<typeof request>;

  beforeAll(async () => {
    server = await startServer();
    api = request(server.url);
  });
  afterAll(() => server.close());

  const post = (key: string, path: string, body = '', idempotencyKey?: string) => {
    const req = api.post(path).set('Authorization', `Bearer ${key}`).set('Content-Type', 'application/x-www-form-urlencoded');
    if (idempotencyKey) req.set('Idempotency-Key', idempotencyKey);
    return req.send(body);
  };

  it('a refund amount given in the query refunds that amount, not the whole charge', async () => {
    const key = newKey();
    const stripe = server.stripe(key);
    const charge = await stripe.charges.create({ amount: 1000, currency: 'usd', source: 'tok_visa' });

    const res = await post(key, '/v1/refunds?amount=100', `charge=${charge.id}`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'refund', amount: 100, charge: charge.id });
    expect((await stripe.charges.retrieve(charge.id)).amount_refunded).toBe(100);
  });

  it('a POST with all its params in the query and no body creates what they say', async () => {
    const key = newKey();
    const res = await api
      .post('/v1/charges?amount=1500&currency=usd&source=tok_visa&metadata[order]=42')
      .set('Authorization', `Bearer ${key}`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ amount: 1500, currency: 'usd', metadata: { order: '42' } });
    const listed = await server.stripe(key).charges.list();
    expect(listed.data.map((c) => c.id)).toEqual([res.body.id]);
  });

  it('query and body params together update an object; an unknown query param is refused by name', async () => {
    const key = newKey();
    const stripe = server.stripe(key);
    const customer = await stripe.customers.create({ name: 'before' });

    const updated = await post(key, `/v1/customers/${customer.id}?name=after`, 'email=a%40example.com');
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'after', email: 'a@example.com' });

    const refused = await post(key, `/v1/customers/${customer.id}?name=again&bogus=1`);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_unknown', param: 'bogus' });
    expect((await stripe.customers.retrieve(customer.id)) as { name: string }).toMatchObject({ name: 'after' });
  });

  it('a param given in both the query and the body is refused, naming it, and nothing is created', async () => {
    const key = newKey();
    const res = await post(key, '/v1/charges?amount=100', 'amount=5000&currency=usd&source=tok_visa');

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: 'amount' });
    expect(res.body.error.message).toMatch(/query string.*body|body.*query string/);
    expect((await server.stripe(key).charges.list()).data).toEqual([]);
  });

  it('query params are part of what an Idempotency-Key remembers', async () => {
    const key = newKey();
    const stripe = server.stripe(key);
    const charge = await stripe.charges.create({ amount: 1000, currency: 'usd', source: 'tok_visa' });

    const requests = await Promise.all(
      Array.from({ length: 8 }, () => post(key, '/v1/refunds?amount=300', `charge=${charge.id}`, 'refund-in-query')),
    );
    const ok = requests.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThan(0);
    expect(new Set(ok.map((r) => r.body.id)).size).toBe(1);
    // The others were told the first was still in flight; none made a refund of its own.
    for (const r of requests.filter((r) => r.status !== 200)) expect(r.status).toBe(409);

    const replay = await post(key, '/v1/refunds?amount=300', `charge=${charge.id}`, 'refund-in-query');
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(ok[0].body.id);

    const otherAmount = await post(key, '/v1/refunds?amount=400', `charge=${charge.id}`, 'refund-in-query');
    expect(otherAmount.status).toBe(400);
    expect(otherAmount.body.error.type).toBe('idempotency_error');

    expect((await stripe.charges.retrieve(charge.id)).amount_refunded).toBe(300);
  });
});
