import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { CustomersRepository } from '../src/customers/customers.repository.js';
import { AtomicPhaseRunner } from '../src/idempotency/atomic-phase-runner.js';
import { newKey, startServer, type TestServer } from './support/server.js';
import { send, type WireResponse } from './support/wire.js';

const keyInUse = (key: string) =>
  `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`;

interface Customer {
  id: string;
  name: string | null;
}

/** Every customer of the account, following the cursor 100 at a time. */
async function listAll(server: TestServer, key: string): Promise<Customer[]> {
  const out: Customer[] = [];
  let cursor = '';
  for (;;) {
    const page = await send(server, 'GET', `/v1/customers?limit=100${cursor && `&starting_after=${cursor}`}`, { key });
    expect(page.status).toBe(200);
    out.push(...page.body.data);
    if (!page.body.has_more) return out;
    cursor = page.body.data[page.body.data.length - 1].id;
  }
}

/**
 * A customer create is over within one turn of the event loop, so simultaneous duplicates mostly meet a
 * finished key. This makes every request wait `ms` between its key phase and its first phase, like an
 * endpoint that calls a slow foreign system, so the duplicates meet a key that is really in flight.
 */
function slowEndpoint(server: TestServer, ms: number): () => void {
  const runner = server.app.get(AtomicPhaseRunner);
  const run = runner.run.bind(runner);
  const spy = jest.spyOn(runner, 'run').mockImplementation(async (ctx, plan) => {
    await sleep(ms);
    return run(ctx, plan);
  });
  return () => spy.mockRestore();
}

/** Fires `n` identical keyed creates at once and checks what exactly-once means for them. */
async function sameKeyBurst(server: TestServer, n: number): Promise<{ answers: WireResponse[]; created: WireResponse }> {
  const key = newKey();
  const answers = await Promise.all(
    Array.from({ length: n }, () => send(server, 'POST', '/v1/customers', { key, form: { name: 'burst', metadata: { order: '7' } }, idempotencyKey: 'burst-key' })),
  );
  for (const answer of answers) {
    expect([200, 409]).toContain(answer.status);
    if (answer.status === 409) {
      expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', code: 'idempotency_key_in_use', message: keyInUse('burst-key') });
    }
  }
  const ok = answers.filter((a) => a.status === 200);
  const originals = ok.filter((a) => a.headers.get('idempotent-replayed') === null);
  // Exactly one request did the work; every other 200 is a replay of its answer.
  expect(originals).toHaveLength(1);
  const [created] = originals;
  for (const replay of ok) expect(replay.text).toBe(created.text);

  expect((await listAll(server, key)).map((c) => c.id)).toEqual([created.body.id]);
  // Once the dust settles, the key replays for everyone.
  const after = await send(server, 'POST', '/v1/customers', { key, form: { name: 'burst', metadata: { order: '7' } }, idempotencyKey: 'burst-key' });
  expect(after.headers.get('idempotent-replayed')).toBe('true');
  expect(after.text).toBe(created.text);
  return { answers, created };
}

