import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import Stripe from 'stripe';
import { TransactionRunner } from '../src/database/transaction-runner.js';
import { AtomicPhaseRunner } from '../src/idempotency/atomic-phase-runner.js';
import { IdempotencyKeyStore } from '../src/idempotency/idempotency-key.store.js';
import { IdempotencyReaper } from '../src/idempotency/idempotency-reaper.js';
import { newKey, startServer, type TestServer } from './support/server.js';
import { rejection } from './support/errors.js';
import { send } from './support/wire.js';

const paramsMismatch = (key: string) =>
  `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`;
const endpointMismatch = (key: string, newPath: string, firstPath: string) =>
  `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${newPath}' vs '${firstPath}'). Try using a key other than '${key}' if you meant to execute a different request.`;
const keyInUse = (key: string) =>
  `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`;

describe('Idempotency-Key through the official SDK', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('creates one customer for a key sent twice, and marks the second answer as a replay', async () => {
    const stripe = server.stripe();
    const first = await stripe.customers.create({ email: 'once@example.com', metadata: { order: '42' } }, { idempotencyKey: 'create-once' });
    const again = await stripe.customers.create({ email: 'once@example.com', metadata: { order: '42' } }, { idempotencyKey: 'create-once' });

    expect(again.id).toBe(first.id);
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(again.lastResponse.headers['original-request']).toBe(first.lastResponse.requestId);
    expect(again.lastResponse.headers['idempotency-key']).toBe('create-once');
    // A replay is still its own request.
    expect(again.lastResponse.requestId).toMatch(/^req_/);
    expect(again.lastResponse.requestId).not.toBe(first.lastResponse.requestId);

    const all = await stripe.customers.list({ limit: 100 });
    expect(all.data.map((c) => c.id)).toEqual([first.id]);
  });

  it('throws StripeIdempotencyError when the key is reused with other params', async () => {
    const stripe = server.stripe();
    await stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: 'params-key' });
    const error = await rejection(stripe.customers.create({ email: 'b@example.com' }, { idempotencyKey: 'params-key' }));

    expect(error.type).toBe('StripeIdempotencyError');
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe(paramsMismatch('params-key'));
    expect((await stripe.customers.list()).data).toHaveLength(1);
  });

  it('throws StripeIdempotencyError naming both paths when the key is reused on another endpoint', async () => {
    const stripe = server.stripe();
    const customer = await stripe.customers.create({ name: 'Ada' }, { idempotencyKey: 'endpoint-key' });
    const error = await rejection(stripe.customers.update(customer.id, { name: 'Ada' }, { idempotencyKey: 'endpoint-key' }));

    expect(error.type).toBe('StripeIdempotencyError');
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe(endpointMismatch('endpoint-key', `/v1/customers/${customer.id}`, '/v1/customers'));
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ name: 'Ada' });
  });

  it('scopes keys to the account: the same key in two accounts makes two customers', async () => {
    const alice = server.stripe();
    const bob = server.stripe();
    const a = await alice.customers.create({ name: 'Alice' }, { idempotencyKey: 'shared-key' });
    const b = await bob.customers.create({ name: 'Bob' }, { idempotencyKey: 'shared-key' });

    expect(b.id).not.toBe(a.id);
    expect(b.name).toBe('Bob');
    expect(b.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect((await alice.customers.list()).data.map((c) => c.id)).toEqual([a.id]);
    expect((await bob.customers.list()).data.map((c) => c.id)).toEqual([b.id]);
  });

  it('accepts a 255-character key, and the control API can inspect it', async () => {
    const apiKey = newKey();
    const stripe = server.stripe(apiKey);
    const key = `order 42/${'x'.repeat(246)}`;
    expect(key).toHaveLength(255);
    const first = await stripe.customers.create({ name: 'long key' }, { idempotencyKey: key });
    const again = await stripe.customers.create({ name: 'long key' }, { idempotencyKey: key });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');

    const inspected = await send(server, 'GET', `/_control/idempotency_keys/${encodeURIComponent(key)}`, { key: apiKey });
    expect(inspected.status).toBe(200);
    expect(inspected.body).toMatchObject({ object: 'idempotency_key', key, recovery_point: 'finished', response_code: 200 });
  });

  it('refuses a 256-character key with a 400 invalid_request_error, and creates nothing', async () => {
    const stripe = server.stripe();
    const error = await rejection(stripe.customers.create({ name: 'too long' }, { idempotencyKey: 'k'.repeat(256) }));

    expect(error.type).toBe('StripeInvalidRequestError');
    expect(error.statusCode).toBe(400);
    expect(error.param).toBe('Idempotency-Key');
    expect(error.message).toBe('Invalid Idempotency-Key: keys must be at most 255 characters long (this one has 256).');
    expect((await stripe.customers.list()).data).toEqual([]);
  });

  it('stores an error answer like any other and replays it', async () => {
    const stripe = server.stripe();
    const first = await rejection(stripe.customers.update('cus_missing', { name: 'x' }, { idempotencyKey: 'error-key' }));
    const again = await rejection(stripe.customers.update('cus_missing', { name: 'x' }, { idempotencyKey: 'error-key' }));

    expect(first).toMatchObject({ statusCode: 404, code: 'resource_missing', message: "No such customer: 'cus_missing'" });
    expect(again).toMatchObject({ statusCode: 404, code: 'resource_missing', message: "No such customer: 'cus_missing'" });
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    expect(again.headers?.['original-request']).toBe(first.requestId);
  });
});

