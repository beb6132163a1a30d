import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { form, newKey, startServer, type TestServer } from './support/server.js';

/** The request log as a developer reads it: what their client sent (card data masked) and what came back. */
describe('request log (GET /_control/requests)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ REQUEST_LOG_LIMIT: '5' });
  });
  afterAll(() => server.close());

  async function call(key: string, method: string, path: string, params?: Record<string, unknown>, idempotencyKey?: string) {
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    if (method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const res = await fetch(server.url + path, { method, headers, body: method === 'POST' ? form(params ?? {}) : undefined });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  const requests = async (key: string, query: Record<string, unknown> = {}) => {
    const qs = form(query);
    const res = await call(key, 'GET', `/_control/requests${qs ? `?${qs}` : ''}`);
    expect(res.status).toBe(200);
    return res.body as { object: string; has_more: boolean; data: any[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  it('records a charge made with the SDK, card number masked to its last 4 digits', async () => {
    const key = newKey();
    const stripe = server.stripe(key);
    const card = await stripe.customers.create({ email: 'pan@example.com' });
    const charge = await stripe.charges.create({ amount: 2000, currency: 'usd', source: 'tok_visa', metadata: { note: 'card 4000000000000002' } });
    const res = await call(key, 'POST', '/v1/charges', { amount: 999, currency: 'usd', card: { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' } });
    expect(res.status).toBe(200);

    const list = await requests(key);
    expect(list.object).toBe('list');
    expect(list.data.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /v1/charges 200', 'POST /v1/charges 200', 'POST /v1/customers 200']);
    const [raw, sdk, customer] = list.data;
    expect(raw.params.card).toEqual({ number: '••••4242', exp_month: '12', exp_year: '2034', cvc: '***' });
    expect(JSON.stringify(list)).not.toContain('4242424242424242');
    expect(JSON.stringify(list)).not.toContain('4000000000000002');
    expect(sdk.params.metadata.note).toBe('card ••••0002');
    expect(sdk.response_body.id).toBe(charge.id);
    expect(sdk.id).toMatch(/^req_/);
    expect(sdk.idempotency_key).toMatch(/^stripe-node-retry-/); // the SDK sends one on every POST
    expect(sdk.replayed).toBe(false);
    expect(typeof sdk.duration_ms).toBe('number');
    expect(customer.response_body.id).toBe(card.id);
  });

  it('flags replays, records errors and dropped responses, and filters by path, status and key', async () => {
    const key = newKey();
    const first = await call(key, 'POST', '/v1/charges', { amount: 1500, currency: 'usd', source: 'tok_visa' }, 'order-1');
    const again = await call(key, 'POST', '/v1/charges', { amount: 1500, currency: 'usd', source: 'tok_visa' }, 'order-1');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const declined = await call(key, 'POST', '/v1/charges', { amount: 1500, currency: 'usd', source: 'tok_chargeDeclined' });
    expect(declined.status).toBe(402);
    await call(key, 'GET', `/v1/charges/${first.body.id}`);

    const byKey = await requests(key, { idempotency_key: 'order-1' });
    expect(byKey.data.map((r) => [r.replayed, r.status])).toEqual([[true, 200], [false, 200]]);
    expect(byKey.data[0].original_request).toBe(byKey.data[1].id);
    expect(byKey.data[0].response_body).toEqual(byKey.data[1].response_body);

    const failed = await requests(key, { status: 402 });
    expect(failed.data).toHaveLength(1);
    expect(failed.data[0].response_body.error.code).toBe('card_declined');

    const reads = await requests(key, { path: `/v1/charges/${first.body.id}` });
    expect(reads.data.map((r) => r.method)).toEqual(['GET']);

    // A lost response is recorded too: the request ran, nobody heard the answer.
    expect((await call(key, 'POST', '/_control/faults', { path: '/v1/charges', fault: 'drop_response' })).status).toBe(200);
    await expect(call(key, 'POST', '/v1/charges', { amount: 700, currency: 'usd', source: 'tok_visa' })).rejects.toThrow();
    const [dropped] = (await requests(key, { limit: 1 })).data;
    expect(dropped).toMatchObject({ path: '/v1/charges', status: null, response_dropped: true, response_body: null });
  });

  it('refuses a filter sent empty, naming it, rather than listing every request', async () => {
    // What `?idempotency_key=$KEY` sends with the variable unset: listing everything would read as that key's history.
    const key = newKey();
    await call(key, 'POST', '/v1/charges', { amount: 1500, currency: 'usd', source: 'tok_visa' }, 'order-1');
    for (const filter of ['idempotency_key', 'path', 'status']) {
      const res = await call(key, 'GET', `/_control/requests?${filter}=`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: filter, code: 'parameter_invalid_empty' });
      expect(res.body.error.message).toContain(`You passed an empty string for '${filter}'`);
    }
    expect((await requests(key, { idempotency_key: 'order-1' })).data).toHaveLength(1);
  });

  it('records requests refused before they reached an endpoint: malformed JSON, an unknown route, a bad Stripe-Version', async () => {
    const key = newKey();
    const auth = { authorization: `Bearer ${key}` };
    const malformed = await fetch(`${server.url}/v1/customers`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"name":' });
    const unknown = await fetch(`${server.url}/v1/nowhere`, { headers: auth });
    const version = await fetch(`${server.url}/v1/customers`, { headers: { ...auth, 'stripe-version': 'yesterday' } });
    expect([malformed.status, unknown.status, version.status]).toEqual([400, 404, 400]);
    // Without a valid key there is no account to show a request to: it is recorded nowhere.
    await fetch(`${server.url}/v1/nowhere`, { headers: { authorization: 'Bearer sk_test_' } });

    const logged = (await requests(key)).data;
    expect(logged.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', '/v1/customers', 400],
      ['GET', '/v1/nowhere', 404],
      ['POST', '/v1/customers', 400],
    ]);
    expect(logged.map((r) => r.id)).toEqual([version, unknown, malformed].map((res) => res.headers.get('request-id')));
    expect(logged[2].response_body.error).toMatchObject({ type: 'invalid_request_error' });
  });

  it('pages newest first with starting_after, and never shows another account its requests', async () => {
    const key = newKey();
    for (const amount of [501, 502, 503]) await call(key, 'POST', '/v1/charges', { amount, currency: 'usd', source: 'tok_visa' });
    const page1 = await requests(key, { limit: 2 });
    expect(page1.has_more).toBe(true);
    expect(page1.data.map((r) => r.params.amount)).toEqual(['503', '502']);
    const page2 = await requests(key, { limit: 2, starting_after: page1.data[1].id });
    expect(page2.has_more).toBe(false);
    expect(page2.data.map((r) => r.params.amount)).toEqual(['501']);

    const other = newKey();
    expect((await requests(other)).data).toEqual([]);
    const cursor = await call(other, 'GET', `/_control/requests?starting_after=${page1.data[0].id}`);
    expect(cursor.status).toBe(404);
  });

  it('keeps only the newest REQUEST_LOG_LIMIT requests of an account', async () => {
    const key = newKey();
    for (let i = 1; i <= 8; i++) await call(key, 'GET', `/v1/customers?limit=${i}`);
    const all = await requests(key, { limit: 100 });
    expect(all.data.map((r) => r.params.limit)).toEqual(['8', '7', '6', '5', '4']);
  });

  it('is emptied by the account reset, and only for that account', async () => {
    const key = newKey();
    const other = newKey();
    await call(key, 'GET', '/v1/customers');
    await call(other, 'GET', '/v1/customers');
    expect((await call(key, 'POST', '/_control/reset')).body.deleted.request_log).toBe(1);
    expect((await requests(key)).data).toEqual([]);
    expect((await requests(other)).data).toHaveLength(1);
  });

  it('masks a card number sent as a JSON number, in the path or in the Idempotency-Key', async () => {
    const key = newKey();
    const res = await fetch(`${server.url}/v1/charges`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': 'pan-4242424242424242' },
      body: '{"amount":500,"currency":"usd","card":{"number":4242424242424242,"exp_month":12,"exp_year":2030}}',
    });
    expect(res.status).toBe(400);
    await call(key, 'GET', '/v1/charges/4000000000000002');
    const log = JSON.stringify((await requests(key)).data);
    expect(log).not.toMatch(/4242424242424242|4000000000000002/);
    expect(log).toContain('••••4242');
    expect(log).toContain('••••0002');
    // Filtering by the key or path as the client sent them finds those entries, masked.
    expect((await requests(key, { idempotency_key: 'pan-4242424242424242' })).data.map((r) => r.idempotency_key)).toEqual(['pan-••••4242']);
    expect((await requests(key, { path: '/v1/charges/4000000000000002' })).data.map((r) => r.path)).toEqual(['/v1/charges/••••0002']);

    // Percent-encoding does not hide a card: the path is logged decoded and masked.
    await call(key, 'GET', '/v1/customers/4242%204242%204242%204242');
    const [encoded] = (await requests(key, { path: '/v1/customers/4242%204242%204242%204242' })).data;
    expect(encoded.path).toBe('/v1/customers/••••4242');
    expect(JSON.stringify((await requests(key)).data)).not.toMatch(/4242(%20| )4242(%20| )4242(%20| )4242/);
  });

  it('masks a card number that shows up in a response body', async () => {
    const key = newKey();
    // The error message echoes the value: the stored body has the number, what the log shows must not.
    const echoed = await call(key, 'POST', '/v1/customers', { email: '4242424242424242' });
    expect(JSON.stringify(echoed.body)).toContain('4242424242424242');
    const [entry] = (await requests(key)).data;
    expect(entry.response_body.error.message).toContain('••••4242');
    expect(JSON.stringify(entry)).not.toContain('4242424242424242');
  });


  it('shows a list response as it was sent, even after its charges changed, card numbers masked', async () => {
    const key = newKey();
    const a = await call(key, 'POST', '/v1/charges', { amount: 1000, currency: 'usd', source: 'tok_visa', description: 'before' });
    await call(key, 'POST', '/v1/charges', { amount: 1100, currency: 'usd', source: 'tok_visa', description: 'card 4242424242424242' });
    const sent = await call(key, 'GET', '/v1/charges?limit=2');
    expect(sent.body.data.map((c: { description: string }) => c.description)).toEqual(['card 4242424242424242', 'before']);

    await call(key, 'POST', `/v1/charges/${a.body.id}`, { description: 'after' });
    await call(key, 'POST', `/v1/charges/${a.body.id}/refunds`, { amount: 300 });

    const [entry] = (await requests(key, { path: '/v1/charges', status: 200 })).data.filter((r) => r.method === 'GET');
    expect(entry.response_body).toEqual({ ...sent.body, data: [{ ...sent.body.data[0], description: 'card ••••4242' }, sent.body.data[1]] });
    expect(entry.response_body.data[1]).toMatchObject({ description: 'before', amount_refunded: 0 });
  });
  it('lists idempotency keys newest first for the dashboard', async () => {
    const key = newKey();
    await call(key, 'POST', '/v1/charges', { amount: 800, currency: 'usd', source: 'tok_visa' }, 'k-a');
    await call(key, 'POST', '/v1/customers', { email: 'a@example.com' }, 'k-b');
    const res = await call(key, 'GET', '/_control/idempotency_keys?limit=10');
    expect(res.status).toBe(200);
    expect(res.body.data.map((k: { key: string; recovery_point: string }) => [k.key, k.recovery_point])).toEqual([
      ['k-b', 'finished'],
      ['k-a', 'finished'],
    ]);
    expect((await call(newKey(), 'GET', '/_control/idempotency_keys')).body.data).toEqual([]);

    // Pages follow has_more with starting_after, a key from the page before.
    await call(key, 'POST', '/v1/customers', { email: 'c@example.com' }, 'k-c');
    const first = (await call(key, 'GET', '/_control/idempotency_keys?limit=2')).body;
    expect([first.has_more, first.data.map((k: { key: string }) => k.key)]).toEqual([true, ['k-c', 'k-b']]);
    const next = (await call(key, 'GET', '/_control/idempotency_keys?limit=2&starting_after=k-b')).body;
    expect([next.has_more, next.data.map((k: { key: string }) => k.key)]).toEqual([false, ['k-a']]);
    const unknown = await call(key, 'GET', '/_control/idempotency_keys?starting_after=k-zzz');
    expect([unknown.status, unknown.body.error.param, unknown.body.error.code]).toEqual([404, 'starting_after', 'resource_missing']);
  });
});
