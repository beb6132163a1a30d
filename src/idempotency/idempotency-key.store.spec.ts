import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { IdempotencyError, IdempotencyKeyInUseError } from '../common/errors/stripe-error.js';
import { ApiResponse } from '../common/http/api-response.js';
import type { AppConfig } from '../config/app-config.js';
import { connectDatabase, type SqliteConnection } from '../database/sqlite-connection.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { IdempotencyKeyStore, KeyRequest, LockLostError } from './idempotency-key.store.js';
import type { IdempotentRequest } from './idempotent-request.js';
import { RecoveryPoint } from './recovery-point.js';

const LOCK_TIMEOUT_MS = 200;
const T0 = 1_800_000_000_000;

describe('IdempotencyKeyStore against a migrated SQLite database', () => {
  let connection: SqliteConnection;
  let db: TransactionRunner;
  let store: IdempotencyKeyStore;
  let n = 0;
  let request: KeyRequest;

  beforeAll(async () => {
    connection = await connectDatabase({ databasePath: ':memory:', sqliteSynchronous: 'NORMAL' });
    db = new TransactionRunner(connection.db);
    store = new IdempotencyKeyStore({ idempotencyLockTimeoutMs: LOCK_TIMEOUT_MS } as AppConfig);
  });
  afterAll(() => connection.close());
  beforeEach(() => {
    n += 1;
    request = { account: 'acct_a', key: `key-${n}`, method: 'POST', path: '/v1/customers', params: '{"name":"Ada"}', requestId: `req_${n}` };
  });

  const lock = (req: KeyRequest, now: number) => db.runNow((tx) => store.lockOrReplay(tx, req, now));
  const acquired = (req: KeyRequest, now: number): IdempotentRequest => {
    const outcome = lock(req, now);
    if (outcome.kind !== 'acquired') throw new Error(`expected to acquire ${req.key}, got ${outcome.kind}`);
    return outcome.request;
  };
  const row = (req: KeyRequest) => db.read((tx) => store.find(tx, req.account, req.key));
  /** What POST /_control/reset does to an account's keys (ControlService.reset). */
  const resetAccount = (account: string) => {
    db.runNow((tx) => tx.run('DELETE FROM idempotency_keys WHERE account = ?', account));
    store.forgetAccount(account);
  };

  it('inserts a new key locked at `started`', () => {
    const held = acquired(request, T0);
    expect(held).toMatchObject({ key: request.key, lockedAt: T0, recoveryPoint: RecoveryPoint.Started, fresh: true });
    expect(row(request)).toMatchObject({ locked_at: T0, recovery_point: 'started', request_path: '/v1/customers', created_at: T0 });
  });

  it('never lets a holder write to a key that was deleted and made again, even with the same lock time', () => {
    const first = acquired(request, T0);
    // An account reset deletes the key; a new request with the same key inserts it again in the same millisecond.
    resetAccount(request.account);
    const second = acquired({ ...request, requestId: 'req_new' }, T0);
    expect(second.lockedAt).toBe(first.lockedAt);
    expect(second.seq).not.toBe(first.seq);

    expect(() => db.runNow((tx) => store.advance(tx, first, RecoveryPoint.ChargeCreated, 'ch_old'))).toThrow(LockLostError);
    expect(() => db.runNow((tx) => store.finish(tx, first, ApiResponse.ok({ id: 'from-first' })))).toThrow(LockLostError);
    db.runNow((tx) => store.unlock(tx, first));
    db.runNow((tx) => store.release(tx, first));
    expect(row(request)).toMatchObject({ request_id: 'req_new', locked_at: T0, recovery_point: 'started', resource_id: null });
  });

  it('refuses a second request while the lock is younger than the timeout, and lets it take over after', () => {
    const first = acquired(request, T0);
    expect(() => lock({ ...request, requestId: 'req_retry' }, T0 + LOCK_TIMEOUT_MS - 1)).toThrow(IdempotencyKeyInUseError);

    const second = acquired({ ...request, requestId: 'req_retry' }, T0 + LOCK_TIMEOUT_MS);
    expect(second).toMatchObject({ lockedAt: T0 + LOCK_TIMEOUT_MS, recoveryPoint: RecoveryPoint.Started, fresh: false });

    // The presumed-dead first holder wakes up: none of its writes may land any more.
    expect(() => db.runNow((tx) => store.finish(tx, first, ApiResponse.ok({ id: 'from-first' })))).toThrow(LockLostError);
    expect(() => db.runNow((tx) => store.advance(tx, first, RecoveryPoint.ChargeCreated, 'ch_1'))).toThrow(LockLostError);

    db.runNow((tx) => store.finish(tx, second, ApiResponse.ok({ id: 'from-second' })));
    expect(lock(request, T0 + 10 * LOCK_TIMEOUT_MS)).toEqual({
      kind: 'replay',
      status: 200,
      body: '{"id":"from-second"}',
      originalRequestId: request.requestId,
    });
  });

  it('resumes a taken-over key at its recovery point, with the resource the earlier phases made', () => {
    const first = acquired(request, T0);
    db.runNow((tx) => store.advance(tx, first, RecoveryPoint.ChargeCreated, 'ch_123'));
    const resumed = acquired(request, T0 + LOCK_TIMEOUT_MS);
    expect(resumed).toMatchObject({ recoveryPoint: RecoveryPoint.ChargeCreated, resourceId: 'ch_123', fresh: false });
  });

  it('lets a retry resume at once after the holder unlocked the key (an ambiguous failure)', () => {
    const first = acquired(request, T0);
    db.runNow((tx) => store.unlock(tx, first));
    expect(row(request)!.locked_at).toBeNull();
    expect(acquired(request, T0 + 1)).toMatchObject({ lockedAt: T0 + 1, fresh: false });
  });

  it('replays a finished key whatever the age of its last lock, even an error answer', () => {
    const held = acquired(request, T0);
    db.runNow((tx) => store.finish(tx, held, new ApiResponse(404, '{"error":{"type":"invalid_request_error"}}')));
    expect(row(request)).toMatchObject({ recovery_point: 'finished', locked_at: null, response_code: 404 });
    expect(lock(request, T0 + 1)).toMatchObject({ kind: 'replay', status: 404, body: '{"error":{"type":"invalid_request_error"}}' });
  });

  it('refuses other params or another endpoint with the same key, even while it is locked', () => {
    acquired(request, T0);
    expect(() => lock({ ...request, params: '{"name":"Bob"}' }, T0 + 1)).toThrow(
      new IdempotencyError(
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${request.key}' if you meant to execute a different request.`,
      ),
    );
    expect(() => lock({ ...request, path: '/v1/customers/cus_1' }, T0 + 1)).toThrow(
      new IdempotencyError(
        `Keys for idempotent requests can only be used for the same endpoint they were first used for ('/v1/customers/cus_1' vs '/v1/customers'). Try using a key other than '${request.key}' if you meant to execute a different request.`,
      ),
    );
  });

  it('answers a replayed key the same way on every later retry: its stored answer, or a refusal of other params or endpoints', () => {
    const held = acquired(request, T0);
    db.runNow((tx) => store.finish(tx, held, new ApiResponse(402, '{"error":{"type":"card_error"}}')));
    const replay = () => db.read((tx) => store.findReplay(tx, request));
    const expected = { kind: 'replay', status: 402, body: '{"error":{"type":"card_error"}}', originalRequestId: request.requestId };
    // The first replay reads the row; the next ones must answer exactly as it did.
    for (let i = 0; i < 3; i++) {
      expect(replay()).toEqual(expected);
      expect(() => db.read((tx) => store.findReplay(tx, { ...request, params: '{"name":"Bob"}' }))).toThrow(
        /can only be used with the same parameters they were first used with/,
      );
      expect(() => db.read((tx) => store.findReplay(tx, { ...request, path: '/v1/charges' }))).toThrow(
        /can only be used for the same endpoint they were first used for \('\/v1\/charges' vs '\/v1\/customers'\)/,
      );
    }
    expect(db.read((tx) => store.findReplay(tx, { ...request, account: 'acct_other' }))).toBeNull();
  });

  it('forgets a replayed key once it is reaped or its account reset: the key starts a new request', () => {
    const reaped = { ...request, key: `${request.key}-reaped` };
    const reset = { ...request, account: 'acct_reset' };
    for (const req of [reaped, reset]) {
      const held = acquired(req, T0 - 10_000);
      db.runNow((tx) => store.finish(tx, held, ApiResponse.ok({ id: 'first' })));
      expect(db.read((tx) => store.findReplay(tx, req))).toMatchObject({ kind: 'replay' });
      expect(db.read((tx) => store.findReplay(tx, req))).toMatchObject({ kind: 'replay' });
    }

    db.runNow((tx) => store.reapBatch(tx, T0 - 1, 100));
    resetAccount(reset.account);

    for (const req of [reaped, reset]) {
      expect(db.read((tx) => store.findReplay(tx, req))).toBeNull();
      expect(lock({ ...req, params: '{"other":"params"}' }, T0)).toMatchObject({ kind: 'acquired', request: { fresh: true } });
    }
  });

  it('scopes keys to the account', () => {
    acquired(request, T0);
    expect(acquired({ ...request, account: 'acct_b', params: '{"other":"params"}' }, T0 + 1)).toMatchObject({ fresh: true });
  });

  it('releases (forgets) a fresh key that did no work, and only if this request still holds it', () => {
    const first = acquired(request, T0);
    const second = acquired(request, T0 + LOCK_TIMEOUT_MS);
    db.runNow((tx) => store.release(tx, first));
    expect(row(request)).toBeDefined();
    db.runNow((tx) => store.release(tx, second));
    expect(row(request)).toBeUndefined();
  });

  it('reaps keys created before the cutoff, oldest first, at most `limit` per batch', () => {
    const old = Array.from({ length: 5 }, (_, i) => ({ ...request, key: `${request.key}-old-${i}` }));
    for (const [i, req] of old.entries()) acquired(req, T0 - 10_000 + i);
    const young = { ...request, key: `${request.key}-young` };
    acquired(young, T0);

    const cutoff = T0 - 1;
    const remainingOld = () => old.filter((req) => row(req)).length;
    expect(db.runNow((tx) => store.reapBatch(tx, cutoff, 2))).toBe(2);
    expect(old.slice(0, 2).map((req) => row(req))).toEqual([undefined, undefined]);
    expect(remainingOld()).toBe(3);
    expect(db.runNow((tx) => store.reapBatch(tx, cutoff, 2))).toBe(2);
    expect(db.runNow((tx) => store.reapBatch(tx, cutoff, 2))).toBe(1);
    expect(remainingOld()).toBe(0);
    expect(row(young)).toBeDefined();
  });

  it("finds abandoned keys (unfinished, idle, unlocked or lock expired) by searching only unfinished keys' index", () => {
    const now = T0 + 1_000_000;
    const make = (suffix: string, at: number) => acquired({ ...request, key: `${request.key}-${suffix}` }, at);
    const idle = make('idle', now - 5_000);
    db.runNow((tx) => store.unlock(tx, idle));
    const expired = make('expired', now - 4_000);
    const held = make('held', now - 100);
    const finished = make('finished', now - 6_000);
    db.runNow((tx) => store.finish(tx, finished, ApiResponse.ok({ id: 'cus_done' })));

    const found = db.read((tx) => store.findAbandoned(tx, now - 1_000, now - LOCK_TIMEOUT_MS, 100))
      .map((k) => k.key)
      .filter((key) => key.startsWith(`${request.key}-`)); // earlier tests' keys are abandoned too
    expect(found).toEqual([idle.key, expired.key]);
    expect(found).not.toContain(held.key);

    // Finished keys, nearly all of them, are not in that index: a sweep must not read past them.
    const raw = connection.db;
    let plan = '';
    db.read((tx) => store.findAbandoned({
      all: (sql: string, ...params: unknown[]) => {
        plan = (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((p) => p.detail).join(' | ');
        return [];
      },
    } as unknown as typeof tx, now, now, 10));
    expect(plan).toBe('SEARCH idempotency_keys USING INDEX idempotency_keys_unfinished (last_run_at<?)');
  });
});
