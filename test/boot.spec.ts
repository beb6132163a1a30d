import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../src/app.factory.js';
import { describeBootFailure, listeningUrl } from '../src/boot-failure.js';
import { loadConfig } from '../src/config/load-config.js';

/**
 * A server that cannot start says why in one line naming the setting to change (what main.ts prints),
 * and Nest does not print a stack trace of its own before it.
 */
describe('a server that cannot start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncepay-boot-'));
  const apps: NestFastifyApplication[] = [];
  afterEach(async () => {
    while (apps.length) await apps.pop()!.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Boots with this environment; resolves to what main.ts would print, and everything Nest wrote to stderr. */
  async function failedBoot(env: Record<string, string>): Promise<{ message: string; stderr: string }> {
    const config = loadConfig({ PORT: '0', DATABASE_URL: 'sqlite::memory:', ...env });
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    try {
      const app = await createApp(config);
      apps.push(app);
      await app.listen(config.port, config.host);
    } catch (error) {
      return { message: describeBootFailure(error, config), stderr: written.join('') };
    } finally {
      spy.mockRestore();
    }
    throw new Error(`booted with ${JSON.stringify(env)}`);
  }

  it('names DATABASE_URL when the file is not a database, or is a directory', async () => {
    const junk = join(dir, 'notes.txt');
    writeFileSync(junk, 'shopping list: eggs, milk, bread, and a long line to fill a page header\n'.repeat(20));
    const notDb = await failedBoot({ DATABASE_URL: `sqlite:${junk}` });
    expect(notDb.message).toBe(`DATABASE_URL names '${junk}', which is not a SQLite database: point it at an oncepay file or a new path`);
    expect(notDb.stderr).toBe('');

    const directory = await failedBoot({ DATABASE_URL: `sqlite:${dir}` });
    expect(directory.message).toContain(`cannot open the database file '${dir}'`);
    expect(directory.stderr).toBe('');
  });

  it('names PORT when the port is taken, and HOST when it is not this machine', async () => {
    const first = await createApp(loadConfig({ PORT: '0', DATABASE_URL: 'sqlite::memory:' }));
    apps.push(first);
    await first.listen(0, '127.0.0.1');
    const { port } = first.getHttpServer().address() as { port: number };

    const taken = await failedBoot({ PORT: String(port), HOST: '127.0.0.1' });
    expect(taken.message).toBe(`port ${port} on 127.0.0.1 is already in use: stop what holds it, or set PORT to another port`);
    expect(taken.stderr).toBe('');

    const foreign = await failedBoot({ HOST: '192.0.2.1' }); // TEST-NET-1: never an address of this machine
    expect(foreign.message).toContain("HOST '192.0.2.1' is not an address of this machine");
    expect(foreign.stderr).toBe('');
  });

  it('names DATABASE_URL when the database file is damaged', async () => {
    const path = join(dir, 'damaged.sqlite');
    const made = await createApp(loadConfig({ PORT: '0', DATABASE_URL: `sqlite:${path}` }));
    await made.close();
    // Cut to half: its tables' pages are gone, as after a disk failure or a copy interrupted.
    writeFileSync(path, readFileSync(path).subarray(0, statSync(path).size / 2));
    const damaged = await failedBoot({ DATABASE_URL: `sqlite:${path}` });
    expect(damaged.message).toBe(`DATABASE_URL names '${path}', which is damaged (database disk image is malformed): restore it from a copy, or point DATABASE_URL at a new path`);
    expect(damaged.stderr).toBe('');
  });

  it('names DATABASE_URL when another oncepay process serves the same file, by any name, and starts once that process is gone', async () => {
    const path = join(dir, 'shared.sqlite');
    const lock = `${realpathSync(dir)}/shared.sqlite.lock`;
    // Another process holding the lock as a server does (lockDatabase), until it is killed.
    const holder = spawn(process.execPath, [
      '-e',
      `const D = require('better-sqlite3'); const d = new D(${JSON.stringify(lock)}); d.pragma('locking_mode = EXCLUSIVE'); d.exec('BEGIN EXCLUSIVE'); console.log('held'); setInterval(() => {}, 1000);`,
    ]);
    try {
      await new Promise((resolve, reject) => {
        holder.stdout.once('data', resolve);
        holder.once('exit', reject);
      });
      const expected = (named: string) =>
        `DATABASE_URL '${named}' is in use by another oncepay process (it holds ${lock}): stop it, or give each server its own DATABASE_URL (sqlite::memory: for a throwaway one)`;
      const refused = await failedBoot({ DATABASE_URL: `sqlite:${path}` });
      expect(refused.message).toBe(expected(path));
      expect(refused.stderr).toBe('');
      // The same file under another name: through `..`, and through a symlink.
      const roundabout = join(dir, '..', basename(dir), 'shared.sqlite');
      expect((await failedBoot({ DATABASE_URL: `sqlite:${roundabout}` })).message).toBe(expected(roundabout));
      const link = join(dir, 'link.sqlite');
      writeFileSync(path, '');
      symlinkSync(path, link);
      expect((await failedBoot({ DATABASE_URL: `sqlite:${link}` })).message).toBe(expected(link));
      rmSync(path);
    } finally {
      holder.kill('SIGKILL');
    }
    await new Promise((resolve) => (holder.exitCode !== null || holder.signalCode !== null ? resolve(null) : holder.once('exit', resolve)));

    // Killed, it holds nothing: the operating system let go of its lock.
    const app = await createApp(loadConfig({ PORT: '0', DATABASE_URL: `sqlite:${path}` }));
    await app.close();
  });

  it('refuses a second server on the file in the same process too', async () => {
    const path = join(dir, 'race.sqlite');
    const started = await Promise.allSettled([0, 1].map(() => createApp(loadConfig({ PORT: '0', DATABASE_URL: `sqlite:${path}` }))));
    // SQLite keeps its locks per connection, so a second app of one process is refused like another process.
    expect(started.map((s) => s.status).sort()).toEqual(['fulfilled', 'rejected']);
    for (const s of started) if (s.status === 'fulfilled') await s.value.close();
  });

  // The process runs as root here, which every file permission lets through: these errors are made by hand.
  it('names DATABASE_URL, not PORT, when the database folder or file cannot be written', () => {
    const config = { host: '127.0.0.1', port: 4242, databasePath: '/srv/ro/sub/oncepay.sqlite' };
    const mkdir = Object.assign(new Error("EACCES: permission denied, mkdir '/srv/ro/sub'"), { code: 'EACCES', syscall: 'mkdir', path: '/srv/ro/sub' });
    expect(describeBootFailure(mkdir, config)).toBe(
      "cannot create '/srv/ro/sub' for DATABASE_URL '/srv/ro/sub/oncepay.sqlite' (permission denied): set DATABASE_URL to a place this user can write",
    );
    const listen = Object.assign(new Error('listen EACCES: permission denied 127.0.0.1:80'), { code: 'EACCES', syscall: 'listen' });
    expect(describeBootFailure(listen, { ...config, port: 80 })).toBe('not allowed to listen on port 80 (ports below 1024 need privileges): set PORT to another port');
    const readonly = Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
    expect(describeBootFailure(readonly, config)).toBe(
      "the database file '/srv/ro/sub/oncepay.sqlite' cannot be written (a read-only file or folder): set DATABASE_URL to a file this user can write",
    );
  });
});

describe('the URL the server announces', () => {
  it('is the port actually bound, with an IPv6 host in brackets', () => {
    expect(listeningUrl({ address: '127.0.0.1', family: 'IPv4', port: 40123 }, '127.0.0.1')).toBe('http://127.0.0.1:40123');
    expect(listeningUrl({ address: '::1', family: 'IPv6', port: 4242 }, '::1')).toBe('http://[::1]:4242');
  });
});
