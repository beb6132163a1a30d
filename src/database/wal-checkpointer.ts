import { Logger } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Moves WAL checkpoints off the request path. A checkpoint copies WAL pages into the database file and
 * fsyncs both; done by SQLite's auto-checkpoint it runs inside whichever commit crosses the threshold,
 * on the one thread that serves every request, and stalls them all. Here a worker thread with its own
 * connection runs PASSIVE checkpoints (which never block the writer) on a timer, so requests mostly just
 * append to the WAL (see FALLBACK_AUTOCHECKPOINT_PAGES for the exception). Durability is unchanged: the
 * same pages reach the disk, only on another thread. While nothing is written the worker checks less and
 * less often, up to every IDLE_CHECKPOINT_MAX_MS: a server left running uses almost no CPU.
 */
export class WalCheckpointer {
  private readonly logger = new Logger('WalCheckpointer');
  private readonly worker: Worker;
  /** Shared with the worker, which counts in it its syncs of the database file and its checkpoints. */
  private readonly counts = new Int32Array(new SharedArrayBuffer(8));

  /** `onFailure` runs once if the worker dies: from then on the request thread checkpoints. */
  constructor(databasePath: string, intervalMs: number, onFailure: () => void) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, databasePath, intervalMs, idleMaxMs: IDLE_CHECKPOINT_MAX_MS, counts: this.counts },
    });
    this.worker.unref();
    this.worker.on('error', (error) => {
      this.logger.error(`checkpoint worker failed; the request thread checkpoints from now on: ${error.message}`);
      onFailure();
    });
  }

  /** How many times the worker has flushed the database file to disk. */
  get syncs(): number {
    return Atomics.load(this.counts, 0);
  }

  /** How many checkpoints the worker has run (most of them copy nothing on an idle server). */
  get checkpoints(): number {
    return Atomics.load(this.counts, 1);
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const fs = require('node:fs');
const db = new Database(workerData.databasePath);
db.pragma('busy_timeout = 5000');
// Opened once, for the worker's life (Node closes a worker's descriptors when it ends): closing any
// descriptor of a SQLite file drops the process's POSIX locks on it, so not one per checkpoint.
const dbFile = fs.openSync(workerData.databasePath, 'r');
// The WAL frames copied into the database file as of the last sync.
let synced = 0;
// The log's length at the last checkpoint, and the wait before the next one.
let logged = -1;
let delay = workerData.intervalMs;
const tick = () => {
  let written = true;
  try {
    const [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)');
    Atomics.add(workerData.counts, 1, 1);
    // A checkpoint fsyncs the database file only when it copied the whole WAL, which under sustained
    // writes it never does: the writer appends meanwhile. Unsynced, the copied pages would wait for the
    // request thread's catch-up checkpoint (FALLBACK_AUTOCHECKPOINT_PAGES) to flush them all at once.
    // Only when something was copied since: each sync also flushes the disk's write cache.
    if (checkpointed !== synced) {
      fs.fdatasyncSync(dbFile);
      synced = checkpointed;
      Atomics.add(workerData.counts, 0, 1);
    }
    written = log !== logged || checkpointed !== log;
    logged = log;
  } catch (error) {
    // Busy: the next tick tries again. Anything else ends the worker, and its owner hears of it.
    if (error.code !== 'SQLITE_BUSY' && error.code !== 'SQLITE_LOCKED') throw error;
  }
  // Nothing written since the last tick and nothing left to copy: wait twice as long each time. The
  // first writes after a pause wait at most idleMaxMs for their checkpoint, far from the request
  // thread's catch-up (FALLBACK_AUTOCHECKPOINT_PAGES) at any rate this server writes.
  delay = written ? workerData.intervalMs : Math.min(delay * 2, workerData.idleMaxMs);
  setTimeout(tick, delay);
};
setTimeout(tick, delay);
`;

/**
 * The longest an idle worker waits between two checks. Ticking every 20 ms, it woke fifty times a
 * second and used ~1.7 % of a core on a server doing nothing; at 250 ms, at most ~4,300 WAL pages
 * (a quarter second of keyed charges at full load) pile up before the first checkpoint after a pause.
 */
export const IDLE_CHECKPOINT_MAX_MS = 250;

/**
 * Pages the WAL may hold before the request thread checkpoints after all (about 40 MB; SQLite's default
 * is 1,000). Under sustained writes the worker never finds the WAL wholly copied between two of the
 * writer's transactions, and only then can the log start over from its beginning; so about once a
 * second of keyed charges the request connection's own checkpoint catches it up, and the log restarts.
 * That checkpoint runs on the thread that serves every request: it copies the few pages the worker has
 * not and fsyncs the database file, a few milliseconds because the worker keeps that file synced (8–45 ms
 * when it did not; keyed charges' p99 50–69 → 42–51 ms in an A/B, docs/performance.md).
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * Without the worker, the request thread is the only one checkpointing, and copies every page itself:
 * SQLite's own default (about 4 MB) keeps each of those stalls short.
 */
export const WORKERLESS_AUTOCHECKPOINT_PAGES = 1_000;

/** What the request connection falls back to when the WalCheckpointer's worker has died. */
export function checkpointWithoutWorker(db: Database.Database): void {
  if (db.open) db.pragma(`wal_autocheckpoint = ${WORKERLESS_AUTOCHECKPOINT_PAGES}`);
}
