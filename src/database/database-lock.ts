import Database from 'better-sqlite3';
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Two oncepay servers on one database file would each serve what their own memory remembers (finished
 * keys' answers, charges' JSON) after the other changed or reset it: a refund made on one is not seen
 * on the other, a reset account still replays. So a server takes the file for itself and a second one
 * refuses to start. The lock is an exclusive SQLite lock held on a small file beside the database, for
 * as long as the server runs: the operating system lets go of it when the process ends however it ends
 * (killed, crashed), so there is no stale lock to judge, no pid that may have been reused, and two
 * servers starting at the same moment cannot both get it. The database's own locks do not serve: they
 * are per transaction, and other tools (the sqlite3 shell, a test reading the file) may rightly open it.
 */
export class DatabaseInUseError extends Error {
  readonly code = 'DATABASE_IN_USE';

  constructor(readonly lockPath: string) {
    super(`the database is in use by another oncepay process (it holds ${lockPath})`);
  }
}

/** Takes the database at `path` for this process; returns what releases it. */
export function lockDatabase(path: string): () => void {
  const lockPath = `${canonicalPath(path)}.lock`;
  const lock = new Database(lockPath, { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DatabaseInUseError(lockPath);
    throw error;
  }
  return () => lock.close();
}

/** One name for one file, however `DATABASE_URL` spells it (`./data/x`, a symlink to it, a symlinked folder). */
function canonicalPath(path: string): string {
  if (existsSync(path)) return realpathSync(path);
  return join(realpathSync(dirname(path)), basename(path));
}
