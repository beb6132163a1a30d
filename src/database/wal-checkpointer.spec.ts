import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { configureConnection } from './sqlite-connection.js';
import { checkpointWithoutWorker, IDLE_CHECKPOINT_MAX_MS, WalCheckpointer, WORKERLESS_AUTOCHECKPOINT_PAGES } from './wal-checkpointer.js';

describe('WalCheckpointer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncepay-wal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A database in WAL mode whose writer never checkpoints: whatever reaches its file, the worker put there. */
  function writerOnly(name: string) {
    const path = join(dir, name);
    const db = new BetterSqlite3(path);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (body TEXT)');
    return { path, db, insert: db.prepare('INSERT INTO t VALUES (?)') };
  }

  it('copies committed pages into the database file from its own thread', async () => {
    const { path, db, insert } = writerOnly('db.sqlite');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('x'.repeat(2000));
    })();
    const before = statSync(path).size;
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(4_000_000);

    let failed = false;
    const checkpointer = new WalCheckpointer(path, 20, () => (failed = true));
    try {
      for (let i = 0; i < 100 && statSync(path).size < 4_000_000; i++) await sleep(20);
      await sleep(100); // a few more rounds: each also fsyncs the database file, which must not end the worker
    } finally {
      await checkpointer.stop();
    }
    expect(before).toBeLessThan(100_000);
    expect(statSync(path).size).toBeGreaterThan(4_000_000);
    expect(failed).toBe(false);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(2000);
    db.close();
  });

  it('flushes the database file to disk only after copying pages into it, not on every tick of an idle server', async () => {
    const { path, db, insert } = writerOnly('idle.sqlite');
    const checkpointer = new WalCheckpointer(path, 10, () => undefined);
    try {
      const settle = async () => {
        for (let last = -1, i = 0; last !== checkpointer.syncs && i < 20; i++) {
          last = checkpointer.syncs;
          await sleep(IDLE_CHECKPOINT_MAX_MS + 50); // at least one tick, however long the idle worker waits
        }
      };
      await settle(); // the table's creation, copied once
      const idle = checkpointer.syncs;
      await sleep(300);
      // Each sync is a flush of the disk's write cache: fifty a second on an idle server, before.
      expect(checkpointer.syncs).toBe(idle);

      insert.run('x'.repeat(10_000));
      await settle();
      expect(checkpointer.syncs).toBeGreaterThan(idle);
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });

  it('checks less and less often while nothing is written, and at its interval again once something is', async () => {
    const { path, db, insert } = writerOnly('backoff.sqlite');
    const checkpointer = new WalCheckpointer(path, 10, () => undefined);
    try {
      await sleep(1000); // the table's creation copied, then the worker settles at its longest wait
      const idleFrom = checkpointer.checkpoints;
      await sleep(4 * IDLE_CHECKPOINT_MAX_MS);
      // Every 10 ms this would be a hundred wake-ups of a server doing nothing.
      expect(checkpointer.checkpoints - idleFrom).toBeLessThanOrEqual(6);

      const syncedBefore = checkpointer.syncs;
      const busyFrom = checkpointer.checkpoints;
      for (let i = 0; i < 100; i++) {
        insert.run('x'.repeat(5000));
        await sleep(10);
      }
      // Writing again for a second or more: waiting its longest, the worker would tick four or five times.
      expect(checkpointer.checkpoints - busyFrom).toBeGreaterThanOrEqual(20);
      expect(checkpointer.syncs - syncedBefore).toBeGreaterThanOrEqual(15);
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });

  it('closes its connection and its descriptor of the file when stopped, so the log is wound up', async () => {
    const path = join(dir, 'stopped.sqlite');
    const db = new BetterSqlite3(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (body TEXT)');
    db.close();
    const openOnFile = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`).startsWith(path);
        } catch {
          return false; // closed while listing
        }
      }).length;

    const checkpointer = new WalCheckpointer(path, 20, () => undefined);
    for (let i = 0; i < 100 && openOnFile() < 2; i++) await sleep(20);
    expect(openOnFile()).toBeGreaterThanOrEqual(2); // its connection and its own descriptor
    await checkpointer.stop();

    // Nothing of the worker stays open: a test process starts and stops hundreds of servers.
    expect(openOnFile()).toBe(0);
    // The last connection to close checkpoints the log and removes it: a stopped server leaves one file.
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('tells its owner when the worker dies, and the request connection then checkpoints small and often again', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const failed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the worker failure was never reported')), 5000);
      // A database the worker cannot open: its thread throws and ends.
      const checkpointer = new WalCheckpointer(join(dir, 'missing', 'db.sqlite'), 20, () => {
        clearTimeout(timer);
        void checkpointer.stop().then(resolve);
      });
    });
    await failed;
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/^checkpoint worker failed; the request thread checkpoints from now on: /));
    logged.mockRestore();

    const path = join(dir, 'workerless.sqlite');
    const db = new BetterSqlite3(path);
    configureConnection(db, { databasePath: path, sqliteSynchronous: 'NORMAL' });
    checkpointWithoutWorker(db);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WORKERLESS_AUTOCHECKPOINT_PAGES);
    db.close();
    expect(() => checkpointWithoutWorker(db)).not.toThrow(); // a failure reported during shutdown
  });
});
