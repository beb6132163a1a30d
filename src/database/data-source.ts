import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Database } from 'better-sqlite3';
import { configureConnection } from './sqlite-connection.js';

/**
 * TypeORM owns the schema: entities describe it and migrations create it. Requests then run on the
 * same better-sqlite3 connection through the TransactionRunner.
 */
export function createDataSource(config: Pick<AppConfig, 'databasePath' | 'sqliteSynchronous'>): DataSource {
  if (config.databasePath !== ':memory:') mkdirSync(dirname(config.databasePath), { recursive: true });
  return new DataSource({
    type: 'better-sqlite3',
    database: config.databasePath,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    // TypeORM's own statement cache is unused: requests go through the runner's prepared statements.
    statementCacheSize: 0,
    prepareDatabase: (db: Database) => configureConnection(db, config),
  });
}

export async function openDatabase(config: Pick<AppConfig, 'databasePath' | 'sqliteSynchronous'>): Promise<DataSource> {
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
