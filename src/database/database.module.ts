import { Global, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { openDatabase } from './data-source.js';
import { TransactionRunner } from './transaction-runner.js';
import { WalCheckpointer } from './wal-checkpointer.js';

/** Often enough that the WAL stays a few MB under full load, rarely enough to cost nothing when idle. */
const CHECKPOINT_INTERVAL_MS = 200;

@Global()
@Module({
  providers: [
    { provide: DataSource, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openDatabase(config) },
    {
      provide: TransactionRunner,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) =>
        new TransactionRunner((dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection),
    },
  ],
  exports: [DataSource, TransactionRunner],
})
export class DatabaseModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private checkpointer: WalCheckpointer | null = null;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.databasePath !== ':memory:') {
      this.checkpointer = new WalCheckpointer(this.config.databasePath, CHECKPOINT_INTERVAL_MS);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.checkpointer?.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
