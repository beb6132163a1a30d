import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './load-config.js';

/** The message a user sees when the server refuses to boot. */
function problemsWith(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('uses the documented defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4242,
      host: '127.0.0.1',
      databasePath: 'data/oncepay.sqlite',
      sqliteSynchronous: 'NORMAL',
      idempotencyLockTimeoutMs: 10_000,
      idempotencyKeyTtlHours: 24,
      controlApi: true,
      apiKeys: null,
    });
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'sqlite::memory:',
      IDEMPOTENCY_LOCK_TIMEOUT_MS: '200',
      IDEMPOTENCY_KEY_TTL_HOURS: '48',
      REAPER_INTERVAL_MS: '1000',
      REAPER_BATCH_SIZE: '50',
      CONTROL_API: 'off',
      API_KEYS: 'sk_test_one, sk_test_two',
      SQLITE_SYNCHRONOUS: 'full',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databasePath: ':memory:',
      idempotencyLockTimeoutMs: 200,
      idempotencyKeyTtlHours: 48,
      reaperIntervalMs: 1000,
      reaperBatchSize: 50,
      controlApi: false,
      sqliteSynchronous: 'FULL',
    });
    expect([...config.apiKeys!]).toEqual(['sk_test_one', 'sk_test_two']);
  });

  it('accepts a file path in DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:/tmp/x/db.sqlite' }).databasePath).toBe('/tmp/x/db.sqlite');
  });

  it.each([
    ['IDEMPOTENCY_LOCK_TIMEOUT_MS', 'soon'],
    ['IDEMPOTENCY_LOCK_TIMEOUT_MS', '0'],
    ['IDEMPOTENCY_LOCK_TIMEOUT_MS', '1.5'],
    ['IDEMPOTENCY_KEY_TTL_HOURS', '-1'],
    ['IDEMPOTENCY_KEY_TTL_HOURS', '1e3'],
    ['PORT', '70000'],
    ['REAPER_BATCH_SIZE', '0'],
    ['REAPER_INTERVAL_MS', 'often'],
  ])('rejects %s=%s, naming the variable and the value', (name, value) => {
    const message = problemsWith({ [name]: value });
    expect(message).toContain(`${name} must be an integer between`);
    expect(message).toContain(`(got '${value}')`);
  });

  it('rejects a CONTROL_API that is neither on nor off', () => {
    expect(problemsWith({ CONTROL_API: 'maybe' })).toContain("CONTROL_API must be 'on' or 'off' (got 'maybe')");
  });

  it('accepts the usual spellings of on and off for CONTROL_API', () => {
    for (const on of ['on', 'ON', 'true', '1', 'yes']) expect(loadConfig({ CONTROL_API: on }).controlApi).toBe(true);
    for (const off of ['off', 'Off', 'false', '0', 'no']) expect(loadConfig({ CONTROL_API: off }).controlApi).toBe(false);
  });

  it('rejects a DATABASE_URL that is not sqlite', () => {
    expect(problemsWith({ DATABASE_URL: 'postgres://localhost/db' })).toContain(
      "DATABASE_URL must be 'sqlite:PATH' or 'sqlite::memory:' (got 'postgres://localhost/db')",
    );
    expect(problemsWith({ DATABASE_URL: 'sqlite:' })).toContain('DATABASE_URL must be');
  });

  it("reads ':MEMORY:' as in memory and refuses 'memory:' spellings that would create a file of that name", () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite::MEMORY:' }).databasePath).toBe(':memory:');
    for (const url of ['sqlite:memory:', 'sqlite:memory', 'sqlite::memory']) {
      expect(problemsWith({ DATABASE_URL: url })).toContain(`DATABASE_URL for an in-memory database is 'sqlite::memory:' (got '${url}')`);
    }
  });

  it('rejects API_KEYS entries that are not secret test keys, listing them', () => {
    expect(problemsWith({ API_KEYS: 'sk_test_ok,pk_test_nope,sk_live_nope' })).toContain(
      "API_KEYS must list secret keys starting with 'sk_test_', at most 200 characters after it (bad: pk_test_nope, sk_live_nope)",
    );
    // A key no request could present (the API takes at most 200 characters after sk_test_).
    expect(problemsWith({ API_KEYS: `sk_test_${'a'.repeat(201)}` })).toContain('API_KEYS must list');
    expect(loadConfig({ API_KEYS: `sk_test_${'a'.repeat(200)}` }).apiKeys?.size).toBe(1);
  });

  it('rejects an unknown SQLITE_SYNCHRONOUS mode', () => {
    expect(problemsWith({ SQLITE_SYNCHRONOUS: 'sometimes' })).toContain(
      "SQLITE_SYNCHRONOUS must be OFF, NORMAL, FULL or EXTRA (got 'sometimes')",
    );
  });

  it('reports every problem at once, so one restart is enough to fix them', () => {
    const message = problemsWith({ PORT: 'x', CONTROL_API: 'maybe', IDEMPOTENCY_KEY_TTL_HOURS: '0' });
    expect(message.split('\n')).toEqual([
      'Invalid configuration:',
      expect.stringContaining('PORT'),
      expect.stringContaining('IDEMPOTENCY_KEY_TTL_HOURS'),
      expect.stringContaining('CONTROL_API'),
    ]);
  });
});