describe('concurrent requests', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('25 simultaneous creates with one key make exactly one customer; the rest are replays or 409s', async () => {
    const { answers } = await sameKeyBurst(server, 25);
    expect(answers).toHaveLength(25);
  });

  it('25 simultaneous creates with one key while the first is still in flight: one customer, the others 409', async () => {
    const restore = slowEndpoint(server, 100);
    try {
      const { answers } = await sameKeyBurst(server, 25);
      expect(answers.filter((a) => a.status === 409).length).toBeGreaterThan(0);
    } finally {
      restore();
    }
  });

  it('200 simultaneous creates with distinct keys make 200 customers, none lost', async () => {
    const key = newKey();
    const stripe = server.stripe(key);
    const created = await Promise.all(
      Array.from({ length: 200 }, (_, i) => stripe.customers.create({ name: `c${i}` }, { idempotencyKey: `distinct-${i}` })),
    );
    const ids = new Set(created.map((c) => c.id));
    expect(ids.size).toBe(200);

    const listed = await stripe.customers.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
    expect(listed).toHaveLength(200);
    expect(new Set(listed.map((c) => c.id))).toEqual(ids);
    expect(new Set(listed.map((c) => c.name))).toEqual(new Set(created.map((c) => c.name)));
  });

  it('lists and retrieves during heavy writes never show a row that was rolled back', async () => {
    const key = newKey();
    const create = (form: Record<string, unknown>, idempotencyKey?: string) => send(server, 'POST', '/v1/customers', { key, form, idempotencyKey });
    const live: string[] = [];
    for (let i = 0; i < 20; i++) live.push((await create({ name: `live ${i}` })).body.id);
    const deleted: string[] = [];
    for (let i = 0; i < 10; i++) {
      const id = (await create({ name: `gone ${i}` })).body.id;
      await send(server, 'DELETE', `/v1/customers/${id}`, { key });
      deleted.push(id);
    }

    // Creates named 'doomed' fail after their INSERT ran, inside the same transaction: it must roll back unseen.
    const repository = server.app.get(CustomersRepository);
    const insert = repository.insert.bind(repository);
    const failAfterInsert = jest.spyOn(repository, 'insert').mockImplementation((tx, row) => {
      insert(tx, row);
      if (row.name === 'doomed') throw new Error('injected failure after the insert');
    });
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    const seen = new Set<string>();
    const seenDoomed: string[] = [];
    let passes = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        for (const customer of await listAll(server, key)) {
          seen.add(customer.id);
          if (customer.name === 'doomed') seenDoomed.push(customer.id);
        }
        const sample = [...seen].slice(-5);
        for (const id of sample) expect((await send(server, 'GET', `/v1/customers/${id}`, { key })).status).toBe(200);
        passes++;
      }
    })();

    const writes: Array<Promise<WireResponse>> = [];
    try {
      for (let i = 0; i < 60; i++) {
        writes.push(create({ name: `new ${i}` }, `good-${i}`));
        writes.push(create({ name: 'doomed', description: String(i) }, `doomed-${i}`));
        if (i < 30) writes.push(create({ name: 'invalid', email: `not-an-email-${i}` }, `invalid-${i}`));
        if (i < 30) writes.push(send(server, 'POST', `/v1/customers/${deleted[i % 10]}`, { key, form: { name: 'zombie' }, idempotencyKey: `zombie-${i}` }));
        // Updates go to customers that stay; the deletes take the first ten.
        if (i < 20) writes.push(send(server, 'POST', `/v1/customers/${live[10 + (i % 10)]}`, { key, form: { metadata: { pass: String(i) } } }));
        if (i < 10) writes.push(send(server, 'DELETE', `/v1/customers/${live[i]}`, { key }));
      }
      const answers = await Promise.all(writes);
      writing = false;
      await reader;

      const byName = (status: number) => answers.filter((a) => a.status === status).length;
      expect({ ok: byName(200), invalid: byName(400), missing: byName(404), failed: byName(500), other: answers.length - byName(200) - byName(400) - byName(404) - byName(500) }).toEqual({
        ok: 60 + 20 + 10,
        invalid: 30,
        missing: 30,
        failed: 60,
        other: 0,
      });
    } finally {
      writing = false;
      await reader.catch(() => undefined);
      failAfterInsert.mockRestore();
      logged.mockRestore();
    }

    expect(passes).toBeGreaterThan(1);
    expect(seenDoomed).toEqual([]);
    // Every row any list showed still exists (a deleted one answers its deleted stub).
    for (const id of seen) expect((await send(server, 'GET', `/v1/customers/${id}`, { key })).status).toBe(200);
    const final = await listAll(server, key);
    expect(final).toHaveLength(20 - 10 + 60);
    expect(final.filter((c) => c.name === 'doomed' || c.name === 'zombie')).toEqual([]);

    // A failed attempt left its key at `started`, unlocked: the retry does the work, once.
    expect((await send(server, 'GET', '/_control/idempotency_keys/doomed-0', { key })).body).toMatchObject({ recovery_point: 'started', locked_at: null });
    const retried = await create({ name: 'doomed', description: '0' }, 'doomed-0');
    expect(retried.status).toBe(200);
    expect((await listAll(server, key)).filter((c) => c.name === 'doomed').map((c) => c.id)).toEqual([retried.body.id]);
  });
});

describe('concurrent requests with a 1 ms lock timeout (every request may take over the one before)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ IDEMPOTENCY_LOCK_TIMEOUT_MS: '1' });
  });
  afterAll(() => server.close());

  it('25 simultaneous creates with one key still make exactly one customer', async () => {
    for (let round = 0; round < 3; round++) await sameKeyBurst(server, 25);
  });

  it('…even when each request is still in flight as the next one takes its lock over', async () => {
    const restore = slowEndpoint(server, 50);
    try {
      // Requests whose lock was taken over find out when they try to commit, and answer 409 without writing.
      const { answers } = await sameKeyBurst(server, 25);
      expect(answers.filter((a) => a.status === 409).length).toBeGreaterThan(0);
    } finally {
      restore();
    }
  });
});
