import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type Stripe from 'stripe';
import { SqlStatements, TransactionRunner } from '../src/database/transaction-runner.js';
import { newKey, startServer, type TestServer } from './support/server.js';
import { send } from './support/wire.js';

const COUNT = 45;
/** A fixed past moment; customer i is made to have been created BASE + i seconds. */
const BASE = 1_700_000_000;

describe('customer lists through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  let apiKey: string;
  /** Ids in creation order: ids[0] is the oldest. */
  let ids: string[];
  const newestFirst = (list: string[]) => [...list].reverse();

  beforeAll(async () => {
    server = await startServer();
    apiKey = newKey();
    stripe = server.stripe(apiKey);
    ids = [];
    for (let i = 0; i < COUNT; i++) ids.push((await stripe.customers.create({ name: `customer ${i}` })).id);
    // Spread them over 45 seconds, as if created one per second, so `created` filters have something to cut.
    server.app.get(TransactionRunner).runNow((tx) => {
      ids.forEach((id, i) => tx.run('UPDATE customers SET created = ? WHERE id = ?', BASE + i, id));
    });
  });
  afterAll(() => server.close());

  it('auto-paginates over every customer exactly once, newest first', async () => {
    const all = await stripe.customers.list({ limit: 10 }).autoPagingToArray({ limit: 1000 });
    expect(all.map((c) => c.id)).toEqual(newestFirst(ids));

    const seen: string[] = [];
    for await (const customer of stripe.customers.list({ limit: 7 })) seen.push(customer.id);
    expect(seen).toEqual(newestFirst(ids));
  });

  it('pages by starting_after with has_more true until the last page', async () => {
    const pages: Array<{ size: number; hasMore: boolean }> = [];
    let startingAfter: string | undefined;
    for (;;) {
      const page = await stripe.customers.list({ limit: 10, ...(startingAfter && { starting_after: startingAfter }) });
      expect(page).toMatchObject({ object: 'list', url: '/v1/customers' });
      pages.push({ size: page.data.length, hasMore: page.has_more });
      if (!page.has_more) break;
      startingAfter = page.data[page.data.length - 1].id;
    }
    expect(pages).toEqual([
      { size: 10, hasMore: true },
      { size: 10, hasMore: true },
      { size: 10, hasMore: true },
      { size: 10, hasMore: true },
      { size: 5, hasMore: false },
    ]);
  });

  it('returns 10 customers by default', async () => {
    const page = await stripe.customers.list();
    expect(page.data.map((c) => c.id)).toEqual(newestFirst(ids).slice(0, 10));
    expect(page.has_more).toBe(true);
  });

  it('pages backwards with ending_before', async () => {
    const page = await stripe.customers.list({ limit: 10, ending_before: ids[0] });
    // The ten customers just newer than the cursor, still newest first within the page.
    expect(page.data.map((c) => c.id)).toEqual(newestFirst(ids.slice(1, 11)));
    expect(page.has_more).toBe(true);

    const backwards = await stripe.customers.list({ limit: 10, ending_before: ids[0] }).autoPagingToArray({ limit: 1000 });
    expect(backwards.map((c) => c.id)).toEqual(ids.slice(1));
  });

  it('filters by created[gte|gt|lt|lte], across pages', async () => {
    const listIds = async (created: Stripe.RangeQueryParam | number) =>
      (await stripe.customers.list({ limit: 10, created }).autoPagingToArray({ limit: 1000 })).map((c) => c.id);

    expect(await listIds({ gte: BASE + 20 })).toEqual(newestFirst(ids.slice(20)));
    expect(await listIds({ gt: BASE + 20 })).toEqual(newestFirst(ids.slice(21)));
    expect(await listIds({ lt: BASE + 5 })).toEqual(newestFirst(ids.slice(0, 5)));
    expect(await listIds({ lte: BASE + 5 })).toEqual(newestFirst(ids.slice(0, 6)));
    expect(await listIds({ gte: BASE + 10, lt: BASE + 30 })).toEqual(newestFirst(ids.slice(10, 30)));
    expect(await listIds({ gt: BASE + COUNT })).toEqual([]);
  });

  it('treats an empty created bound as no bound', async () => {
    const res = await send(server, 'GET', `/v1/customers?limit=100&created[gte]=&created[lt]=${BASE + 3}`, { key: apiKey });
    expect(res.status).toBe(200);
    expect(res.body.data.map((c: { id: string }) => c.id)).toEqual(newestFirst(ids.slice(0, 3)));
  });

  it('filters by an exact created second', async () => {
    const page = await stripe.customers.list({ created: BASE + 7 });
    expect(page.data.map((c) => c.id)).toEqual([ids[7]]);
  });

  it('leaves deleted customers out of lists, while their ids still work as cursors', async () => {
    const other = newKey();
    const sdk = server.stripe(other);
    const [a, b, c] = [await sdk.customers.create({ name: 'a' }), await sdk.customers.create({ name: 'b' }), await sdk.customers.create({ name: 'c' })];
    await sdk.customers.del(b.id);
    expect((await sdk.customers.list()).data.map((x) => x.id)).toEqual([c.id, a.id]);
    expect((await sdk.customers.list({ starting_after: b.id })).data.map((x) => x.id)).toEqual([a.id]);
  });

  it('refuses starting_after and ending_before together, as Stripe does, on every list', async () => {
    for (const path of ['/v1/customers', '/v1/charges', '/v1/refunds', '/v1/events', '/v1/webhook_endpoints']) {
      const res = await send(server, 'GET', `${path}?starting_after=${ids[1]}&ending_before=${ids[0]}`, { key: apiKey });
      expect([path, res.status, res.body.error?.param, res.body.error?.message]).toEqual([
        path, 400, 'ending_before', 'You may only specify one of these parameters: starting_after, ending_before.',
      ]);
    }
  });

  it('never shows or accepts another account’s customers', async () => {
    const other = server.stripe();
    const theirs = await other.customers.create({ name: 'not yours' });
    const mine = await stripe.customers.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
    expect(mine.map((c) => c.id)).not.toContain(theirs.id);
    await expect(stripe.customers.list({ starting_after: theirs.id })).rejects.toMatchObject({
      statusCode: 404,
      param: 'starting_after',
      message: `No such customer: '${theirs.id}'`,
    });
    await expect(other.customers.list({ starting_after: ids[0] })).rejects.toMatchObject({ statusCode: 404 });
  });

  it('reads a page through the list index, whatever the cursor (no scan, no sort, no OFFSET)', async () => {
    const prepare = jest.spyOn(SqlStatements.prototype, 'prepare');
    let statements: string[];
    try {
      const res = await send(server, 'GET', `/v1/customers?limit=3&starting_after=${ids[30]}&created[gte]=${BASE}`, { key: apiKey });
      expect(res.status).toBe(200);
      statements = prepare.mock.calls.map(([sql]) => sql).filter((sql) => /FROM customers/.test(sql));
    } finally {
      prepare.mockRestore();
    }
    expect(statements).toHaveLength(2);
    const db = (server.app.get(TransactionRunner) as unknown as { sql: SqlStatements }).sql.db;
    for (const sql of statements) {
      expect(sql).not.toMatch(/OFFSET/i);
      const params = (sql.match(/\?/g) ?? []).map(() => 1);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((row) => row.detail);
      expect(plan.join('\n')).toMatch(/SEARCH customers USING (INDEX customers_account_list|INDEX customers_id)/);
      expect(plan.join('\n')).not.toMatch(/SCAN customers|TEMP B-TREE/);
    }
  });
});
