import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../src/database/migrations/index.js';

export interface OldDatabase {
  path: string;
  remove(): void;
}

/**
 * A database file as the build before `migration` left it: every earlier migration run, then `seed` writes
 * rows as that build did. A server started on it shows the migration running on an existing file.
 */
export async function databaseBefore(migration: (typeof MIGRATIONS)[number], seed: (db: DataSource) => Promise<void>): Promise<OldDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'oncepay-old-db-'));
  const path = join(dir, 'old.sqlite');
  const old = new DataSource({ type: 'better-sqlite3', database: path, migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(migration)) });
  await old.initialize();
  await old.runMigrations();
  await seed(old);
  await old.destroy();
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
