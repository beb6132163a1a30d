import { afterAll, describe, expect, it } from '@jest/globals';
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { configureConnection } from './sqlite-connection.js';
import { WAL_FILE_LIMIT_BYTES, WalCheckpointer } from './wal-checkpointer.js';

describe('WalCheckpointer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncepay-wal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('copies committed pages into the database file from its own thread', async () => {
    const path = join(dir, 'db.sqlite');
    const db = new BetterSqlite3(path);
    db.pragma('journal_mode = WAL');
    // The writer never checkpoints here: whatever reaches the database file, the worker put there.
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (body TEXT)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('x'.repeat(2000));
    })();
    const before = statSync(path).size;
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(4_000_000);

    const checkpointer = new WalCheckpointer(path, 20);
    try {
      for (let i = 0; i < 100 && statSync(path).size < 4_000_000; i++) await sleep(20);
    } finally {
      await checkpointer.stop();
    }
    expect(before).toBeLessThan(100_000);
    expect(statSync(path).size).toBeGreaterThan(4_000_000);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(2000);
    db.close();
  });

  it('leaves the request connection to write on past 40 MB of WAL without checkpointing, and cuts the file back once the log starts over', () => {
    const path = join(dir, 'sustained.sqlite');
    const db = new BetterSqlite3(path);
    configureConnection(db, { databasePath: path, sqliteSynchronous: 'NORMAL' });
    db.exec('CREATE TABLE t (body TEXT)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    const commitPages = db.transaction((n: number) => {
      for (let i = 0; i < n; i++) insert.run('x'.repeat(4000));
    });
    // ~12,000 pages in 60 commits, as a stretch of full load writes them. A connection that checkpointed
    // itself at 10,000 pages would have started the log over, and the file would have stopped at ~41 MB:
    // that checkpoint is the one that stalls every request while it fsyncs.
    for (let i = 0; i < 60; i++) commitPages(200);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(12_000 * 4096);

    // Once another connection (the worker, in the server) has copied every page, the next commit
    // starts the log over and cuts the file back to the limit.
    const other = new BetterSqlite3(path);
    other.pragma('wal_checkpoint(PASSIVE)');
    other.close();
    commitPages(1);
    expect(statSync(`${path}-wal`).size).toBeLessThanOrEqual(WAL_FILE_LIMIT_BYTES);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(12_001);
    db.close();
  });
});
