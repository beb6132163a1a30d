import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ParameterError } from '../common/errors/stripe-error.js';
import type { AppConfig } from '../config/app-config.js';
import { connectDatabase, type SqliteConnection } from '../database/sqlite-connection.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { SimulatedCrash } from '../faults/fault.js';
import { FaultsService } from '../faults/faults.service.js';
import { IdempotencyKeyStore, KeyRequest, LockLostError } from './idempotency-key.store.js';
import type { IdempotentRequest } from './idempotent-request.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { RecoveryPoint } from './recovery-point.js';

/**
 * What the layer does with the key of a request that fails, as the exception filter calls it: the filter
 * writes the error as soon as `onFailure` returns, so whatever the key is to become must already be
 * committed by then (a client retrying on the error must find it free).
 */
describe('IdempotencyInterceptor.onFailure against a migrated SQLite database', () => {
  let connection: SqliteConnection;
  let db: TransactionRunner;
  let store: IdempotencyKeyStore;
  let layer: IdempotencyInterceptor;
  let n = 0;
  let request: KeyRequest;

  beforeAll(async () => {
    connection = await connectDatabase({ databasePath: ':memory:', sqliteSynchronous: 'NORMAL' });
    db = new TransactionRunner(connection.db);
    store = new IdempotencyKeyStore({ idempotencyLockTimeoutMs: 60_000 } as AppConfig);
    layer = new IdempotencyInterceptor(db, store, new FaultsService());
  });
  afterAll(() => connection.close());
  beforeEach(() => {
    n += 1;
    request = { account: 'acct_a', key: `key-${n}`, method: 'POST', path: '/v1/charges', params: '{"amount":"ten"}', requestId: `req_${n}` };
  });

  const acquire = (): IdempotentRequest => {
    const outcome = db.runNow((tx) => store.lockOrReplay(tx, request));
    if (outcome.kind !== 'acquired') throw new Error(`expected to acquire ${request.key}, got ${outcome.kind}`);
    return outcome.request;
  };
  const row = () => db.read((tx) => store.find(tx, request.account, request.key));
  const fail = (held: IdempotentRequest, error: unknown) => {
    const socket = { destroyed: false, destroy: () => (socket.destroyed = true) };
    const reply = { sent: false, hijack: () => undefined, raw: { socket } } as unknown as FastifyReply;
    const answeredByLayer = layer.onFailure({ idempotency: held } as FastifyRequest, reply, error);
    return { answeredByLayer, dropped: socket.destroyed };
  };
  const invalid = () => new ParameterError('Invalid integer: ten', 'amount');

  it('deletes a key this request inserted, before it returns, when the request failed before any phase', () => {
    const held = acquire();
    expect(fail(held, invalid())).toEqual({ answeredByLayer: false, dropped: false });
    expect(row()).toBeUndefined();
  });

  it('unlocks, and keeps, a key the request took over from an earlier attempt', () => {
    const first = acquire();
    db.runNow((tx) => store.unlock(tx, first));
    const resumed = acquire();
    expect(resumed.fresh).toBe(false);
    expect(fail(resumed, invalid()).answeredByLayer).toBe(false);
    expect(row()).toMatchObject({ recovery_point: RecoveryPoint.Started, locked_at: null });
  });

  it('throws when the key cannot be released, so that the client hears of a server failure, not of its params', () => {
    const held = acquire();
    const release = jest.spyOn(store, 'release').mockImplementationOnce(() => {
      throw new Error('disk I/O error');
    });
    expect(() => fail(held, invalid())).toThrow('disk I/O error');
    release.mockRestore();
    expect(row()).toMatchObject({ locked_at: held.lockedAt });
  });

  it('leaves the key as it is once a phase has started, or when the lock was lost', () => {
    const started = acquire();
    started.phasesStarted = true;
    fail(started, invalid());
    expect(row()).toMatchObject({ locked_at: started.lockedAt });

    request = { ...request, key: `${request.key}-lost` };
    const lost = acquire();
    fail(lost, new LockLostError(lost.key));
    expect(row()).toMatchObject({ locked_at: lost.lockedAt });
  });

  it('ends the exchange without an answer on a simulated crash, the key still locked for a takeover', () => {
    const held = acquire();
    held.phasesStarted = true;
    expect(fail(held, new SimulatedCrash(RecoveryPoint.ChargeCreated))).toEqual({ answeredByLayer: true, dropped: true });
    expect(row()).toMatchObject({ locked_at: held.lockedAt });
  });
});
