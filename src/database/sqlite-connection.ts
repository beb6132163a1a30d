import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { lockDatabase } from './database-lock.js';
import type { AppConfig } from '../config/app-config.js';
import { MIGRATIONS } from './migrations/index.js';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from './wal-checkpointer.js';

type DatabaseConfig = Pick<AppConfig, 'databasePath' | 'sqliteSynchronous'>;

/** The page cache per connection, as `PRAGMA cache_size` takes it: negative means KiB (see below). */
const PAGE_CACHE_KIB = -2000;

/** The connection every unit of work runs on, and how to let go of it. */
export interface SqliteConnection {
  db: Database.Database;
  close(): Promise<void>;
}

/**
 * Opens the database for serving. When the file already has every migration applied, it is opened
 * directly and TypeORM is never loaded: importing it costs about 0.4 s of start-up. Otherwise (a new
 * file, a pending migration, or `:memory:`), TypeORM opens it and runs the migrations, and its
 * connection is the one used. A file is this process's until closed (`lockDatabase`): a second server
 * on it refuses to start.
 */
export async function connectDatabase(config: DatabaseConfig): Promise<SqliteConnection> {
  if (config.databasePath === ':memory:') return openWithTypeorm(config);
  mkdirSync(dirname(config.databasePath), { recursive: true });
  const unlock = lockDatabase(config.databasePath);
  try {
    const connection = openMigrated(config) ?? (await openWithTypeorm(config));
    return { db: connection.db, close: () => connection.close().finally(unlock) };
  } catch (error) {
    unlock();
    throw error;
  }
}

function openMigrated(config: DatabaseConfig): SqliteConnection | null {
  const db = openIfMigrated(config.databasePath);
  if (!db) return null;
  configureConnection(db, config);
  return { db, close: async () => void db.close() };
}

async function openWithTypeorm(config: DatabaseConfig): Promise<SqliteConnection> {
  const { openDatabase } = await import('./data-source.js');
  const dataSource = await openDatabase(config);
  return {
    db: (dataSource.driver as unknown as { databaseConnection: Database.Database }).databaseConnection,
    close: () => dataSource.destroy(),
  };
}

/** Pragmas every connection gets, whoever opened it. */
export function configureConnection(db: Database.Database, config: DatabaseConfig): void {
  if (config.databasePath !== ':memory:') {
    // WAL lets readers and the checkpointer work alongside the writer; the log is flushed by checkpoints.
    db.pragma('journal_mode = WAL');
    // Checkpoints run in the WalCheckpointer's thread; this one, on the request thread, is the catch-up
    // that lets the log start over (see the constant).
    db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  }
  // `synchronous` trades power-cut safety for speed (docs/performance.md).
  db.pragma(`synchronous = ${config.sqliteSynchronous}`);
  db.pragma('foreign_keys = ON');
  // A group commit runs each unit in a savepoint, and SQLite keeps what a savepoint may have to undo in
  // a statement journal that spills to a temporary file past 64 KiB: a new file per group, two write
  // calls per page, ~47 system calls per keyed charge. In memory it costs none, and stays small: the
  // units in savepoints are requests' phases, while the big deletions (reset, reaper) run in
  // transactions of their own (`runNow`), which journal nothing in memory.
  db.pragma('temp_store = MEMORY');
  // SQLite's own default page cache (2 MiB) rather than better-sqlite3's 16 MiB. When a B-tree split
  // reorders sibling pages, SQLite parks a page at a temporary number past the end of the file (the
  // page after 1 GiB); the next COMMIT then sees a cached page beyond the file and walks the whole
  // cache to drop it. With random keys ((account, key), customer ids) that is most group commits, and
  // the walk costs in proportion to the cache: 3.6 % of a keyed charge's thread at 16 MiB, 0.4 % at
  // 2 MiB (perf). A request's pages are few and hot; the rest come from the OS's cache.
  db.pragma(`cache_size = ${PAGE_CACHE_KIB}`);
  // Another process (a CLI, a second server by mistake) gets a wait rather than an instant SQLITE_BUSY.
  db.pragma('busy_timeout = 5000');
}

function openIfMigrated(path: string): Database.Database | null {
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: true });
  } catch {
    return null;
  }
  try {
    const applied = new Set(db.prepare('SELECT name FROM migrations').pluck().all() as string[]);
    if (MIGRATIONS.every((Migration) => applied.has(new Migration().name))) return db;
  } catch {
    /* no migrations table yet */
  }
  db.close();
  return null;
}
