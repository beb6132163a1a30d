import { afterAll, describe, expect, it } from '@jest/globals';
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WalCheckpointer } from './wal-checkpointer.js';

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
});
