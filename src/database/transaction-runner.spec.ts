import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { TransactionRunner } from './transaction-runner.js';

describe('TransactionRunner.runNow', () => {
  let raw: BetterSqlite3.Database;
  let db: TransactionRunner;
  const count = () => db.read((tx) => tx.get<{ n: number }>('SELECT count(*) AS n FROM t')!.n);

  beforeEach(() => {
    raw = new BetterSqlite3(':memory:');
    raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    db = new TransactionRunner(raw);
  });
  afterEach(() => {
    raw.close();
  });

  it('commits all the writes of a unit of work and returns its result', () => {
    const result = db.runNow((tx) => {
      tx.run('INSERT INTO t (v) VALUES (?)', 'a');
      tx.run('INSERT INTO t (v) VALUES (?)', 'b');
      return 'done';
    });
    expect(result).toBe('done');
    expect(count()).toBe(2);
  });

  it('rolls back every write of a unit of work that throws, and rethrows', () => {
    expect(() =>
      db.runNow((tx) => {
        tx.run('INSERT INTO t (v) VALUES (?)', 'a');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(count()).toBe(0);
    expect(raw.inTransaction).toBe(false);
  });

  it('refuses an asynchronous unit of work and rolls back what it wrote before its first await', () => {
    expect(() =>
      db.runNow(async (tx) => {
        tx.run('INSERT INTO t (v) VALUES (?)', 'a');
      }),
    ).toThrow(/must be synchronous/);
    expect(count()).toBe(0);
  });

  it('refuses to nest units of work', () => {
    expect(() => db.runNow(() => db.runNow(() => 1))).toThrow(/do not nest/);
    expect(raw.inTransaction).toBe(false);
  });

  it('runs after-commit hooks only once the writes are committed', () => {
    const seen: number[] = [];
    db.runNow((tx) => {
      tx.run('INSERT INTO t (v) VALUES (?)', 'a');
      tx.afterCommit(() => seen.push(count()));
    });
    expect(seen).toEqual([1]);

    expect(() =>
      db.runNow((tx) => {
        tx.afterCommit(() => seen.push(-1));
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(seen).toEqual([1]);
  });
});

describe('TransactionRunner.run (group commit)', () => {
  let dir: string;
  let raw: BetterSqlite3.Database;
  let other: BetterSqlite3.Database;
  let db: TransactionRunner;
  const values = () => db.read((tx) => tx.all<{ v: string }>('SELECT v FROM t ORDER BY id').map((row) => row.v));

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'oncepay-runner-'));
    raw = new BetterSqlite3(path.join(dir, 'db.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
    // A second connection sees only what is committed: it tells when a unit's writes became durable.
    other = new BetterSqlite3(path.join(dir, 'db.sqlite'));
    db = new TransactionRunner(raw);
  });
  afterEach(() => {
    other.close();
    raw.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const committedElsewhere = () => (other.prepare('SELECT v FROM t ORDER BY id').pluck().all() as string[]);

  it('commits the units queued in one turn together, and resolves each only once committed', async () => {
    // SQLite's data_version changes, for this connection, each time another connection commits.
    const dataVersion = () => other.pragma('data_version', { simple: true }) as number;
    const before = dataVersion();
    const seenByOthersWhenResolved: string[][] = [];
    const units = ['a', 'b', 'c', 'd', 'e'].map((v) =>
      db.run((tx) => tx.run('INSERT INTO t (v) VALUES (?)', v)).then(() => seenByOthersWhenResolved.push(committedElsewhere())),
    );
    // Queued, not run yet: nothing is written until the group commits.
    expect(committedElsewhere()).toEqual([]);
    await Promise.all(units);
    expect(seenByOthersWhenResolved).toEqual(Array(5).fill(['a', 'b', 'c', 'd', 'e']));
    // One commit for the five units: the other connection saw the database change once.
    expect(dataVersion()).toBe(before + 1);
  });

  it('rolls back only the unit that throws; its neighbours in the group commit', async () => {
    const results = await Promise.allSettled([
      db.run((tx) => tx.run('INSERT INTO t (v) VALUES (?)', 'first')),
      db.run((tx) => {
        tx.run('INSERT INTO t (v) VALUES (?)', 'doomed');
        throw new Error('boom');
      }),
      // Violates UNIQUE: SQLite's own error fails this unit alone, too.
      db.run((tx) => {
        tx.run('INSERT INTO t (v) VALUES (?)', 'also doomed');
        tx.run('INSERT INTO t (v) VALUES (?)', 'first');
      }),
      db.run((tx) => {
        tx.run('INSERT INTO t (v) VALUES (?)', 'last');
        return 'ok';
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('boom'));
    expect((results[2] as PromiseRejectedResult).reason.code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect((results[3] as PromiseFulfilledResult<string>).value).toBe('ok');
    expect(committedElsewhere()).toEqual(['first', 'last']);
    expect(raw.inTransaction).toBe(false);
    // What the reaper watches to tell whether requests are being served: committed units and reads,
    // not maintenance transactions.
    expect(db.activity).toBe(2);
    db.runNow((tx) => tx.run('INSERT INTO t (v) VALUES (?)', 'maintenance'));
    expect(db.activity).toBe(2);
    db.read((tx) => tx.get('SELECT count(*) AS n FROM t'));
    expect(db.activity).toBe(3);
  });

  it('runs each unit once when none fails', async () => {
    const runs = [0, 0, 0];
    await Promise.all(runs.map((_, i) => db.run((tx) => void (runs[i]++, tx.run('INSERT INTO t (v) VALUES (?)', `v${i}`)))));
    expect(runs).toEqual([1, 1, 1]);
    expect(committedElsewhere()).toEqual(['v0', 'v1', 'v2']);
  });

  it('after a failure, runs the group again one savepoint per unit: its neighbours commit once, with the hooks of their committed run only', async () => {
    const runs = { before: 0, failing: 0, after: 0 };
    const hooks: string[] = [];
    const results = await Promise.allSettled([
      db.run((tx) => {
        const run = ++runs.before;
        tx.run('INSERT INTO t (v) VALUES (?)', 'before');
        tx.afterCommit(() => hooks.push(`before, run ${run}`));
      }),
      db.run((tx) => {
        runs.failing++;
        tx.run('INSERT INTO t (v) VALUES (?)', 'failing');
        throw new Error('declined');
      }),
      db.run((tx) => {
        const run = ++runs.after;
        tx.run('INSERT INTO t (v) VALUES (?)', 'after');
        tx.afterCommit(() => hooks.push(`after, run ${run}`));
        return tx.get<{ n: number }>('SELECT count(*) AS n FROM t')!.n;
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('declined'));
    // The count the last unit answered with is the one that committed: the failing unit's row is not in it.
    expect((results[2] as PromiseFulfilledResult<number>).value).toBe(2);
    expect(committedElsewhere()).toEqual(['before', 'after']);
    // The first, savepoint-less run was rolled back whole; the second committed. The unit after the
    // failing one never ran the first time.
    expect(runs).toEqual({ before: 2, failing: 2, after: 1 });
    expect(hooks).toEqual(['before, run 2', 'after, run 1']);
  });

  it('fails the whole group when SQLite rolls back the transaction under a unit, and runs no unit outside it', async () => {
    const results = await Promise.allSettled([
      db.run((tx) => tx.run('INSERT INTO t (v) VALUES (?)', 'before')),
      // What SQLite does by itself on a full disk or an I/O error: the whole transaction is gone.
      db.run((tx) => tx.run('ROLLBACK')),
      db.run((tx) => tx.run('INSERT INTO t (v) VALUES (?)', 'after')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(committedElsewhere()).toEqual([]);
    expect(raw.inTransaction).toBe(false);
    // The runner is usable again.
    await db.run((tx) => tx.run('INSERT INTO t (v) VALUES (?)', 'next'));
    expect(committedElsewhere()).toEqual(['next']);
  });

  it('runs the units of a group in the order they were queued, each seeing the ones before it', async () => {
    const counts = await Promise.all(
      [1, 2, 3].map((i) =>
        db.run((tx) => {
          tx.run('INSERT INTO t (v) VALUES (?)', `v${i}`);
          return tx.get<{ n: number }>('SELECT count(*) AS n FROM t')!.n;
        }),
      ),
    );
    expect(counts).toEqual([1, 2, 3]);
  });

  it('runs after-commit hooks of committed units only, after the commit', async () => {
    const seen: string[][] = [];
    await Promise.allSettled([
      db.run((tx) => {
        tx.run('INSERT INTO t (v) VALUES (?)', 'kept');
        tx.afterCommit(() => seen.push(committedElsewhere()));
      }),
      db.run((tx) => {
        tx.afterCommit(() => seen.push(['must not run']));
        throw new Error('rolled back');
      }),
    ]);
    expect(seen).toEqual([['kept']]);
  });

  // A request's phases are units queued one after another by the code awaiting the previous one.
  // Each unit notes how many rows were committed when it ran.
  const chain = (name: string, length: number, seen: string[], committedBefore: number[] = []) =>
    (async () => {
      for (let i = 1; i <= length; i++) {
        await db.run((tx) => {
          committedBefore.push(committedElsewhere().length);
          tx.run('INSERT INTO t (v) VALUES (?)', `${name}${i}`);
        });
        // Between phases a request does more than one await (validation, services): several microtasks.
        await Promise.resolve();
        await new Promise<void>((resolve) => queueMicrotask(resolve));
        seen.push(`${name}${i}`);
      }
    })();

  it('commits the units queued by the code awaiting a commit in the same turn, one group per round', async () => {
    const seen: string[] = [];
    const committedBefore: number[] = [];
    const requests = [chain('a', 5, seen, committedBefore), chain('b', 5, seen, committedBefore)];
    // What the event loop does next once the first group is queued: the next connection's I/O, timers.
    setImmediate(() => seen.push('next turn'));
    await Promise.all(requests);
    await new Promise((resolve) => setImmediate(resolve));
    // Each request's five units committed before the event loop went on, the two requests' units side by side.
    expect(seen).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'b3', 'a4', 'b4', 'a5', 'b5', 'next turn']);
    // One group per round: both requests' n-th units ran together, after both (n-1)-th units committed.
    expect(committedBefore).toEqual([0, 0, 2, 2, 4, 4, 6, 6, 8, 8]);
  });

  // A unit that nothing commits would hang its request for good: fail in half a second instead.
  const committedSoon = <T>(unit: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('never committed')), 500)));
    return Promise.race([unit, deadline]).finally(() => clearTimeout(timer));
  };

  it('lets the next turn in after eight rounds: a long chain of units cannot keep new requests waiting', async () => {
    const seen: string[] = [];
    const request = chain('u', 10, seen);
    setImmediate(() => seen.push('next turn'));
    await committedSoon(request);
    expect(seen).toEqual(['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'next turn', 'u9', 'u10']);
    expect(committedElsewhere()).toHaveLength(10);
  });

  it('commits a unit queued after the rounds ran out of work, in a later turn', async () => {
    await db.run((tx) => tx.run('INSERT INTO t (v) VALUES (?)', 'a'));
    // The round after 'a' found nothing queued; the runner must be ready to start again.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await committedSoon(db.run((tx) => tx.run('INSERT INTO t (v) VALUES (?)', 'b')));
    expect(committedElsewhere()).toEqual(['a', 'b']);
  });

  it('commits units queued from an after-commit hook at the eighth round, from a tick and from a rejection handler', async () => {
    let fromHook: Promise<unknown> | undefined;
    await committedSoon(
      (async () => {
        for (let i = 1; i <= 8; i++) {
          await db.run((tx) => {
            tx.run('INSERT INTO t (v) VALUES (?)', `c${i}`);
            if (i === 8) tx.afterCommit(() => (fromHook = db.run((hookTx) => hookTx.run('INSERT INTO t (v) VALUES (?)', 'hook'))));
          });
        }
      })(),
    );
    await committedSoon(fromHook!);
    await committedSoon(
      new Promise((resolve, reject) => process.nextTick(() => db.run((tx) => tx.run('INSERT INTO t (v) VALUES (?)', 'tick')).then(resolve, reject))),
    );
    await committedSoon(
      db.run(() => {
        throw new Error('refused');
      }).catch(() => db.run((tx) => tx.run('INSERT INTO t (v) VALUES (?)', 'after refusal'))),
    );
    expect(committedElsewhere()).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'hook', 'tick', 'after refusal']);
  });

  it('refuses an asynchronous unit of work and a unit of work started inside another', async () => {
    await expect(db.run(async (tx) => void tx.run('INSERT INTO t (v) VALUES (?)', 'a'))).rejects.toThrow(/must be synchronous/);
    await expect(db.run(() => db.run(() => 1))).rejects.toThrow(/do not nest/);
    expect(values()).toEqual([]);
  });
});
