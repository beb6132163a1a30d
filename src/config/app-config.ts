/** The typed configuration every module reads; built once at boot by `loadConfig`. */
export interface AppConfig {
  port: number;
  host: string;
  /** A file path, or ':memory:'. */
  databasePath: string;
  /** SQLite `synchronous` pragma: NORMAL survives a process crash; FULL also survives a power cut. */
  sqliteSynchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';
  idempotencyLockTimeoutMs: number;
  idempotencyKeyTtlHours: number;
  /** How often the reaper looks for expired keys. */
  reaperIntervalMs: number;
  /** Rows deleted per reaper transaction: small enough that a batch never stalls requests for long. */
  reaperBatchSize: number;
  controlApi: boolean;
  /** When set, only these secret keys are accepted. */
  apiKeys: ReadonlySet<string> | null;
  cardNetworkLatencyMs: number;
  /** How often the completer looks for abandoned keys, and how old (unlocked or lock expired) they must be. */
  completerIntervalMs: number;
  completerAfterMs: number;
  webhookRetryBaseMs: number;
  webhookMaxAttempts: number;
  webhookTimeoutMs: number;
  requestLogLimit: number;
  requestLogTotalLimit: number;
  logRequests: boolean;
}
