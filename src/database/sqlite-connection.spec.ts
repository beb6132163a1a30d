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

  it('creates a new file with every migration applied, in WAL mode', async () => {
    open = await connectDatabase(config);
    expect(appliedMigrations(open)).toEqual(MIGRATIONS.map((M) => new M().name));
    expect(open.db.pragma('journal_mode', { simple: true })).toBe('wal');
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
  });

  it('runs a pending migration on an existing file instead of opening it as it is', async () => {
    open = await connectDatabase(config);
    const newest = new MIGRATIONS[MIGRATIONS.length - 1]().name;
    // Roll the newest migration back by hand, as if the file came from the previous version.
    await new MIGRATIONS[MIGRATIONS.length - 1]().down({ query: async (sql: string) => open!.db.exec(sql) } as never);
    open.db.prepare('DELETE FROM migrations WHERE name = ?').run(newest);
    const before = schema(open);
    await open.close();

    open = await connectDatabase(config);
    expect(appliedMigrations(open)).toContain(newest);
    expect(schema(open)).not.toEqual(before);
  });
});
