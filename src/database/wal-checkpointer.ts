import { Logger } from '@nestjs/common';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Moves WAL checkpoints off the request path. A checkpoint copies WAL pages into the database file and
 * fsyncs both; done by SQLite's auto-checkpoint it runs inside whichever commit crosses the threshold,
 * on the one thread that serves every request, and stalls them all. Here a worker thread with its own
 * connection runs PASSIVE checkpoints (which never block the writer) on a timer, so requests only ever
 * append to the WAL. Durability is unchanged: the same pages reach the disk, only on another thread.
 */
export class WalCheckpointer {
  private readonly logger = new Logger('WalCheckpointer');
  private readonly worker: Worker;

  constructor(databasePath: string, intervalMs: number) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, databasePath, intervalMs } });
    this.worker.unref();
    this.worker.on('error', (error) => this.logger.error(`checkpoint worker failed; SQLite's own auto-checkpoint takes over: ${error.message}`));
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.databasePath);
db.pragma('busy_timeout = 5000');
setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { /* busy: the next tick tries again */ }
}, workerData.intervalMs);
`;

/**
 * Pages the WAL may hold before the request thread checkpoints after all (about 400 MB; SQLite's default
 * is 1,000). The worker copies pages into the database file but, under sustained writes, never sees the
 * WAL fully copied between two of the writer's transactions, so the log cannot start over from its
 * beginning: it grows until the request thread's own checkpoint catches it up, then restarts. That
 * checkpoint fsyncs the database file on the thread that serves every request, 10–50 ms during which
 * none is answered. At 10,000 pages it came about once a second of keyed charges; at 100,000, every ten
 * seconds or so of full load (keyed charges' p99 52–72 → 38–47 ms in an A/B, docs/performance.md). It is
 * still the safety net if the worker is gone.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 100_000;

/**
 * What the WAL file is cut back to when the log starts over (`journal_size_limit`, bytes): without it
 * the file keeps the largest size it ever reached, up to the 400 MB above, until the server stops.
 */
export const WAL_FILE_LIMIT_BYTES = 40 * 1024 * 1024;
