import { Global, Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { statSync, type Stats } from 'node:fs';
import { ApiError } from '../common/errors/stripe-error.js';
import { Messages } from '../common/errors/messages.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { connectDatabase, type SqliteConnection } from './sqlite-connection.js';
import { TransactionRunner } from './transaction-runner.js';
import { checkpointWithoutWorker, WalCheckpointer } from './wal-checkpointer.js';

/**
 * Small checkpoints often: each copies the last few milliseconds of the WAL while it is still in the
 * page cache, and the keyed-charge p99 fell from 73-101 ms (every 200 ms) to 52-66 ms (every 15 ms) in
 * an A/B; every 2 s it rose to 167-195 ms. While nothing is written the worker waits longer between
 * checks, up to IDLE_CHECKPOINT_MAX_MS, rather than waking fifty times a second for nothing.
 */
const CHECKPOINT_INTERVAL_MS = 20;

/** How often the database file is checked for still being the one open. */
const FILE_CHECK_INTERVAL_MS = 1000;

export const SQLITE_CONNECTION = Symbol('SQLITE_CONNECTION');

@Global()
@Module({
  providers: [
    { provide: SQLITE_CONNECTION, inject: [APP_CONFIG], useFactory: (config: AppConfig) => connectDatabase(config) },
    {
      provide: TransactionRunner,
      inject: [SQLITE_CONNECTION],
      useFactory: (connection: SqliteConnection) => new TransactionRunner(connection.db),
    },
  ],
  exports: [TransactionRunner],
})
export class DatabaseModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private checkpointer: WalCheckpointer | null = null;
  private fileCheck: NodeJS.Timeout | null = null;

  constructor(
    @Inject(SQLITE_CONNECTION) private readonly connection: SqliteConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runner: TransactionRunner,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.databasePath !== ':memory:') {
      this.checkpointer = new WalCheckpointer(this.config.databasePath, CHECKPOINT_INTERVAL_MS, () =>
        checkpointWithoutWorker(this.connection.db),
      );
      this.watchFile(statSync(this.config.databasePath));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.fileCheck) clearInterval(this.fileCheck);
    await this.checkpointer?.stop();
    await this.connection.close();
  }

  /**
   * SQLite goes on writing to a file deleted under it (`rm -rf data` while the server runs, a test's
   * clean-up run too early), and nobody can open that file again: whatever the server acknowledged would
   * be gone when it stops. Once the path no longer names the file opened, writes are refused, saying why.
   */
  private watchFile(opened: Stats): void {
    const path = this.config.databasePath;
    this.fileCheck = setInterval(() => {
      let now: Stats | undefined;
      try {
        now = statSync(path);
      } catch {
        now = undefined;
      }
      if (now && now.ino === opened.ino && now.dev === opened.dev) return;
      clearInterval(this.fileCheck!);
      const message = Messages.databaseFileGone(path);
      this.logger.error(message);
      this.runner.refuseWrites(new ApiError(message));
    }, FILE_CHECK_INTERVAL_MS);
    this.fileCheck.unref();
  }
}
