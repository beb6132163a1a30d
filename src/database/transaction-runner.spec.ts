import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import BetterSqlite3 from 'better-sqlite3';
import { TransactionRunner } from './transaction-runner.js';

describe('TransactionRunner', () => {
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
    const result = db.run((tx) => {
      tx.run('INSERT INTO t (v) VALUES (?)', 'a');
      tx.run('INSERT INTO t (v) VALUES (?)', 'b');
      return 'done';
    });
    expect(result).toBe('done');
    expect(count()).toBe(2);
  });

  it('rolls back every write of a unit of work that throws, and rethrows', () => {
    expect(() =>
      db.run((tx) => {
        tx.run('INSERT INTO t (v) VALUES (?)', 'a');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(count()).toBe(0);
    expect(raw.inTransaction).toBe(false);
  });

  it('refuses an asynchronous unit of work and rolls back what it wrote before its first await', () => {
    expect(() =>
      db.run(async (tx) => {
        tx.run('INSERT INTO t (v) VALUES (?)', 'a');
      }),
    ).toThrow(/must be synchronous/);
    expect(count()).toBe(0);
  });

  it('refuses to nest units of work', () => {
    expect(() => db.run(() => db.run(() => 1))).toThrow(/do not nest/);
    expect(raw.inTransaction).toBe(false);
  });

  it('runs after-commit hooks only once the writes are committed', () => {
    const seen: number[] = [];
    db.run((tx) => {
      tx.run('INSERT INTO t (v) VALUES (?)', 'a');
      tx.afterCommit(() => seen.push(count()));
    });
    expect(seen).toEqual([1]);

    expect(() =>
      db.run((tx) => {
        tx.afterCommit(() => seen.push(-1));
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(seen).toEqual([1]);
  });
});
