import type { Database, RunResult, Statement } from 'better-sqlite3';

/**
 * The handle a unit of work receives. It only offers synchronous calls: a unit of work cannot await,
 * so it cannot interleave with another request's work on SQLite's single connection.
 */
export class Tx {
  private readonly afterCommitHooks: Array<() => void> = [];

  constructor(private readonly sql: SqlStatements) {}

  get<T>(sql: string, ...params: unknown[]): T | undefined {
    const { statement, toRow } = this.sql.prepare(sql);
    const values = statement.get(...params) as unknown[] | undefined;
    return values === undefined ? undefined : (toRow!(values) as T);
  }

  all<T>(sql: string, ...params: unknown[]): T[] {
    const { statement, toRow } = this.sql.prepare(sql);
    return (statement.all(...params) as unknown[][]).map(toRow!) as T[];
  }

  run(sql: string, ...params: unknown[]): RunResult {
    return this.sql.prepare(sql).statement.run(...params);
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

interface Prepared {
  statement: Statement;
  /** For queries: builds the row object from the raw column values. */
  toRow?: (values: unknown[]) => object;
}

/**
 * Prepared statements cached by their text: preparing costs more than running for our small queries.
 * Queries return raw value arrays, turned into objects by a function compiled once per statement:
 * objects of one fixed shape cost half of what the driver's per-row object building does on wide rows
 * (a ten-charge list page: 60 µs against 110–150 µs).
 */
export class SqlStatements {
  private readonly cache = new Map<string, Prepared>();

  constructor(readonly db: Database) {}

  prepare(sql: string): Prepared {
    let prepared = this.cache.get(sql);
    if (!prepared) {
      const statement = this.db.prepare(sql);
      prepared = statement.reader
        ? { statement: statement.raw(true), toRow: compileRow(statement.columns().map((c) => c.name)) }
        : { statement };
      this.cache.set(sql, prepared);
    }
    return prepared;
  }
}

function compileRow(names: string[]): (values: unknown[]) => object {
  const fields = names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ');
  return new Function('v', `return { ${fields} };`) as (values: unknown[]) => object;
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
