import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../src/database/migrations/index.js';
import { startServer, type TestServer } from './server.js';

type Migration = (typeof MIGRATIONS)[number];
type Seed = (db: DataSource) => Promise<unknown>;

/**
 * A database file as the build before `migration` left it: every earlier migration run, then `seed` writes
 * rows as that build did. A server started on it shows the migration running on an existing file.
 */
async function databaseBefore(migration: Migration, seed: Seed): Promise<{ path: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'oncepay-old-db-'));
  const path = join(dir, 'old.sqlite');
  const old = new DataSource({ type: 'better-sqlite3', database: path, migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(migration)) });
  await old.initialize();
  await old.runMigrations();
  await seed(old);
  await old.destroy();
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A server started on a database `databaseBefore(migration, seed)` made; closing it removes the file. */
export async function serverOnDatabaseBefore(migration: Migration, seed: Seed, env: Record<string, string> = {}): Promise<TestServer> {
  const old = await databaseBefore(migration, seed);
  const server = await startServer({ ...env, DATABASE_URL: `sqlite:${old.path}` }).catch((error: unknown) => {
    old.remove();
    throw error;
  });
  return {
    ...server,
    close: async () => {
      await server.close();
      old.remove();
    },
  };
}