describe('Idempotency-Key on the wire', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('takes a UTF-8 key as its text: replays it, shows it in the control API, counts its characters, echoes its bytes', async () => {
    const key = newKey();
    // How HTTP carries a key: its UTF-8 bytes, which fetch writes from (and reads back as) a Latin-1 string.
    const wire = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
    const accented = `clé-ü-${Math.random().toString(36).slice(2, 8)}`;
    const echoed = await send(server, 'POST', '/v1/customers', { key, form: {}, idempotencyKey: wire(accented) });
    expect([echoed.status, echoed.headers.get('idempotency-key')]).toEqual([200, wire(accented)]);

    // Beyond Latin-1 a key cannot go back in a header (Node refuses it): it works, only without the echo.
    const text = `clé-€-${Math.random().toString(36).slice(2, 8)}`;
    const onTheWire = wire(text);
    const first = await send(server, 'POST', '/v1/customers', { key, form: { name: 'Zoë' }, idempotencyKey: onTheWire });
    expect([first.status, first.headers.get('idempotency-key')]).toEqual([200, null]);
    const again = await send(server, 'POST', '/v1/customers', { key, form: { name: 'Zoë' }, idempotencyKey: onTheWire });
    expect([again.headers.get('idempotent-replayed'), again.body.id]).toEqual(['true', first.body.id]);

    const shown = await send(server, 'GET', `/_control/idempotency_keys/${encodeURIComponent(text)}`, { key });
    expect([shown.status, shown.body.key]).toEqual([200, text]);

    // 255 characters is the limit, however many bytes they take.
    const long = '€'.repeat(255);
    const atLimit = await send(server, 'POST', '/v1/customers', { key, form: {}, idempotencyKey: Buffer.from(long).toString('latin1') });
    expect(atLimit.status).toBe(200);
    const over = await send(server, 'POST', '/v1/customers', { key, form: {}, idempotencyKey: Buffer.from(long + '€').toString('latin1') });
    expect([over.status, over.body.error.param]).toEqual([400, 'Idempotency-Key']);
    // Characters, not UTF-16 units: an emoji is one character (two units in JavaScript).
    const emoji = '🙂'.repeat(255);
    expect((await send(server, 'POST', '/v1/customers', { key, form: {}, idempotencyKey: wire(emoji) })).status).toBe(200);
    const overEmoji = await send(server, 'POST', '/v1/customers', { key, form: {}, idempotencyKey: wire(emoji + '🙂') });
    expect([overEmoji.status, overEmoji.body.error.message]).toEqual([400, 'Invalid Idempotency-Key: keys must be at most 255 characters long (this one has 256).']);
  });

  it('replays the first response byte for byte, even after the customer changed', async () => {
    const key = newKey();
    const first = await send(server, 'POST', '/v1/customers', {
      key,
      form: { name: 'Ada', email: 'ada@example.com', metadata: { plan: 'pro' }, address: { city: 'London' } },
      idempotencyKey: 'byte-for-byte',
    });
    expect(first.status).toBe(200);

    const updated = await send(server, 'POST', `/v1/customers/${first.body.id}`, { key, form: { name: 'Ada Lovelace', metadata: { plan: '' } } });
    expect(updated.body).toMatchObject({ name: 'Ada Lovelace', metadata: {} });

    const replay = await send(server, 'POST', '/v1/customers', {
      key,
      form: { name: 'Ada', email: 'ada@example.com', metadata: { plan: 'pro' }, address: { city: 'London' } },
      idempotencyKey: 'byte-for-byte',
    });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(replay.text).toBe(first.text);
    expect(replay.body.name).toBe('Ada');
  });

  it('recognises the same params whatever their order or encoding (form or JSON)', async () => {
    const key = newKey();
    const first = await send(server, 'POST', '/v1/customers', { key, form: 'name=Ada&balance=100&metadata[b]=2&metadata[a]=1', idempotencyKey: 'canonical' });
    const reordered = await send(server, 'POST', '/v1/customers', { key, form: 'metadata[a]=1&metadata[b]=2&balance=100&name=Ada', idempotencyKey: 'canonical' });
    const res = await fetch(`${server.url}/v1/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': 'canonical' },
      body: JSON.stringify({ metadata: { a: '1', b: '2' }, balance: 100, name: 'Ada' }),
    });
    const asJson = { status: res.status, replayed: res.headers.get('idempotent-replayed'), text: await res.text() };

    expect(reordered.headers.get('idempotent-replayed')).toBe('true');
    expect(reordered.text).toBe(first.text);
    expect(asJson).toEqual({ status: 200, replayed: 'true', text: first.text });

    const changed = await send(server, 'POST', '/v1/customers', { key, form: 'name=Ada&balance=101&metadata[b]=2&metadata[a]=1', idempotencyKey: 'canonical' });
    expect(changed.status).toBe(400);
    expect(changed.body.error).toEqual({ type: 'idempotency_error', message: paramsMismatch('canonical') });
  });

  it('leaves the key free when the params fail validation, so the fixed request can use it', async () => {
    const key = newKey();
    const invalid = await send(server, 'POST', '/v1/customers', { key, form: { email: 'not-an-email' }, idempotencyKey: 'fix-and-retry' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ type: 'invalid_request_error', param: 'email', message: 'Invalid email address: not-an-email' });

    const inspected = await send(server, 'GET', '/_control/idempotency_keys/fix-and-retry', { key });
    expect(inspected.status).toBe(404);
    expect(inspected.body.error).toMatchObject({ code: 'resource_missing', message: "No such idempotency_key: 'fix-and-retry'" });

    const fixed = await send(server, 'POST', '/v1/customers', { key, form: { email: 'ada@example.com' }, idempotencyKey: 'fix-and-retry' });
    expect(fixed.status).toBe(200);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
    expect(fixed.body).toMatchObject({ object: 'customer', email: 'ada@example.com' });
    expect((await send(server, 'GET', '/_control/idempotency_keys/fix-and-retry', { key })).body).toMatchObject({
      recovery_point: 'finished',
      response_code: 200,
      locked_at: null,
    });
  });

  it('leaves the key free when many invalid requests with it arrive together, each answered as it is refused', async () => {
    const key = newKey();
    const invalid = await Promise.all(
      Array.from({ length: 24 }, () => send(server, 'POST', '/v1/customers', { key, form: { email: 'nope' }, idempotencyKey: 'crowd' })),
    );
    for (const res of invalid) {
      // Each one either held the key and was refused for its email, or met another one holding it.
      if (res.status === 400) expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: 'email' });
      else expect([res.status, res.body.error?.code]).toEqual([409, 'idempotency_key_in_use']);
    }
    expect(invalid.filter((res) => res.status === 400).length).toBeGreaterThan(0);
    expect((await send(server, 'GET', '/_control/idempotency_keys/crowd', { key })).status).toBe(404);
    const fixed = await send(server, 'POST', '/v1/customers', { key, form: { email: 'ada@example.com' }, idempotencyKey: 'crowd' });
    expect([fixed.status, fixed.headers.get('idempotent-replayed')]).toEqual([200, null]);
  });

  it('leaves the key free after an unknown parameter too', async () => {
    const key = newKey();
    const invalid = await send(server, 'POST', '/v1/customers', { key, form: { nmae: 'Ada' }, idempotencyKey: 'typo' });
    expect(invalid.body.error).toMatchObject({ param: 'nmae', message: 'Received unknown parameter: nmae' });
    const fixed = await send(server, 'POST', '/v1/customers', { key, form: { name: 'Ada' }, idempotencyKey: 'typo' });
    expect(fixed.status).toBe(200);
  });

  it('runs every POST route of the API under the layer, whichever way it was declared', async () => {
    // The layer is attached per route (ApiPost), not globally: a POST declared any other way would
    // silently run without keys. Every API POST the app registers must echo the key, as the layer does.
    const routes = apiRoutes(server).filter((route) => route.method === RequestMethod.POST && route.path.startsWith('/v1/'));
    expect(routes.map((route) => route.path)).toEqual(
      expect.arrayContaining(['/v1/charges', '/v1/charges/:id/capture', '/v1/customers', '/v1/refunds', '/v1/charges/:id/refunds']),
    );
    const key = newKey();
    const answers = await Promise.all(
      routes.map(async ({ path }) => {
        const idempotencyKey = `route-${path}`;
        const res = await send(server, 'POST', path.replace(/:\w+/g, 'missing_1'), { key, form: {}, idempotencyKey });
        return { path, status: res.status, echoed: res.headers.get('idempotency-key') === idempotencyKey };
      }),
    );
    expect(answers.filter((answer) => !answer.echoed || answer.status >= 500)).toEqual([]);
  });

  it('ignores the header on GET: reads are never replayed', async () => {
    const key = newKey();
    const created = await send(server, 'POST', '/v1/customers', { key, form: { name: 'before' } });
    const read = (await fetch(`${server.url}/v1/customers/${created.body.id}`, { headers: { authorization: `Bearer ${key}`, 'idempotency-key': 'read-key' } }));
    expect(read.headers.get('idempotent-replayed')).toBeNull();
    await send(server, 'POST', `/v1/customers/${created.body.id}`, { key, form: { name: 'after' } });
    const again = await fetch(`${server.url}/v1/customers/${created.body.id}`, { headers: { authorization: `Bearer ${key}`, 'idempotency-key': 'read-key' } });
    expect(((await again.json()) as { name: string }).name).toBe('after');
    expect((await send(server, 'GET', '/_control/idempotency_keys/read-key', { key })).status).toBe(404);
  });

  it('after a crash right after the only phase committed, a retry gets the committed customer', async () => {
    const key = newKey();
    const armed = await send(server, 'POST', '/_control/faults', { key, form: { path: '/v1/customers', fault: 'crash_after_phase', phase: 'finished' } });
    expect(armed.body).toMatchObject({ object: 'fault', fault: 'crash_after_phase', phase: 'finished', remaining: 1 });

    await expect(send(server, 'POST', '/v1/customers', { key, form: { name: 'crash' }, idempotencyKey: 'crash-key' })).rejects.toThrow();
    const retry = await send(server, 'POST', '/v1/customers', { key, form: { name: 'crash' }, idempotencyKey: 'crash-key' });

    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const list = await send(server, 'GET', '/v1/customers', { key });
    expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([retry.body.id]);
  });
});

describe('lock takeover (IDEMPOTENCY_LOCK_TIMEOUT_MS=200)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ IDEMPOTENCY_LOCK_TIMEOUT_MS: '200' });
  });
  afterAll(() => server.close());

  it('refuses a retry while the first request holds the key, lets one take over after the timeout, and stops the first from writing', async () => {
    const key = newKey();
    const runner = server.app.get(AtomicPhaseRunner);
    const run = runner.run.bind(runner);
    let wakeUp!: () => void;
    const stalled = new Promise<void>((resolve) => (wakeUp = resolve));
    // The first request stalls after its key phase, as if its process hung: it holds the lock and has written nothing.
    const spy = jest.spyOn(runner, 'run').mockImplementationOnce(async (ctx, plan) => {
      await stalled;
      return run(ctx, plan);
    });
    try {
      const firstAnswer = send(server, 'POST', '/v1/customers', { key, form: { name: 'slow' }, idempotencyKey: 'takeover' });
      let inspected;
      for (let i = 0; i < 100; i++) {
        inspected = await send(server, 'GET', '/_control/idempotency_keys/takeover', { key });
        if (inspected.status === 200) break;
        await sleep(5);
      }
      expect(inspected!.body).toMatchObject({ recovery_point: 'started', locked_at: expect.any(Number) });

      const tooSoon = await send(server, 'POST', '/v1/customers', { key, form: { name: 'slow' }, idempotencyKey: 'takeover' });
      expect(tooSoon.status).toBe(409);
      expect(tooSoon.body.error).toEqual({
        type: 'invalid_request_error',
        code: 'idempotency_key_in_use',
        doc_url: 'https://stripe.com/docs/error-codes/idempotency-key-in-use',
        message: keyInUse('takeover'),
      });

      await sleep(250);
      const takenOver = await send(server, 'POST', '/v1/customers', { key, form: { name: 'slow' }, idempotencyKey: 'takeover' });
      expect(takenOver.status).toBe(200);
      expect(takenOver.headers.get('idempotent-replayed')).toBeNull();
      expect(takenOver.body).toMatchObject({ object: 'customer', name: 'slow' });

      // The first request wakes up: its lock is gone, so its customer must not be saved.
      wakeUp();
      const first = await firstAnswer;
      expect(first.status).toBe(409);
      expect(first.body.error.code).toBe('idempotency_key_in_use');
      // Taken over, not deleted: the key's row is still there, held by the request that took it.
      expect(first.body.error.message).toBe(keyInUse('takeover'));

      const list = await send(server, 'GET', '/v1/customers', { key });
      expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([takenOver.body.id]);
      const replay = await send(server, 'POST', '/v1/customers', { key, form: { name: 'slow' }, idempotencyKey: 'takeover' });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.text).toBe(takenOver.text);
    } finally {
      wakeUp();
      spy.mockRestore();
    }
  });
});

describe('the reaper (IDEMPOTENCY_KEY_TTL_HOURS=1, REAPER_BATCH_SIZE=3)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ IDEMPOTENCY_KEY_TTL_HOURS: '1', REAPER_BATCH_SIZE: '3' });
  });
  afterAll(() => server.close());

  it('deletes keys older than the TTL in batches, keeps younger ones, and an expired key starts a new request', async () => {
    const key = newKey();
    const create = (idempotencyKey: string) => send(server, 'POST', '/v1/customers', { key, form: { name: idempotencyKey }, idempotencyKey });
    const inspect = async (idempotencyKey: string) => (await send(server, 'GET', `/_control/idempotency_keys/${idempotencyKey}`, { key })).status;

    const old = ['old-0', 'old-1', 'old-2', 'old-3', 'old-4', 'old-5', 'old-6'];
    const oldAnswers = [];
    for (const k of old) oldAnswers.push(await create(k));
    await sleep(5);
    const boundary = Date.now();
    await sleep(5);
    const young = ['young-0', 'young-1'];
    const youngAnswers = [];
    for (const k of young) youngAnswers.push(await create(k));
    // Replayed twice before the reap, so that its answer is remembered as well as stored: the reap must forget both.
    for (let i = 0; i < 2; i++) expect((await create('old-0')).headers.get('idempotent-replayed')).toBe('true');

    const batches = jest.spyOn(server.app.get(IdempotencyKeyStore), 'reapBatch');
    try {
      // One hour after the boundary, the old keys have outlived the TTL and the young ones have not.
      const deleted = await server.app.get(IdempotencyReaper).reapExpired(boundary + 3_600_000);
      expect(deleted).toBe(7);
      expect(batches.mock.results.map((r) => r.value)).toEqual([3, 3, 1]);
    } finally {
      batches.mockRestore();
    }

    for (const k of old) expect(await inspect(k)).toBe(404);
    for (const k of young) expect(await inspect(k)).toBe(200);

    const reused = await create('old-0');
    expect(reused.status).toBe(200);
    expect(reused.headers.get('idempotent-replayed')).toBeNull();
    expect(reused.body.id).not.toBe(oldAnswers[0].body.id);

    const replayed = await create('young-0');
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.id).toBe(youngAnswers[0].body.id);

    const list = await send(server, 'GET', '/v1/customers?limit=100', { key });
    expect(list.body.data).toHaveLength(10);
  });
});

describe('the reaper under load (REAPER_BATCH_SIZE=200)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ REAPER_BATCH_SIZE: '200' });
  });
  afterAll(() => server.close());

  it('answers requests while it deletes a large backlog of expired keys', async () => {
    const db = server.app.get(TransactionRunner);
    const store = server.app.get(IdempotencyKeyStore);
    const backlog = 20_000;
    const longAgo = Date.now() - 48 * 3_600_000;
    db.runNow((tx) => {
      for (let i = 0; i < backlog; i++) {
        store.lockOrReplay(tx, { account: 'acct_backlog', key: `expired-${i}`, method: 'POST', path: '/v1/customers', params: '{}', requestId: `req_${i}` }, longAgo);
      }
    });

    let swept = false;
    const sweep = server.app.get(IdempotencyReaper).reapExpired().then((n) => {
      swept = true;
      return n;
    });
    const key = newKey();
    const created = await send(server, 'POST', '/v1/customers', { key, form: { name: 'meanwhile' }, idempotencyKey: 'meanwhile' });
    // The request was answered between two batches, not after the whole sweep.
    expect(created.status).toBe(200);
    expect(swept).toBe(false);

    expect(await sweep).toBe(backlog);
    expect((await send(server, 'GET', '/_control/idempotency_keys/meanwhile', { key })).status).toBe(200);
  });
});

/** Every route the application registered: its method and full path, read from the controllers' metadata. */
function apiRoutes(server: TestServer): { method: RequestMethod; path: string }[] {
  const routes: { method: RequestMethod; path: string }[] = [];
  for (const module of server.app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (!metatype) continue;
      const prefix = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
      for (const name of Object.getOwnPropertyNames(metatype.prototype)) {
        const handler = (metatype.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const path = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
        routes.push({ method, path: `/${[prefix, path].filter((part) => part && part !== '/').join('/')}` });
      }
    }
  }
  return routes;
}
