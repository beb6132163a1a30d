import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyGuard, namesAnotherAccount } from '../common/http/api-key.guard.js';
import { isApiRequest, pathOf } from '../common/http/request-context.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { FaultsService } from '../faults/faults.service.js';
import { canonicalParams } from './canonical-params.js';
import { canEchoKey, idempotencyKeyOf } from './idempotency-key-header.js';
import { IdempotencyKeyStore } from './idempotency-key.store.js';
import { sendReplay } from './idempotency.interceptor.js';

/**
 * Answers a replay whose answer is remembered (FinishedKeyCache: a key replayed once already) from a
 * Fastify hook, before Nest's router: the answer the key phase would give, without the guards' and the
 * exception filter's round trip, which were most of what such a replay cost. Only when nothing else
 * could change the outcome: a POST to the API, a valid API key and no Connect header (the guards would
 * refuse those), no fault armed for the account (a lost response applies to replays too), and the same
 * request as the key's. Any other request, a miss included, goes on to the guards, which decide as before.
 */
@Injectable()
export class RememberedReplays implements OnModuleInit {
  private readonly apiKeys: ApiKeyGuard;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly db: TransactionRunner,
    private readonly keys: IdempotencyKeyStore,
    private readonly faults: FaultsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.apiKeys = new ApiKeyGuard(config);
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance() as unknown as FastifyInstance;
    // A preHandler that answers does not call `done`: the route's handler never runs.
    fastify.addHook('preHandler', (req, reply, done) => {
      if (!this.answer(req, reply)) done();
    });
  }

  private answer(req: FastifyRequest, reply: FastifyReply): boolean {
    if (req.method !== 'POST' || !isApiRequest(req)) return false;
    const key = idempotencyKeyOf(req.headers);
    // The API key's guard, as it would judge this request: one it would refuse goes on to be refused.
    if (typeof key !== 'string' || namesAnotherAccount(req.headers)) return false;
    const account = this.apiKeys.accountOrNull(req.headers.authorization);
    // Looked up before the params are made canonical: a new key (every keyed charge) costs a map lookup here.
    if (account === null || !this.keys.isRemembered(account, key) || this.faults.anyArmed(account)) return false;
    const request = { account, key, method: req.method, path: pathOf(req), params: canonicalParams(req.body), requestId: req.requestId };
    const replay = this.keys.rememberedReplay(request);
    if (!replay) return false;
    req.account = account;
    // Served with no read of the database, yet a request all the same: the reaper backs off for it too.
    this.db.noteServed();
    if (canEchoKey(key)) reply.header('Idempotency-Key', key);
    sendReplay(reply, replay);
    return true;
  }
}
