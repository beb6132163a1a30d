import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from './migrations/index.js';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from './wal-checkpointer.js';
import { connectDatabase, type SqliteConnection } from './sqlite-connection.js';

describe('connectDatabase', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncepay-connect-'));
  const config = { databasePath: join(dir, 'db.sqlite'), sqliteSynchronous: 'NORMAL' as const };
  let open: SqliteConnection | null = null;
  afterEach(async () => {
    await open?.close();
    open = null;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const appliedMigrations = (connection: SqliteConnection) =>
    connection.db.prepare('SELECT name FROM migrations ORDER BY id').pluck().all();
  const tables = (connection: SqliteConnection) =>
    connection.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
  /** Every table's and index's definition: what a migration changes, whether it adds a table or a column. */
  const schema = (connection: SqliteConnection) =>
    connection.db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all();

  /** Undoes `name` and every migration after it, newest first, as a file from before `name` would be; returns their names. */
  const rollBackThrough = async (connection: SqliteConnection, name: string) => {
    const all = MIGRATIONS.map((M) => new M());
    const since = all.slice(all.findIndex((m) => m.name === name));
    for (const migration of [...since].reverse()) {
      await migration.down({ query: async (sql: string) => connection.db.exec(sql) } as never);
      connection.db.prepare('DELETE FROM migrations WHERE name = ?').run(migration.name);
    }
    return since.map((m) => m.name);
  };

  it('creates a new file with every migration applied, in WAL mode', async () => {
    open = await connectDatabase(config);
    expect(appliedMigrations(open)).toEqual(MIGRATIONS.map((M) => new M().name));
    expect(open.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(open.db.pragma('temp_store', { simple: true })).toBe(2); // MEMORY: savepoint journals never touch the disk
    // 2 MiB, not the driver's 16 MiB: every commit after a page split walks the whole cache.
    expect(open.db.pragma('cache_size', { simple: true })).toBe(-2000);
    expect(tables(open)).toEqual(expect.arrayContaining(['charges', 'customers', 'idempotency_keys', 'events']));
  });

  it('reopens a migrated file with its data and the same pragmas', async () => {
    open = await connectDatabase(config);
    open.db.prepare("INSERT INTO idempotency_keys (account, key, request_method, request_path, request_params, recovery_point, last_run_at, request_id, created_at) VALUES ('a', 'k', 'POST', '/v1/customers', '{}', 'started', 0, 'req_1', 0)").run();
    await open.close();
    open = await connectDatabase(config);
    expect(open.db.prepare('SELECT key FROM idempotency_keys').pluck().get()).toBe('k');
    expect(open.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(open.db.pragma('wal_autocheckpoint', { simple: true })).toBe(FALLBACK_AUTOCHECKPOINT_PAGES);
    expect(open.db.pragma('temp_store', { simple: true })).toBe(2);
    expect(open.db.pragma('cache_size', { simple: true })).toBe(-2000);
  });

  it('keeps existing cards, charges and refunds through the card-holder, refund-customer, keyless- and keyed-unfinished migrations, filling the new columns', async () => {
    open = await connectDatabase(config);
    // Back to the schema before CardHolderDetails (undoing whatever came after it too), with rows written by that version.
    expect(await rollBackThrough(open, 'CardHolderDetails1764600000000')).toContain('RefundCustomer1764700000000');
    open.db.exec(`
      INSERT INTO cards (id, account, customer_id, brand, last4, exp_month, exp_year, funding, country, fingerprint, created)
        VALUES ('card_old', 'acct', 'cus_old', 'visa', '4242', 12, 2030, 'credit', 'US', 'fp', 1);
      INSERT INTO charges (id, account, created, amount, currency, customer_id, card_id, card, status, capture_requested)
        VALUES ('ch_old', 'acct', 1, 500, 'usd', 'cus_old', 'card_old', '{}', 'succeeded', 1);
      INSERT INTO refunds (id, account, created, charge_id, amount, currency, status) VALUES ('re_old', 'acct', 1, 'ch_old', 100, 'usd', 'succeeded');
      INSERT INTO charges (id, account, created, amount, currency, customer_id, card_id, card, status, capture_requested, keyed)
        VALUES ('ch_pending', 'acct', 2, 500, 'usd', NULL, 'card_old', '{}', 'pending', 1, 0),
               ('ch_pending_keyed', 'acct', 3, 500, 'usd', NULL, 'card_old', '{}', 'pending', 1, 1),
               ('ch_owed_keyed', 'acct', 4, 500, 'usd', NULL, 'card_old', '{}', 'succeeded', 1, 1),
               ('ch_done_keyed', 'acct', 5, 500, 'usd', NULL, 'card_old', '{}', 'succeeded', 1, 1);
      INSERT INTO refunds (id, account, created, charge_id, amount, currency, status, keyed)
        VALUES ('re_owed_keyed', 'acct', 6, 'ch_done_keyed', 100, 'usd', 'succeeded', 1),
               ('re_done_keyed', 'acct', 7, 'ch_done_keyed', 100, 'usd', 'succeeded', 1);
      INSERT INTO idempotency_keys (account, key, request_method, request_path, request_params, recovery_point, resource_id, last_run_at, request_id, created_at)
        VALUES ('acct', 'k1', 'POST', '/v1/charges', '{}', 'charge_created', 'ch_pending_keyed', 0, 'req_1', 0),
               ('acct', 'k2', 'POST', '/v1/charges', '{}', 'payment_processed', 'ch_owed_keyed', 0, 'req_2', 0),
               ('acct', 'k3', 'POST', '/v1/charges', '{}', 'finished', 'ch_done_keyed', 0, 'req_3', 0),
               ('acct', 'k4', 'POST', '/v1/refunds', '{}', 'refund_processed', 're_owed_keyed', 0, 'req_4', 0),
               ('acct', 'k5', 'POST', '/v1/refunds', '{}', 'finished', 're_done_keyed', 0, 'req_5', 0);
    `);
    await open.close();

    open = await connectDatabase(config);
    expect(open.db.prepare("SELECT name, address_zip, metadata FROM cards WHERE id = 'card_old'").get()).toEqual({ name: null, address_zip: null, metadata: '{}' });
    expect(open.db.prepare("SELECT customer_id, payment_method FROM refunds WHERE id = 're_old'").get()).toEqual({ customer_id: 'cus_old', payment_method: 'card_old' });
    // Unfinished: a keyless charge left pending (the completer finds it), and keyed rows whose key has not
    // reached finished (nothing may be done to them before their events). Not a decided keyless one, nor a finished key's.
    expect(open.db.prepare('SELECT id FROM charges WHERE unfinished = 1 ORDER BY id').pluck().all()).toEqual(['ch_owed_keyed', 'ch_pending', 'ch_pending_keyed']);
    expect(open.db.prepare('SELECT id FROM refunds WHERE unfinished = 1 ORDER BY id').pluck().all()).toEqual(['re_owed_keyed']);
  });

  it('runs pending migrations on an existing file instead of opening it as it is', async () => {
    open = await connectDatabase(config);
    // Back to before the newest migration that changes the schema, as if the file came from an older version.
    await rollBackThrough(open, 'KeylessUnfinished1764800000000');
    const before = schema(open);
    await open.close();

    open = await connectDatabase(config);
    expect(appliedMigrations(open)).toEqual(MIGRATIONS.map((M) => new M().name));
    expect(schema(open)).not.toEqual(before);
  });
});
