import type { Database, RunResult, Statement } from 'better-sqlite3';

/**
 * The handle a unit of work receives. It only offers synchronous calls: a unit of work cannot await,
 * so it cannot interleave with another request's work on SQLite's single connection.
 */
export class Tx {
  private readonly afterCommitHooks: Array<() => void> = [];

  constructor(private readonly sql: SqlStatements) {}

  get<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.sql.prepare(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: unknown[]): T[] {
    return this.sql.prepare(sql).all(...params) as T[];
  }

  run(sql: string, ...params: unknown[]): RunResult {
    return this.sql.prepare(sql).run(...params);
  }

  /** Work that must only happen once the writes are durable (e.g. waking the webhook sender). */
  afterCommit(hook: () => void): void {
    this.afterCommitHooks.push(hook);
  }

  /** @internal */
  drainAfterCommit(): Array<() => void> {
    return this.afterCommitHooks.splice(0);
  }
}

/** Prepared statements cached by their text: preparing costs more than running for our small queries. */
export class SqlStatements {
  private readonly cache = new Map<string, Statement>();

  constructor(readonly db: Database) {}

  prepare(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}

/**
 * The one owner of every transaction. Units of work are synchronous functions run on better-sqlite3,
 * which TypeORM opened and migrated: since nothing can run between BEGIN and COMMIT, no two units of
 * work interleave and no read sees another request's uncommitted writes. This is what DESIGN.md calls
 * "serialised by construction", and it is several times faster than queueing TypeORM's promise-based
 * transactions (see docs/performance.md).
 */
export class TransactionRunner {
  private readonly sql: SqlStatements;
  private readonly transaction: { immediate<T>(work: (tx: Tx) => T, tx: Tx): T };

  constructor(db: Database) {
    this.sql = new SqlStatements(db);
    this.transaction = db.transaction(<T>(work: (tx: Tx) => T, tx: Tx): T => assertSynchronous(work(tx))) as never;
  }

  /** Runs `work` in one write transaction (BEGIN IMMEDIATE): all of it commits, or none of it. */
  run<T>(work: (tx: Tx) => T): T {
    const db = this.sql.db;
    if (db.inTransaction) throw new Error('TransactionRunner.run called inside a transaction: units of work do not nest');
    const tx = new Tx(this.sql);
    const result = this.transaction.immediate(work, tx);
    for (const hook of tx.drainAfterCommit()) hook();
    return result;
  }

  /** A read outside any write transaction; being synchronous, it only ever sees committed rows. */
  read<T>(work: (tx: Tx) => T): T {
    return assertSynchronous(work(new Tx(this.sql)));
  }
}

function assertSynchronous<T>(result: T): T {
  if (result && typeof (result as { then?: unknown }).then === 'function') {
    throw new Error('A unit of work must be synchronous: move awaits (network, timers) between phases');
  }
  return result;
}
