import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});

describe('the URL the server announces', () => {
  it('is the port actually bound, with an IPv6 host in brackets', () => {
    expect(listeningUrl({ address: '127.0.0.1', family: 'IPv4', port: 40123 }, '127.0.0.1')).toBe('http://127.0.0.1:40123');
    expect(listeningUrl({ address: '::1', family: 'IPv6', port: 4242 }, '::1')).toBe('http://[::1]:4242');
  });
});
