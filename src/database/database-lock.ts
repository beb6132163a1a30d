import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Two oncepay servers on one database file would each serve what their own memory remembers (finished
 * keys' answers, charges' JSON) after the other changed or reset it: a refund made on one is not seen
 * on the other, a reset account still replays. So a server takes the file for itself, in a lock file
 * beside it holding its pid, and a second one refuses to start. A lock left by a process that is gone
 * (killed, crashed) is taken over. SQLite's own locks do not serve: they are per transaction, and other
 * tools (the sqlite3 shell, a test reading the file) may rightly open it meanwhile.
 */
export class DatabaseInUseError extends Error {
  readonly code = 'DATABASE_IN_USE';

  constructor(
    readonly lockPath: string,
    readonly pid: number,
  ) {
    super(`the database is in use by another oncepay process (pid ${pid})`);
  }
}

/** Takes the database at `path` for this process; returns what releases it. */
export function lockDatabase(path: string): () => void {
  const lockPath = `${path}.lock`;
  const release = () => {
    if (ownerOf(lockPath) === process.pid) rmSync(lockPath, { force: true });
  };
  // Twice at most: a lock found stale is removed and taken; one found again was taken meanwhile.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx' });
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = ownerOf(lockPath);
    // This process already holds it (another app of a test run in one process): the lock is about processes.
    if (owner === process.pid) return release;
    if (owner !== null && isAlive(owner)) throw new DatabaseInUseError(lockPath, owner);
    rmSync(lockPath, { force: true });
  }
  throw new DatabaseInUseError(lockPath, ownerOf(lockPath) ?? 0);
}

function ownerOf(lockPath: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A process killed a moment ago stays a zombie until its parent reaps it, and signals still reach a
 * zombie: a harness that kills a server with SIGKILL and starts another at once must not be refused.
 * Linux says so in /proc; elsewhere a live pid counts as alive.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (command) state …`: the command may hold spaces and parentheses, so the state follows the last `)`.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
