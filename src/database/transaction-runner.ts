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

interface QueuedUnit {
  work: (tx: Tx) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type UnitOutcome = { ok: true; value: unknown; tx: Tx } | { ok: false; error: unknown };

/**
 * The one owner of every transaction. Units of work are synchronous functions run on the better-sqlite3
 * connection (`connectDatabase`): since nothing can run between BEGIN and COMMIT, no two units of
 * work interleave and no read sees another request's uncommitted writes. This is what DESIGN.md calls
 * "serialised by construction", with no queue of promise-based transactions to wait in.
 *
 * `run` group-commits: the units queued during one turn of the event loop run one after another inside
 * a single SQLite transaction and all resolve after that one COMMIT; the units their callers queue next
 * make the next group, in the same turn (`scheduleNextRound`). A commit's cost is mostly the WAL
 * pages it writes, and concurrent requests' units share most of their pages (table tails, sequence
 * counters, the key table), so thirty units cost a few commits' worth of I/O rather than thirty.
 *
 * Each unit is still atomic on its own: a unit that throws fails alone, and nobody hears of a unit's
 * result before its writes are committed. A group first runs its units back to back; only if one of
 * them throws is the transaction rolled back and the group run again, each unit in its own savepoint
 * so that the failing one rolls back alone. Savepoints on every unit cost 6–8 % of a keyed charge
 * (docs/performance.md), and units rarely fail. So **a unit of work may run twice** before it commits:
 * keep its effects in the transaction or in `afterCommit` hooks (a rolled-back run's hooks are dropped),
 * and never let a first run change what a second run would do (in-memory state it reads and writes).
 */
export class TransactionRunner {
  private readonly sql: SqlStatements;
  private readonly transaction: { immediate<T>(work: (tx: Tx) => T, tx: Tx): T };
  /** The units back to back; throws UnitFailed if one of them does (rolling the whole group back). */
  private readonly group: { immediate(units: QueuedUnit[]): UnitOutcome[] };
  /** The units each in a savepoint, after `group` failed: only a failing unit rolls back. */
  private readonly groupOneByOne: { immediate(units: QueuedUnit[]): UnitOutcome[] };
  private queued: QueuedUnit[] = [];
  /** A commit of `queued` is on its way: an immediate, or the next round of this turn (`scheduleNextRound`). */
  private commitScheduled = false;
  private served = 0;
  /** Set once writes can no longer be kept (the database file is gone): every write fails with it. */
  private refusal: Error | null = null;

  constructor(db: Database) {
    this.sql = new SqlStatements(db);
    this.transaction = db.transaction(<T>(work: (tx: Tx) => T, tx: Tx): T => assertSynchronous(work(tx))) as never;
    // Called inside the group's transaction, better-sqlite3 runs this one as a SAVEPOINT.
    const savepoint = db.transaction((work: (tx: Tx) => unknown, tx: Tx) => assertSynchronous(work(tx)));
    this.group = db.transaction((units: QueuedUnit[]): UnitOutcome[] =>
      units.map((unit) => {
        const tx = new Tx(this.sql);
        let value: unknown;
        try {
          value = assertSynchronous(unit.work(tx));
        } catch (error) {
          // Disk full, I/O: SQLite rolled the transaction back itself; the group fails (as below).
          if (!db.inTransaction) throw error;
          throw new UnitFailed();
        }
        // A unit that ended the transaction (a stray ROLLBACK) would leave the next one in autocommit.
        if (!db.inTransaction) throw new Error('TransactionRunner: a unit of work ended the group\'s transaction');
        return { ok: true, value, tx };
      }),
    ) as never;
    this.groupOneByOne = db.transaction((units: QueuedUnit[]): UnitOutcome[] =>
      units.map((unit) => {
        const tx = new Tx(this.sql);
        try {
          return { ok: true, value: savepoint(unit.work, tx), tx };
        } catch (error) {
          // Some errors (disk full, I/O) make SQLite roll back the whole transaction, not just the
          // savepoint: the units before this one are gone too, and the ones after it would run
          // outside any transaction. Fail the group; every unit of it is rejected.
          if (!db.inTransaction) throw error;
          return { ok: false, error };
        }
      }),
    ) as never;
  }

