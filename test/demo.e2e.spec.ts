import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { newKey, startServer, type TestServer } from './support/server.js';

/** `npm run demo -- --url … --no-pause` against a running server: the story it tells is what happened. */
describe('npm run demo', () => {
  let server: TestServer;
  let output: string;
  const key = newKey();

  beforeAll(async () => {
    // What the demo's own server uses (slow card network, short lock timeout), scaled down for a test.
    server = await startServer({ CARD_NETWORK_LATENCY_MS: '600', IDEMPOTENCY_LOCK_TIMEOUT_MS: '1000', COMPLETER_AFTER_MS: '600000' });
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/demo.mjs', '--url', server.url, '--key', key, '--no-pause'], {
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
    });
    output = stdout;
  }, 90_000);
  afterAll(() => server.close());

  const step = (n: number) => output.split(/━━ Step /)[n] ?? '';

  it('prints the key to paste into the dashboard', () => {
    expect(output).toContain(`Key:       ${key}`);
    expect(output).toContain(`${server.url}/dashboard`);
  });

  it('step 1: without a key the retried charge is made twice', () => {
    expect(step(1)).toContain('no response (connection closed)');
    expect(step(1)).toContain('Charges on the account for this order: 2');
    expect(step(1)).toContain('DOUBLE CHARGE');
  });

  it('step 2: with a key, one charge and the retry replayed', () => {
    expect(step(2)).toContain('Charges on the account for this order: 1');
    expect(step(2)).toMatch(/→ 200 replayed ch_/);
  });

  it('step 3: two concurrent requests, one charge and a 409', () => {
    expect(step(3)).toContain('409 idempotency_key_in_use');
    expect(step(3)).toContain('Charges on the account for this order: 1');
  });

  it('step 4: the retry resumes from charge_created and finishes with one charge', () => {
    expect(step(4)).toContain('recovery_point=charge_created locked=yes');
    expect(step(4)).toContain('recovery_point=finished locked=no response_code=200');
    expect(step(4)).toContain('Charges on the account for this order: 1');
  });

  it('prints the curl equivalent of each request', () => {
    expect(output).toContain(`curl -s -X POST ${server.url}/v1/charges -u ${key}: -H 'Idempotency-Key: `);
  });

  it('leaves exactly five charges on the account (two, one, one, one)', async () => {
    const res = await fetch(`${server.url}/v1/charges?limit=100`, { headers: { authorization: `Bearer ${key}` } });
    const list = (await res.json()) as { data: unknown[] };
    expect(list.data).toHaveLength(5);
  });
});
