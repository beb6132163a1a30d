import { Global, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
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
  private checkpointer: WalCheckpointer | null = null;

  constructor(
    @Inject(SQLITE_CONNECTION) private readonly connection: SqliteConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.databasePath !== ':memory:') {
      this.checkpointer = new WalCheckpointer(this.config.databasePath, CHECKPOINT_INTERVAL_MS, () =>
        checkpointWithoutWorker(this.connection.db),
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.checkpointer?.stop();
    await this.connection.close();
  }
}
