import type { AppConfig } from './app-config.js';

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads and validates the environment once, at boot. Every problem is reported together so a user
 * fixes their environment in one go instead of one restart per mistake.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got '${raw}')`);
      return fallback;
    }
    return value;
  };

  const onOff = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['on', 'true', '1', 'yes'].includes(raw)) return true;
    if (['off', 'false', '0', 'no'].includes(raw)) return false;
    problems.push(`${name} must be 'on' or 'off' (got '${env[name]}')`);
    return fallback;
  };

  const databaseUrl = env.DATABASE_URL?.trim() || 'sqlite:data/oncepay.sqlite';
  let databasePath = 'data/oncepay.sqlite';
  if (!databaseUrl.startsWith('sqlite:') || databaseUrl.length === 'sqlite:'.length) {
    problems.push(`DATABASE_URL must be 'sqlite:PATH' or 'sqlite::memory:' (got '${databaseUrl}')`);
  } else {
    databasePath = databaseUrl.slice('sqlite:'.length);
    // SQLite's in-memory name is exact: ':MEMORY:' or 'memory:' would quietly become files of that name.
    if (databasePath.toLowerCase() === ':memory:') databasePath = ':memory:';
    else if (/^:?memory:?$/i.test(databasePath)) problems.push(`DATABASE_URL for an in-memory database is 'sqlite::memory:' (got '${databaseUrl}')`);
  }

  const synchronous = (env.SQLITE_SYNCHRONOUS?.trim().toUpperCase() || 'NORMAL') as AppConfig['sqliteSynchronous'];
  if (!['OFF', 'NORMAL', 'FULL', 'EXTRA'].includes(synchronous)) {
    problems.push(`SQLITE_SYNCHRONOUS must be OFF, NORMAL, FULL or EXTRA (got '${env.SQLITE_SYNCHRONOUS}')`);
  }

  let apiKeys: Set<string> | null = null;
  if (env.API_KEYS?.trim()) {
    const keys = env.API_KEYS.split(',').map((k) => k.trim()).filter(Boolean);
    // The same shape the API accepts in a request (ApiKeyGuard): a longer key could never be used.
    const bad = keys.filter((k) => !/^sk_test_[A-Za-z0-9_]{1,200}$/.test(k));
    if (bad.length) problems.push(`API_KEYS must list secret keys starting with 'sk_test_', at most 200 characters after it (bad: ${bad.join(', ')})`);
    apiKeys = new Set(keys);
  }

  const host = env.HOST?.trim() || '127.0.0.1';
  const config: AppConfig = {
    port: int('PORT', 4242, 0, 65535),
    host,
    databasePath,
    sqliteSynchronous: synchronous,
    idempotencyLockTimeoutMs: int('IDEMPOTENCY_LOCK_TIMEOUT_MS', 10_000, 1),
    idempotencyKeyTtlHours: int('IDEMPOTENCY_KEY_TTL_HOURS', 24, 1),
    reaperIntervalMs: int('REAPER_INTERVAL_MS', 60_000, 10),
    reaperBatchSize: int('REAPER_BATCH_SIZE', 500, 1),
    controlApi: onOff('CONTROL_API', true),
    apiKeys,
    cardNetworkLatencyMs: int('CARD_NETWORK_LATENCY_MS', 0, 0, 60_000),
    completerIntervalMs: int('COMPLETER_INTERVAL_MS', 5_000, 10),
    completerAfterMs: int('COMPLETER_AFTER_MS', 30_000, 0),
    webhookRetryBaseMs: int('WEBHOOK_RETRY_BASE_MS', 5_000, 1),
    webhookMaxAttempts: int('WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
    webhookTimeoutMs: int('WEBHOOK_TIMEOUT_MS', 10_000, 1),
    requestLogLimit: int('REQUEST_LOG_LIMIT', 1_000, 0),
    requestLogTotalLimit: int('REQUEST_LOG_TOTAL_LIMIT', 20_000, 0),
    logRequests: onOff('LOG_REQUESTS', false),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
