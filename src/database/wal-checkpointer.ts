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
 * Pages the WAL may hold before the request thread checkpoints after all: a safety net if the worker
 * is gone or falls behind (SQLite's default is 1,000, about 4 MB; this is about 40 MB).
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;
