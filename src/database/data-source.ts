import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from './wal-checkpointer.js';

/**
 * TypeORM owns the schema: entities describe it and migrations create it. Requests then run on the
 * same better-sqlite3 connection through the TransactionRunner.
 */
export function createDataSource(config: Pick<AppConfig, 'databasePath' | 'sqliteSynchronous'>): DataSource {
  const memory = config.databasePath === ':memory:';
  if (!memory) mkdirSync(dirname(config.databasePath), { recursive: true });
  return new DataSource({
    type: 'better-sqlite3',
    database: config.databasePath,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    // TypeORM's own statement cache is unused: requests go through the runner's prepared statements.
    statementCacheSize: 0,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      // WAL lets the OS flush without blocking readers; `synchronous` trades power-cut safety for speed.
      if (!memory) {
        db.pragma('journal_mode = WAL');
        // Checkpoints normally run in the WalCheckpointer's thread; this only bounds the WAL if they stop.
        db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
      }
      db.pragma(`synchronous = ${config.sqliteSynchronous}`);
      db.pragma('foreign_keys = ON');
      // Another process (a CLI, a second server by mistake) gets a wait rather than an instant SQLITE_BUSY.
      db.pragma('busy_timeout = 5000');
    },
  });
}

export async function openDatabase(config: Pick<AppConfig, 'databasePath' | 'sqliteSynchronous'>): Promise<DataSource> {
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