  /**
   * Runs `work` in a write transaction: all of it commits, or none of it. Resolves once it is committed
   * (group commit, above); rejects with what `work` threw, after rolling its writes back.
   */
  run<T>(work: (tx: Tx) => T): Promise<T> {
    // From inside a unit of work this would be a second transaction, committed later: refuse it.
    this.assertNotInTransaction();
    if (this.refusal) return Promise.reject(this.refusal);
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.commitScheduled) return;
      this.commitScheduled = true;
      // setImmediate, not a microtask: every request whose I/O completed in this turn gets to queue first.
      setImmediate(() => this.commitQueued(1));
    });
  }

  /**
   * Runs `work` in a write transaction of its own (BEGIN IMMEDIATE), now. For set-up and maintenance
   * outside the request path; requests use `run`, except the release of a refused request's key, which
   * the exception filter, being synchronous, needs committed before it writes the error.
   */
  runNow<T>(work: (tx: Tx) => T): T {
    this.assertNotInTransaction();
    if (this.refusal) throw this.refusal;
    const tx = new Tx(this.sql);
    const result = this.transaction.immediate(work, tx);
    for (const hook of tx.drainAfterCommit()) hook();
    return result;
  }

  /**
   * Units of work committed by `run` and reads served by `read` so far. Every API request does one or
   * the other, or says it was served (`noteServed`), so background work (the reaper) compares it across a
   * pause to tell whether requests are being served.
   */
  get activity(): number {
    return this.served;
  }

  /** From now on every write fails with `error`; reads go on. */
  refuseWrites(error: Error): void {
    this.refusal = error;
  }

  get refusesWrites(): boolean {
    return this.refusal !== null;
  }

  /** A request answered from memory, with no unit of work: it counts as activity all the same. */
  noteServed(): void {
    this.served++;
  }

  /** True while a unit of work runs: what is read then may still roll back. */
  get inTransaction(): boolean {
    return this.sql.db.inTransaction;
  }

  /** A read outside any write transaction; being synchronous, it only ever sees committed rows. */
  read<T>(work: (tx: Tx) => T): T {
    this.served++;
    return assertSynchronous(work(new Tx(this.sql)));
  }

  private commitQueued(round: number): void {
    this.commitScheduled = false;
    const units = this.queued;
    if (units.length === 0) return;
    this.queued = [];
    this.scheduleNextRound(round);
    let outcomes: UnitOutcome[];
    try {
      this.assertNotInTransaction();
      outcomes = this.commitGroup(units);
    } catch (error) {
      // BEGIN or COMMIT failed: nothing of this group is durable, so every unit fails.
      for (const unit of units) unit.reject(error);
      return;
    }
    units.forEach((unit, i) => {
      const outcome = outcomes[i];
      if (!outcome.ok) return unit.reject(outcome.error);
      this.served++;
      try {
        for (const hook of outcome.tx.drainAfterCommit()) hook();
        unit.resolve(outcome.value);
      } catch (error) {
        unit.reject(error);
      }
    });
  }

  /**
   * Commits, in this same turn, the units that the callers of this group queue as they go on: a request's
   * next phase, queued from the code that awaited its previous one. Otherwise each phase of a request
   * would wait a whole turn of the event loop (reading and parsing every other connection's requests)
   * for its commit, and a keyed charge, five units, five turns. A tick queued from a microtask runs once
   * every microtask has (Node drains the microtask queue before its tick queue again), so the round
   * after this one sees every unit its callers queue without any I/O in between. Rounds are capped so
   * that a chain of units cannot keep new requests waiting; past the cap, the next unit waits for the
   * next turn.
   */
  private scheduleNextRound(round: number): void {
    if (round >= MAX_ROUNDS_PER_TURN) return;
    this.commitScheduled = true;
    queueMicrotask(() => process.nextTick(() => this.commitQueued(round + 1)));
  }

  private commitGroup(units: QueuedUnit[]): UnitOutcome[] {
    try {
      return this.group.immediate(units);
    } catch (error) {
      if (!(error instanceof UnitFailed)) throw error;
      // Rolled back whole: run every unit again, each in a savepoint, so the failing one fails alone.
      return this.groupOneByOne.immediate(units);
    }
  }

  private assertNotInTransaction(): void {
    if (this.sql.db.inTransaction) throw new Error('TransactionRunner: units of work do not nest');
  }
}

/** A keyed charge is five units in a row: room for a request's phases, and a few more. */
const MAX_ROUNDS_PER_TURN = 8;

/** A unit of a group run without savepoints threw; the group is run again, one savepoint per unit. */
class UnitFailed extends Error {}

function assertSynchronous<T>(result: T): T {
  if (result && typeof (result as { then?: unknown }).then === 'function') {
    throw new Error('A unit of work must be synchronous: move awaits (network, timers) between phases');
  }
  return result;
}
