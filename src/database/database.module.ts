import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { openDatabase } from './data-source.js';
import { TransactionRunner } from './transaction-runner.js';

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
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
