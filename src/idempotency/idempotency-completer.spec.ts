import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiResponse } from '../common/http/api-response.js';
import type { AppConfig } from '../config/app-config.js';
import { connectDatabase, type SqliteConnection } from '../database/sqlite-connection.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { IdempotencyCompleter } from './idempotency-completer.js';
import { IdempotencyKeyStore } from './idempotency-key.store.js';
import { InFlight, ResumableEndpoints } from './resumable-endpoints.js';

const config = { completerIntervalMs: 60_000, completerAfterMs: 1_000, idempotencyLockTimeoutMs: 1_000 } as AppConfig;

describe('IdempotencyCompleter and keyless work still in flight', () => {
  let connection: SqliteConnection;
  let db: TransactionRunner;

  beforeAll(async () => {
    connection = await connectDatabase({ databasePath: ':memory:', sqliteSynchronous: 'NORMAL' });
    db = new TransactionRunner(connection.db);
  });
  afterAll(() => connection.close());

  /** 120 unfinished resources, oldest first, and a completer whose only work is them. */
  function completerOver(inFlight: InFlight) {
    const unfinished = Array.from({ length: 120 }, (_, i) => ({ account: 'acct_a', id: `ch_${String(i).padStart(3, '0')}` }));
    const resumed: string[] = [];
    const endpoints = new ResumableEndpoints();
    endpoints.registerKeyless({
      path: '/v1/charges',
      find: (_tx, _before, limit) => unfinished.slice(0, limit),
      inFlight,
      resume: async (_ctx, id) => {
        resumed.push(id);
        return ApiResponse.ok({});
      },
    });
    const completer = new IdempotencyCompleter(config, db, new IdempotencyKeyStore(config), endpoints);
    return { completer, resumed };
  }

  it('finishes the abandoned work behind a sweep-sized run of work that requests here are still doing', async () => {
    // The 60 oldest are requests' own, still running: were the completer to read one batch (50) and
    // skip them, the abandoned ones behind them would wait for those requests, however long they take.
    const inFlight = new InFlight();
    for (let i = 0; i < 60; i++) inFlight.set('acct_a', `ch_${String(i).padStart(3, '0')}`, true);
    const { completer, resumed } = completerOver(inFlight);

    expect(await completer.completeAbandoned()).toBe(50);

    expect(resumed).toHaveLength(50);
    expect(resumed[0]).toBe('ch_060');
    expect(resumed.at(-1)).toBe('ch_109');
  });

  it('leaves a resource to the request working on it in this account, not one of the same id in another', async () => {
    const inFlight = new InFlight();
    inFlight.set('acct_a', 'ch_000', true);
    inFlight.set('acct_b', 'ch_001', true);
    const { completer, resumed } = completerOver(inFlight);

    await completer.completeAbandoned();

    expect(resumed).not.toContain('ch_000');
    expect(resumed.slice(0, 2)).toEqual(['ch_001', 'ch_002']);
  });
});
