import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { connect } from 'node:net';
import request from 'supertest';
import { CustomersService } from '../src/customers/customers.service.js';
import { newKey, startServer, type TestServer } from './support/server.js';

const NO_API_KEY =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";
const PUBLISHABLE_KEY =
  'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.';

interface Expected {
  status: number;
  type?: string;
  code?: string;
  param?: string;
  message: string | RegExp;
}

/** Asserts the Stripe error envelope, and what every response carries: a fresh request id. */
function expectError(res: request.Response, expected: Expected): void {
  expect(res.headers['request-id']).toMatch(/^req_[0-9A-Za-z]{14}$/);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect({ status: res.status, type: res.body.error?.type, param: res.body.error?.param }).toEqual({
    status: expected.status,
    type: expected.type ?? 'invalid_request_error',
    param: expected.param,
  });
  if (expected.code !== undefined) expect(res.body.error.code).toBe(expected.code);
  if (typeof expected.message === 'string') expect(res.body.error.message).toBe(expected.message);
  else expect(res.body.error.message).toMatch(expected.message);
}

describe('errors on the wire', () => {
  let server: TestServer;
  let api: ReturnType<typeof request>;
  const key = newKey();
  const statuses: number[] = [];

  beforeAll(async () => {
    server = await startServer();
    api = request(server.url);
  });
  afterAll(async () => {
    // Closed first: a failed expectation below must not leave the server open and Jest waiting forever.
    await server.close();
    // None of the bad input above may ever have been answered with a server error.
    expect(statuses.length).toBeGreaterThan(30);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  });

  const track = (res: request.Response) => {
    statuses.push(res.status);
    return res;
  };
  const post = async (path: string, body: string | object, contentType = 'application/x-www-form-urlencoded') =>
    track(await api.post(path).set('Authorization', `Bearer ${key}`).set('Content-Type', contentType).send(body));
  const get = async (path: string) => track(await api.get(path).set('Authorization', `Bearer ${key}`));

  describe('authentication', () => {
    it('401 without an API key', async () => {
      expectError(track(await api.get('/v1/customers')), { status: 401, message: NO_API_KEY });
    });

    it('401 for a publishable key', async () => {
      expectError(track(await api.get('/v1/customers').set('Authorization', 'Bearer pk_test_123456789012')), {
        status: 401,
        message: PUBLISHABLE_KEY,
      });
    });

    it('401 for a malformed or live key, showing only a redacted form of it', async () => {
      expectError(track(await api.get('/v1/customers').set('Authorization', 'Bearer garbage')), {
        status: 401,
        message: 'Invalid API Key provided: garbage',
      });
      expectError(track(await api.get('/v1/customers').set('Authorization', 'Bearer sk_live_abc')), {
        status: 401,
        message: 'Invalid API Key provided: sk_live_***',
      });
      expectError(track(await api.get('/v1/customers').set('Authorization', 'Bearer sk_live_0123456789abcdef')), {
        status: 401,
        message: 'Invalid API Key provided: sk_live_************cdef',
      });
    });

    it('401 for an unknown authorization scheme, quoting the header as Stripe does', async () => {
      expectError(track(await api.get('/v1/customers').set('Authorization', `Token ${key}`)), {
        status: 401,
        message: `You did not provide an API key, though you did set your Authorization header to "Token ${key}". Using Bearer auth, your Authorization header should look something like 'Authorization: Bearer YOUR_SECRET_KEY'. See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.`,
      });
    });

    it('accepts HTTP Basic auth with the key as the user name, as the same account as Bearer', async () => {
      const created = await post('/v1/customers', 'name=basic');
      const res = track(await api.get(`/v1/customers/${created.body.id}`).auth(key, ''));
      expect(res.status).toBe(200);
      expect(res.body.name).toBe('basic');
    });
  });

  describe('parameters', () => {
    it('400 for an unknown parameter, naming it', async () => {
      expectError(await post('/v1/customers', 'bogus=1'), {
        status: 400,
        code: 'parameter_unknown',
        param: 'bogus',
        message: 'Received unknown parameter: bogus',
      });
    });

    it('400 for an unknown parameter inside a hash, named with brackets', async () => {
      expectError(await post('/v1/customers', 'address[city]=Paris&address[bogus]=1'), {
        status: 400,
        param: 'address[bogus]',
        message: 'Received unknown parameter: address[bogus]',
      });
    });

    // qs drops these names without a word, so a client's value would vanish; they are not Stripe params.
    it.each([
      ['__proto__=1&name=x', '__proto__'],
      ['constructor=x&name=x', 'constructor'],
      ['metadata[toString]=1&metadata[plan]=pro', 'metadata[toString]'],
      ['address[city]=Paris&address[__proto__][x]=1', 'address[__proto__][x]'],
      ['metadata%5BhasOwnProperty%5D=1&name=x', 'metadata[hasOwnProperty]'],
      ['name=n&__proto__[x]=1', '__proto__[x]'],
      ['constructor[prototype][x]=1', 'constructor[prototype][x]'],
      ['hasOwnProperty[]=1', 'hasOwnProperty[]'],
      ['%5F%5Fproto%5F%5F[x]=1', '__proto__[x]'],
    ])('400 naming a parameter called like an object built-in (%s), and nothing is created', async (body, param) => {
      const before = (await api.get('/v1/customers?limit=100').set('Authorization', `Bearer ${key}`)).body.data.length;
      expectError(await post('/v1/customers', body), { status: 400, code: 'parameter_unknown', param, message: `Received unknown parameter: ${param}` });
      const after = (await api.get('/v1/customers?limit=100').set('Authorization', `Bearer ${key}`)).body.data.length;
      expect(after).toBe(before);
    });

    it.each([
      ['{"__proto__":{"x":1},"name":"x"}', '__proto__'],
      ['{"name":"x","metadata":{"constructor":"y"}}', 'metadata[constructor]'],
      // A form refuses these names; the same request as JSON must not store them.
      ['{"name":"x","metadata":{"a[b]":"y"}}', 'metadata[a[b]]'],
      ['{"name":"x","metadata":{"":"y"}}', 'metadata[]'],
    ])('400 naming a JSON member a form could not send: a built-in, a bracketed or an empty key (%s)', async (body, param) => {
      expectError(await post('/v1/customers', body, 'application/json'), { status: 400, code: 'parameter_unknown', param, message: `Received unknown parameter: ${param}` });
    });

    it('400 for a compressed body, named, rather than its bytes read as params', async () => {
      const { gzipSync } = await import('node:zlib');
      const res = track(
        await api.post('/v1/customers').set('Authorization', `Bearer ${key}`).set('Content-Type', 'application/x-www-form-urlencoded')
          .set('Content-Encoding', 'gzip').send(gzipSync('name=zipped')),
      );
      expectError(res, { status: 400, param: undefined, message: "Invalid request: Content-Encoding 'gzip' is not supported. Send the request body uncompressed." });
      expect((await post('/v1/customers', 'name=plain')).status).toBe(200);
      // With no body there is nothing compressed to read: the header alone is no reason to refuse.
      const read = await api.get('/v1/customers?limit=1').set('Authorization', `Bearer ${key}`).set('Content-Encoding', 'gzip');
      expect([read.status, read.body.object]).toEqual([200, 'list']);
    });

    it('400 for JSON text that is not valid Unicode (a lone surrogate escape), which would be stored otherwise than answered', async () => {
      expectError(await post('/v1/customers', '{"name":"x\\ud800y"}', 'application/json'), {
        status: 400, param: 'name', message: 'Invalid string: name is not valid Unicode text (it holds half of a UTF-16 surrogate pair, such as \\ud800, alone).',
      });
      expectError(await post('/v1/customers', '{"metadata":{"k":"\\udc00"}}', 'application/json'), {
        status: 400, param: 'metadata[k]', message: /^Invalid string: metadata\[k\] is not valid Unicode text/,
      });
      expectError(await post('/v1/customers', '{"metadata":{"\\ud800":"v"}}', 'application/json'), {
        status: 400, code: 'parameter_unknown', param: 'metadata[\ud800]', message: 'Received unknown parameter: metadata[\ud800]',
      });
      // A pair is one character, and fine.
      const emoji = await post('/v1/customers', '{"name":"\\ud83d\\ude00"}', 'application/json');
      expect([emoji.status, emoji.body.name]).toEqual([200, '😀']);
      expect((await get(`/v1/customers/${emoji.body.id}`)).body.name).toBe('😀');
    });

    it('400 for form text whose percent-escapes are malformed or spell no UTF-8, which was stored undecoded', async () => {
      const message = (param: string) =>
        `Invalid string: ${param} is not percent-encoded UTF-8 text (a % must start an escape such as %2F, and escapes must spell UTF-8; send % itself as %25).`;
      expectError(await post('/v1/customers', 'name=Ann&description=%E2%82%AC%FF'), { status: 400, param: 'description', message: message('description') });
      expectError(await post('/v1/customers', 'description=100%'), { status: 400, param: 'description', message: message('description') });
      expectError(await get('/v1/charges?created[gte]=%ZZ'), { status: 400, param: 'created[gte]', message: message('created[gte]') });
      const euro = await post('/v1/customers', 'description=%E2%82%AC+100%25');
      expect([euro.status, euro.body.description]).toEqual([200, '€ 100%']);
    });

    it('400 for a body whose bytes are no UTF-8 (Latin-1), which was stored with U+FFFD in their place', async () => {
      const message = 'Invalid request body: the body is not UTF-8 text. Send text as UTF-8 (in a form, percent-encoded).';
      for (const [body, type] of [
        [Buffer.from([...Buffer.from('name=Ren'), 0xe9]), 'application/x-www-form-urlencoded'],
        [Buffer.from([...Buffer.from('{"name":"Ren'), 0xe9, ...Buffer.from('"}')]), 'application/json'],
      ] as const) {
        const res = await fetch(`${server.url}/v1/customers`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': type }, body });
        expect([type, res.status, await res.json()]).toEqual([type, 400, { error: { type: 'invalid_request_error', message } }]);
      }
      expect((await get('/v1/customers?limit=100')).body.data.filter((c: { name: string }) => c.name?.startsWith('Ren'))).toEqual([]);
      // UTF-8 as such is fine, raw or escaped.
      const raw = await post('/v1/customers', 'name=René');
      expect([raw.status, raw.body.name]).toEqual([200, 'René']);
      expect((await post('/v1/customers', 'name=Ren%C3%A9')).body.name).toBe('René');
    });

    it('400, not a server error, for JSON nested far beyond the depth limit', async () => {
      const deep = `{"name":"x","metadata":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
      expectError(await post('/v1/customers', deep, 'application/json'), {
        status: 400,
        message: 'Invalid request: parameters are nested too deeply.',
      });
    });

    it('400 naming a query parameter called like an object built-in', async () => {
      expectError(await track(await api.get('/v1/customers?constructor=1').set('Authorization', `Bearer ${key}`)), {
        status: 400,
        param: 'constructor',
        message: 'Received unknown parameter: constructor',
      });
      expectError(await track(await api.get('/v1/customers?limit=1&toString%5Bx%5D=1').set('Authorization', `Bearer ${key}`)), {
        status: 400,
        param: 'toString[x]',
        message: 'Received unknown parameter: toString[x]',
      });
    });

    it('400 for an unknown query parameter on a retrieve, naming it, as on lists; expand[] still accepted', async () => {
      const customer = (await post('/v1/customers', 'source=tok_visa')).body;
      const charge = (await post('/v1/charges', `amount=500&currency=usd&customer=${customer.id}`)).body;
      const refund = (await post('/v1/refunds', `charge=${charge.id}&amount=100`)).body;
      const event = (await get('/v1/events?limit=1')).body.data[0];
      const endpoint = (await post('/v1/webhook_endpoints', 'url=https://example.com/hook&enabled_events[]=*')).body;
      const retrieves = [
        `/v1/customers/${customer.id}`, `/v1/charges/${charge.id}`, `/v1/refunds/${refund.id}`, `/v1/events/${event.id}`,
        `/v1/webhook_endpoints/${endpoint.id}`, `/v1/customers/${customer.id}/sources/${customer.default_source}`,
      ];
      for (const path of retrieves) {
        expectError(await get(`${path}?bogus=1`), { status: 400, code: 'parameter_unknown', param: 'bogus', message: 'Received unknown parameter: bogus' });
        expect((await get(`${path}?expand[]=customer`)).status).not.toBe(500);
        expect((await get(path)).status).toBe(200);
      }
      expect((await get(`/v1/charges/${charge.id}?expand[]=customer`)).body.customer).toMatchObject({ id: customer.id, object: 'customer' });
    });

    it('400 for an unknown parameter in a JSON body', async () => {
      expectError(await post('/v1/customers', { name: 'x', nmae: 'y' }, 'application/json'), {
        status: 400,
        param: 'nmae',
        message: 'Received unknown parameter: nmae',
      });
    });

    it.each(['ab', 'lower1', 'TOO-LONG', 'ABCDEFGHIJKLM'])('400 for an invoice_prefix that is not 3-12 uppercase letters or digits (%s)', async (prefix) => {
      expectError(await post('/v1/customers', `invoice_prefix=${prefix}`), {
        status: 400,
        param: 'invoice_prefix',
        message: 'Invalid invoice_prefix: must be 3-12 uppercase letters or numbers',
      });
    });

    it('accepts an invoice_prefix of 3 and of 12 uppercase letters or digits, on create and update', async () => {
      const created = await post('/v1/customers', 'invoice_prefix=AB1');
      expect([created.status, created.body.invoice_prefix]).toEqual([200, 'AB1']);
      const updated = await post(`/v1/customers/${created.body.id}`, 'invoice_prefix=ABCDEFGHIJ12');
      expect([updated.status, updated.body.invoice_prefix]).toEqual([200, 'ABCDEFGHIJ12']);
      expectError(await post(`/v1/customers/${created.body.id}`, 'invoice_prefix=no'), {
        status: 400,
        param: 'invoice_prefix',
        message: 'Invalid invoice_prefix: must be 3-12 uppercase letters or numbers',
      });
    });

    it('400, in Stripe\'s words, for an empty value of a param that cannot be unset, and nothing changes', async () => {
      const cannotUnset = (param: string) =>
        `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`;
      const customer = (await post('/v1/customers', 'source=tok_visa&invoice_prefix=KEEP1')).body;
      for (const param of ['default_source', 'invoice_prefix']) {
        expectError(await post(`/v1/customers/${customer.id}`, `${param}=&name=changed`), { status: 400, param, message: cannotUnset(param) });
      }
      expectError(await post('/v1/customers', 'invoice_prefix='), { status: 400, param: 'invoice_prefix', message: cannotUnset('invoice_prefix') });
      expect((await get(`/v1/customers/${customer.id}`)).body).toMatchObject({ default_source: customer.default_source, invoice_prefix: 'KEEP1', name: null });

      const endpoint = (await post('/v1/webhook_endpoints', 'url=https://example.com/hook&enabled_events[]=*')).body;
      for (const param of ['url', 'disabled', 'enabled_events']) {
        expectError(await post(`/v1/webhook_endpoints/${endpoint.id}`, `${param}=`), { status: 400, param, message: cannotUnset(param) });
        // JSON's null is the same request (the SDK's `param: null`).
        expectError(await post(`/v1/webhook_endpoints/${endpoint.id}`, { [param]: null }, 'application/json'), { status: 400, param, message: cannotUnset(param) });
      }
      expect((await get(`/v1/webhook_endpoints/${endpoint.id}`)).body).toMatchObject({ url: 'https://example.com/hook', status: 'enabled', enabled_events: ['*'] });
    });

    it('400 for an invalid email', async () => {
      expectError(await post('/v1/customers', 'email=not-an-email'), {
        status: 400,
        param: 'email',
        message: 'Invalid email address: not-an-email',
      });
    });

    it("400 for a statement descriptor that breaks Stripe's rules (a letter, none of < > \\ ' \" *), on create and capture", async () => {
      const rules = "must contain at least one letter, only Latin characters, and none of the characters < > \\ ' \" *";
      for (const bad of ['12345678', '<b>ACME', 'ACME*SHOP', 'say "hi"', "o'brien", 'back\\slash', 'ACME\nSHOP', 'ACME\u0000', 'ACME ☕', 'АКМЕ']) {
        expectError(await post('/v1/charges', { amount: 500, currency: 'usd', source: 'tok_visa', statement_descriptor: bad }), {
          status: 400, param: 'statement_descriptor', message: `Invalid statement_descriptor: ${bad} (it ${rules}).`,
        });
      }
      const uncaptured = await post('/v1/charges', 'amount=500&currency=usd&source=tok_visa&capture=false&statement_descriptor=ACME 42');
      expect(uncaptured.status).toBe(200);
      expect(uncaptured.body.calculated_statement_descriptor).toBe('ACME 42');
      expectError(await post(`/v1/charges/${uncaptured.body.id}/capture`, 'statement_descriptor=*'), {
        status: 400, param: 'statement_descriptor', message: `Invalid statement_descriptor: * (it ${rules}).`,
      });
      // Capturing sets the descriptor; an empty one is not an "unset".
      expectError(await post(`/v1/charges/${uncaptured.body.id}/capture`, 'statement_descriptor='), {
        status: 400, param: 'statement_descriptor',
        message: "You passed an empty string for 'statement_descriptor'. We assume empty values are an attempt to unset a parameter; however 'statement_descriptor' cannot be unset. You should remove 'statement_descriptor' from your request or supply a non-empty value.",
      });
      expect((await post(`/v1/charges/${uncaptured.body.id}/capture`, 'statement_descriptor=Café Zoë')).body).toMatchObject({
        captured: true, statement_descriptor: 'Café Zoë',
      });
    });

    it('400 for a balance that is not an integer', async () => {
      expectError(await post('/v1/customers', 'balance=12.5'), { status: 400, param: 'balance', message: 'Invalid integer: 12.5' });
      expectError(await post('/v1/customers', 'balance=lots'), { status: 400, param: 'balance', message: 'Invalid integer: lots' });
    });

    it('400 for a string param sent as a hash or an array', async () => {
      expectError(await post('/v1/customers', 'name[]=x'), {
        status: 400,
        param: 'name',
        message: 'Invalid string: name must be a string.',
      });
    });

    it('400 for an integer param sent as a hash or an array, in the same words as for strings', async () => {
      expectError(await post('/v1/charges', 'amount[]=5&currency=usd&source=tok_visa'), {
        status: 400, param: 'amount', message: 'Invalid integer: amount must be an integer.',
      });
      expectError(await get('/v1/charges?created[gt][x]=1'), {
        status: 400, param: 'created[gt]', message: 'Invalid integer: created[gt] must be an integer.',
      });
      expectError(await get('/v1/charges?created[gt]=soon'), { status: 400, param: 'created[gt]', message: 'Invalid integer: soon' });
      // A value that happens to be the param's own name is quoted as sent, not replaced by the full name.
      expectError(await get('/v1/charges?created[gte]=gte'), { status: 400, param: 'created[gte]', message: 'Invalid integer: gte' });
      expectError(await post('/v1/charges', 'amount=500&currency=usd&source[object]=card&source[number]=4242424242424242&source[exp_month]=exp_month&source[exp_year]=2030'), {
        status: 400, param: 'source[exp_month]', message: 'Invalid integer: exp_month',
      });
      expectError(await post('/v1/charges', 'amount=500&currency=usd&source[object]=card&source[number]=4242424242424242&source[exp_month]=1&source[exp_year]=2030&source[foo]=foo'), {
        status: 400, param: 'source[foo]', message: 'Received unknown parameter: source[foo]',
      });
    });

    it('takes the last value of a param sent twice without brackets, as Stripe does, in a body and in a query', async () => {
      const charge = await post('/v1/charges', 'amount=1000&amount=2000&currency=usd&source=tok_visa&metadata[a]=x&metadata[a]=y');
      expect(charge.status).toBe(200);
      expect(charge.body).toMatchObject({ amount: 2000, metadata: { a: 'y' } });
      const page = await get('/v1/charges?limit=5&limit=1');
      expect(page.body.data).toHaveLength(1);
    });

    it('400 for a negative amount, in Stripe’s words rather than a range up to 2^53', async () => {
      expectError(await post('/v1/charges', 'amount=-5&currency=usd&source=tok_visa'), { status: 400, param: 'amount', message: 'Invalid non-negative integer' });
      expectError(await get('/v1/charges?created[gte]=-1'), { status: 400, param: 'created[gte]', message: 'Invalid non-negative integer' });
    });

    it('quotes a hash or an array sent for a scalar as JSON, never as [object Object]', async () => {
      expectError(await post('/v1/charges', { amount: 500, currency: 'usd', source: 'tok_visa', capture: {} }, 'application/json'), {
        status: 400, param: 'capture', message: 'Invalid boolean: {}',
      });
      expectError(await post('/v1/webhook_endpoints', { url: 'https://example.com/h', enabled_events: ['*'], api_version: { v: 1 } }, 'application/json'), {
        status: 400, param: 'api_version', message: /^[^[]*$/,
      });
    });

    it('400 for expand that is not an array, in Stripe’s wording', async () => {
      expectError(await post('/v1/customers', 'expand=x'), { status: 400, param: 'expand', message: 'Invalid array: expand must be an array.' });
      expectError(await post('/v1/customers', { expand: ['default_source', 1, null] }, 'application/json'), {
        status: 400,
        param: 'expand',
        message: 'Invalid string: expand[1] must be a string.',
      });
      expectError(await post('/v1/charges', { amount: 100, currency: 'usd', source: 'tok_visa', expand: [{}] }, 'application/json'), {
        status: 400,
        param: 'expand',
        message: 'Invalid string: expand[0] must be a string.',
      });
      expect((await post('/v1/customers', 'expand[]=default_source&name=ok')).status).toBe(200);
    });

    it('400 for a hash that is missing a required field', async () => {
      expectError(await post('/v1/customers', 'shipping[name]=Ada'), {
        status: 400,
        code: 'parameter_missing',
        param: 'shipping[address]',
        message: 'Missing required param: shipping[address].',
      });
    });

    it('400 for metadata over Stripe’s limits: 50 keys, 40-character keys, 500-character values', async () => {
      const tooMany = Array.from({ length: 51 }, (_, i) => `metadata[k${i}]=v`).join('&');
      expectError(await post('/v1/customers', tooMany), {
        status: 400,
        param: 'metadata',
        message: 'Invalid metadata: metadata cannot have more than 50 keys.',
      });
      const longKey = 'k'.repeat(41);
      expectError(await post('/v1/customers', `metadata[${longKey}]=v`), {
        status: 400,
        param: 'metadata',
        message: `Invalid metadata: metadata keys must be at most 40 characters long (key '${longKey}').`,
      });
      expectError(await post('/v1/customers', `metadata[note]=${'v'.repeat(501)}`), {
        status: 400,
        param: 'metadata',
        message: "Invalid metadata: metadata values must be at most 500 characters long (key 'note').",
      });
    });

    it('400 naming a param sent both as a value and as a hash, whichever comes first, and nothing is created', async () => {
      const before = (await get('/v1/customers?limit=100')).body.data.length;
      for (const [body, param] of [['address[line1]=x&address=', 'address'], ['address=&address[line1]=x', 'address'], ['metadata[a]=1&metadata=', 'metadata']]) {
        expectError(await post('/v1/customers', body), {
          status: 400, param, message: `Invalid ${param}: it was sent both as a value (${param}=…) and as a hash (${param}[…]=…); send one or the other.`,
        });
      }
      expect((await get('/v1/customers?limit=100')).body.data).toHaveLength(before);
    });

    it('400 for an unnamed metadata entry, alone or beside named or numbered keys, rather than keeping it as key "0"', async () => {
      for (const body of ['metadata[]=x', 'metadata[]=x&metadata[a]=y', 'metadata[a]=y&metadata[]=x', 'metadata[]=x&metadata[9]=y']) {
        expectError(await post('/v1/customers', body), { status: 400, param: 'metadata', message: 'Invalid object: metadata must be a hash.' });
      }
    });

    it('counts metadata limits in characters, as Stripe does, not in UTF-16 units (an emoji is one character, two units)', async () => {
      const emoji = '\u{1F600}';
      const atLimit = await post('/v1/customers', { metadata: { [emoji.repeat(40)]: emoji.repeat(500) } }, 'application/json');
      expect(atLimit.status).toBe(200);
      expect(atLimit.body.metadata).toEqual({ [emoji.repeat(40)]: emoji.repeat(500) });
      expectError(await post('/v1/customers', `metadata[${encodeURIComponent(emoji.repeat(41))}]=v`), {
        status: 400,
        param: 'metadata',
        message: `Invalid metadata: metadata keys must be at most 40 characters long (key '${emoji.repeat(41)}').`,
      });
    });

    it('accepts metadata exactly at the limits', async () => {
      const fifty = Array.from({ length: 50 }, (_, i) => `metadata[${String(i).padStart(40, 'k')}]=${'v'.repeat(500)}`).join('&');
      const res = await post('/v1/customers', fifty);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.metadata)).toHaveLength(50);
    });
  });

  describe('bodies', () => {
    it('400 for malformed JSON', async () => {
      expectError(await post('/v1/customers', '{"name": "Ada"', 'application/json'), {
        status: 400,
        message: 'Invalid request body: the body could not be parsed. Send application/x-www-form-urlencoded or JSON.',
      });
    });

    it('400 for a JSON body that is not an object', async () => {
      expectError(await post('/v1/customers', '["name"]', 'application/json'), { status: 400, message: /could not be parsed/ });
    });

    it('400 for parameters nested too deeply, as a form or as JSON', async () => {
      const message = 'Invalid request: parameters are nested too deeply.';
      expectError(await post('/v1/customers', 'metadata[a][b][c][d][e][f][g]=1'), { status: 400, message });
      expectError(await post('/v1/customers', '{"a":{"b":{"c":{"d":{"e":{"f":{"g":1}}}}}}}', 'application/json'), { status: 400, message });
      expectError(await get('/v1/customers?created[a][b][c][d][e][f][g]=1'), { status: 400, message });
    });

    it('400 for too many parameters or too long an array, saying so', async () => {
      const message = 'Invalid request: too many parameters (at most 1000, and at most 100 elements in an array).';
      const many = Array.from({ length: 1001 }, (_, i) => `p${i}=1`).join('&');
      expectError(await post('/v1/customers', many), { status: 400, message });
      expectError(await post('/v1/customers', 'expand[0]=a&expand[101]=b'), { status: 400, message });
    });

    it('400 for a body over 256 KB', async () => {
      expectError(await post('/v1/customers', `description=${'x'.repeat(300 * 1024)}`), {
        status: 400,
        message: 'Invalid request: the request body is larger than 262144 bytes.',
      });
    });

    it('400 for an unsupported content type', async () => {
      expectError(await post('/v1/customers', 'name: Ada', 'text/plain'), {
        status: 400,
        message: "Invalid request: unsupported Content-Type 'text/plain'. Send application/x-www-form-urlencoded or JSON.",
      });
      expectError(await post('/v1/customers', '<name>Ada</name>', 'application/xml'), { status: 400, message: /unsupported Content-Type 'application\/xml'/ });
    });

    it('400 for a body without a content type', async () => {
      const res = track(
        await api.post('/v1/customers').set('Authorization', `Bearer ${key}`).set('Content-Type', '').send(Buffer.from('name=Ada')),
      );
      expectError(res, {
        status: 400,
        message: 'Invalid request: the request has a body but no Content-Type. Send application/x-www-form-urlencoded or JSON.',
      });
    });

    it('accepts a POST without a body, and content types with a charset', async () => {
      expect(track(await api.post('/v1/customers').set('Authorization', `Bearer ${key}`)).status).toBe(200);
      expect((await post('/v1/customers', 'name=a', 'application/x-www-form-urlencoded; charset=utf-8')).body.name).toBe('a');
      expect((await post('/v1/customers', '{"name":"b"}', 'application/json; charset=utf-8')).body.name).toBe('b');
    });
  });

  describe('HTTP the server cannot parse', () => {
    /** Sends bytes as they are (no client library would send these) and reads the answer until close. */
    const raw = (bytes: string) =>
      new Promise<{ status: number; headers: string; body: string }>((resolve, reject) => {
        const { hostname, port } = new URL(server.url);
        const socket = connect(Number(port), hostname, () => socket.end(bytes));
        let text = '';
        socket.setEncoding('latin1');
        socket.on('data', (chunk) => (text += chunk));
        socket.on('error', reject);
        socket.on('close', () => {
          const [head, body = ''] = text.split('\r\n\r\n');
          resolve({ status: Number(head.split(' ')[1]), headers: head, body });
        });
      });

    it.each([
      ['an unknown method', `FOO /v1/customers HTTP/1.1\r\nHost: x\r\n\r\n`, 400],
      ['a header name with a space', `GET /v1/customers HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n`, 400],
      ['a bad Content-Length', `POST /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n`, 400],
      ['headers over 16 KB', `GET /v1/customers HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
      ['an HTTP/1.1 request without a Host header', `GET /v1/customers HTTP/1.1\r\nConnection: close\r\n\r\n`, 400],
      ['a CONNECT (a proxy tunnel)', `CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n`, 400],
    ])('%s: a Stripe-style error with a Request-Id', async (_label, bytes, status) => {
      const res = await raw(bytes);
      expect(res.status).toBe(status);
      expect(res.headers).toMatch(/\r\nRequest-Id: req_[0-9A-Za-z]{14}(\r\n|$)/i);
      expect(res.headers).toMatch(/\r\nContent-Type: application\/json/i);
      expect(JSON.parse(res.body)).toEqual({ error: { type: 'invalid_request_error', message: expect.stringMatching(/^Invalid request: /) } });
    });

    it('an absolute-form request line is the same request as its path: versioned, routed and keyed by the path', async () => {
      const { port } = new URL(server.url);
      const idem = `absolute-${Date.now()}`;
      const request = (target: string, version = '2025-01-27.acacia') =>
        raw(
          `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${key}\r\nStripe-Version: ${version}\r\n` +
            `Idempotency-Key: ${idem}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 6\r\nConnection: close\r\n\r\nname=a`,
        );
      const absolute = await request(`http://127.0.0.1:${port}/v1/customers`);
      expect(absolute.status).toBe(200);
      expect(absolute.headers).toMatch(/\r\nStripe-Version: 2025-01-27\.acacia(\r\n|$)/i);
      // The same key on the path alone is the same request: a replay, not a different endpoint.
      const replay = await request('/v1/customers');
      expect([replay.status, JSON.parse(replay.body).id]).toEqual([200, JSON.parse(absolute.body).id]);
      expect(replay.headers).toMatch(/\r\nIdempotent-Replayed: true(\r\n|$)/i);
      expect((await raw(`GET http://127.0.0.1:${port}/v1/customers/cus_x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nConnection: close\r\n\r\n`)).body)
        .toContain("No such customer: 'cus_x'");
      expect((await request(`http://127.0.0.1:${port}/v1/customers`, 'banana')).status).toBe(400);
    });

    it('a #fragment in the request line is no part of the request: not a query, not the path a key stores', async () => {
      const { port } = new URL(server.url);
      const idem = `fragment-${Date.now()}`;
      const send = (target: string, body: string) =>
        raw(
          `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${key}\r\nIdempotency-Key: ${idem}\r\n` +
            `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
        );
      const made = await send('/v1/customers#email=x@example.com', 'name=frag');
      expect(made.status).toBe(200);
      expect(JSON.parse(made.body)).toMatchObject({ name: 'frag', email: null });
      // Retried without the fragment, it is the same request on the same path: a replay.
      const again = await send('/v1/customers', 'name=frag');
      expect([again.status, JSON.parse(again.body).id]).toEqual([200, JSON.parse(made.body).id]);
      expect(again.headers).toMatch(/\r\nIdempotent-Replayed: true(\r\n|$)/i);
      const listed = await raw(`GET /v1/customers#limit=abc HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nConnection: close\r\n\r\n`);
      expect(listed.status).toBe(200);
    });

    it('a client that hangs up halfway through its body is not logged as a server failure', async () => {
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        const { hostname, port } = new URL(server.url);
        await new Promise<void>((resolve) => {
          const socket = connect(Number(port), hostname, () => {
            socket.write(
              `POST /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\n` +
                'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nname=half',
            );
            setTimeout(() => socket.destroy(), 50);
          });
          socket.on('close', () => resolve());
        });
        await new Promise((r) => setTimeout(r, 200));
        expect(logged).not.toHaveBeenCalled();
        // And the server is as it was.
        expect((await get('/v1/customers?limit=1')).status).toBe(200);
      } finally {
        logged.mockRestore();
      }
    });
  });

  describe('unknown objects and routes', () => {
    const missing = { status: 404, code: 'resource_missing', param: 'id', message: "No such customer: 'cus_x'" };

    it('404 resource_missing for an unknown customer id, on retrieve, update and delete', async () => {
      expectError(await get('/v1/customers/cus_x'), missing);
      expectError(await post('/v1/customers/cus_x', 'name=x'), missing);
      expectError(track(await api.delete('/v1/customers/cus_x').set('Authorization', `Bearer ${key}`)), missing);
    });

    it('404 for another account’s customer', async () => {
      const theirs = await track(await api.post('/v1/customers').set('Authorization', `Bearer ${newKey()}`).type('form').send('name=x'));
      expectError(await get(`/v1/customers/${theirs.body.id}`), { ...missing, message: `No such customer: '${theirs.body.id}'` });
    });

    it('404 in the envelope for an unknown route or method', async () => {
      expectError(await get('/v1/nope'), {
        status: 404,
        message: 'Unrecognized request URL (GET: /v1/nope). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.',
      });
      expectError(track(await api.put('/v1/customers').set('Authorization', `Bearer ${key}`)), {
        status: 404,
        message: /^Unrecognized request URL \(PUT: \/v1\/customers\)/,
      });
    });

    it('404 saying so for the Search API, which oncepay does not have, rather than looking up an object called "search"', async () => {
      for (const resource of ['charges', 'customers']) {
        expectError(await get(`/v1/${resource}/search?query=${encodeURIComponent("email:'a@b.c'")}`), {
          status: 404,
          message: `oncepay does not implement the Search API (GET /v1/${resource}/search): list /v1/${resource} with its filters instead.`,
        });
      }
    });

    it('400 in the envelope for a URL with broken percent-encoding', async () => {
      expectError(await get('/v1/customers/%E0%A4%A'), { status: 400, message: /is not a valid URL/ });
    });

    it('404 for a long unknown id, and an envelope 414 for a path segment too long to route', async () => {
      const longId = `cus_${'x'.repeat(200)}`;
      expectError(await get(`/v1/customers/${longId}`), { ...missing, message: `No such customer: '${longId}'` });
      expectError(await get(`/v1/customers/cus_${'x'.repeat(1000)}`), { status: 414, message: /is too long/ });
    });
  });

  describe('lists', () => {
    it('400 for limit outside 1–100', async () => {
      const message = 'Invalid limit: must be an integer between 1 and 100';
      expectError(await get('/v1/customers?limit=0'), { status: 400, param: 'limit', message });
      expectError(await get('/v1/customers?limit=101'), { status: 400, param: 'limit', message });
      expectError(await get('/v1/customers?limit=ten'), { status: 400, param: 'limit', message: 'Invalid integer: ten' });
    });

    it('400 in Stripe words for types[] on events that is not a list of strings', async () => {
      expectError(await get('/v1/events?types[a]=charge.succeeded'), { status: 400, param: 'types', message: 'Invalid array: types must be an array.' });
      expectError(await get('/v1/events?types[]=charge.succeeded&types[][x]=1'), {
        status: 400, param: 'types', message: 'Invalid string: types[1] must be a string.',
      });
    });

    it('404 for a cursor that names no customer', async () => {
      expectError(await get('/v1/customers?starting_after=cus_missing'), {
        status: 404,
        code: 'resource_missing',
        param: 'starting_after',
        message: "No such customer: 'cus_missing'",
      });
      expectError(await get('/v1/customers?ending_before=cus_missing'), {
        status: 404,
        param: 'ending_before',
        message: "No such customer: 'cus_missing'",
      });
    });

    it('400 for unknown list filters and bad created ranges', async () => {
      expectError(await get('/v1/customers?bogus=1'), { status: 400, param: 'bogus', message: 'Received unknown parameter: bogus' });
      expectError(await get('/v1/customers?created[after]=1'), {
        status: 400,
        param: 'created[after]',
        message: 'Received unknown parameter: created[after]',
      });
      expectError(await get('/v1/customers?created[gte]=yesterday'), { status: 400, param: 'created[gte]', message: 'Invalid integer: yesterday' });
    });
  });

  describe('Idempotency-Key header', () => {
    it('400 for an empty key', async () => {
      const res = track(await api.post('/v1/customers').set('Authorization', `Bearer ${key}`).set('Idempotency-Key', '').type('form').send('name=x'));
      expectError(res, {
        status: 400,
        param: 'Idempotency-Key',
        message: 'Invalid Idempotency-Key: the key is empty. Send a unique key of 1 to 255 characters, or no header at all.',
      });
    });
  });

  it('answers an unexpected failure with a logged 500 api_error that shows no internals', async () => {
    const customers = server.app.get(CustomersService);
    const failure = jest.spyOn(customers, 'retrieve').mockImplementationOnce(() => {
      throw new Error('disk on fire at /var/secret/path');
    });
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const res = await request(server.url).get('/v1/customers/cus_any').set('Authorization', `Bearer ${key}`);
      expectError(res, {
        status: 500,
        type: 'api_error',
        message: 'An unknown error occurred on our side. Please retry the request; if it keeps failing, check the server log.',
      });
      expect(res.text).not.toMatch(/disk on fire|secret|\bat \w/);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining(res.headers['request-id']), expect.stringContaining('disk on fire'));
    } finally {
      failure.mockRestore();
      logged.mockRestore();
    }
  });
});

describe('API_KEYS', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ API_KEYS: 'sk_test_allowed1,sk_test_allowed2' });
  });
  afterAll(() => server.close());

  it('accepts only the listed keys', async () => {
    const api = request(server.url);
    expect((await api.get('/v1/customers').set('Authorization', 'Bearer sk_test_allowed1')).status).toBe(200);
    expect((await api.get('/v1/customers').auth('sk_test_allowed2', '')).status).toBe(200);
    expectError(await api.get('/v1/customers').set('Authorization', 'Bearer sk_test_someoneelse1'), {
      status: 401,
      message: 'Invalid API Key provided: sk_test_********lse1',
    });
  });
});
