import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidRequestError } from '../common/errors/stripe-error.js';
import { Messages } from '../common/errors/messages.js';
import type { AnswerHooks } from '../common/http/answer-hooks.js';
import { ApiResponse } from '../common/http/api-response.js';
import { pathOf, requestContextOf } from '../common/http/request-context.js';
import { RouteFlag } from '../common/http/route-flag.js';
import { sendApiResponse } from '../common/http/send.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { SimulatedCrash } from '../faults/fault.js';
import { FaultsService } from '../faults/faults.service.js';
import { canonicalParams } from './canonical-params.js';
import { canEchoKey, idempotencyKeyOf } from './idempotency-key-header.js';
import { IdempotencyKeyStore, LockLostError } from './idempotency-key.store.js';
import type { Replay } from './finished-key.cache.js';

const SKIP_IDEMPOTENCY = new RouteFlag('oncepay:skip-idempotency');
/** For POSTs that are not API mutations (the control API): no key phase. */
export const SkipIdempotency = SKIP_IDEMPOTENCY.decorator;

export const MAX_KEY_LENGTH = 255;

/**
 * Thrown by the key phase once it has answered a replay itself: the endpoint must not run, and there is
 * nothing left to answer. One shared instance, since nobody reads its stack.
 */
const REPLAYED = Object.freeze({ replayed: true });

/**
 * The idempotency layer around every POST of the API (attached by ApiPost, and only there). It steps in
 * at three points of a request:
 * - before validation and the endpoint, as a guard that runs after the API key's: the key phase, in its
 *   own transaction, which replays, refuses, or locks the key for this request;
 * - as the endpoint's answer leaves (`beforeAnswer`, from ApiFastifyAdapter): the lost-response fault;
 * - as the request fails (`onFailure`, from StripeExceptionFilter): a simulated crash ends the exchange,
 *   and a key whose request failed before doing any work is released.
 *
 * It is not a Nest interceptor although it does an interceptor's job: Nest runs every request to a route
 * with an interceptor through an RxJS chain (a ReplaySubject, deferred observables, a watch for client
 * disconnects), which cost customer creations a fifth of their throughput, keyed charges a tenth, and
 * kept customers' p99 over 25 ms (docs/performance-history.md). A replay whose answer is remembered is
 * answered before any of this, by RememberedReplays.
 */
@Injectable()
export class IdempotencyInterceptor implements CanActivate, AnswerHooks {
  constructor(
    private readonly db: TransactionRunner,
    private readonly keys: IdempotencyKeyStore,
    private readonly faults: FaultsService,
  ) {}

  canActivate(context: ExecutionContext): true | Promise<true> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    req.answerHooks = this;
    const key = idempotencyKeyOf(req.headers);
    if (typeof key !== 'string' || SKIP_IDEMPOTENCY.isSetOn(context)) return true;
    return this.keyPhase(req, context.switchToHttp().getResponse<FastifyReply>(), key);
  }

  /** Locks the key for this request and lets it through, or answers from the key and stops it (REPLAYED). */
  private async keyPhase(req: FastifyRequest, reply: FastifyReply, key: string): Promise<true> {
    const length = characterCount(key);
    if (key.trim().length === 0 || length > MAX_KEY_LENGTH) {
      const message = length > MAX_KEY_LENGTH ? Messages.idempotencyKeyTooLong(length) : Messages.idempotencyKeyEmpty();
      throw new InvalidRequestError(message, { param: 'Idempotency-Key' });
    }
    if (canEchoKey(key)) reply.header('Idempotency-Key', key);
    const request = {
      account: req.account,
      key,
      method: req.method,
      path: pathOf(req),
      params: canonicalParams(req.body),
      requestId: req.requestId,
    };
    const outcome =
      this.db.read((tx) => this.keys.findReplay(tx, request)) ?? (await this.db.run((tx) => this.keys.lockOrReplay(tx, request)));
    if (outcome.kind === 'acquired') {
      req.idempotency = outcome.request;
      return true;
    }
    if (!this.beforeAnswer(req, reply)) sendReplay(reply, outcome);
    throw REPLAYED;
  }

  beforeAnswer(req: FastifyRequest, reply: FastifyReply): boolean {
    if (!this.faults.take(req.account, requestContextOf(req).paths, 'drop_response')) return false;
    // The lost-response lesson: the work is committed, the client never hears about it.
    dropConnection(reply);
    return true;
  }

  onFailure(req: FastifyRequest, reply: FastifyReply, error: unknown): boolean {
    if (error === REPLAYED) return true;
    if (error instanceof SimulatedCrash) {
      dropConnection(reply);
      return true;
    }
    const held = req.idempotency;
    if (held && !held.phasesStarted && !(error instanceof LockLostError)) this.release(held);
    return false;
  }

  /**
   * A request that failed before doing any work (e.g. invalid params) leaves nothing behind, as Stripe
   * saves nothing then. Released before the error is written, so that a client retrying on the error
   * finds the key free: in a transaction of its own, now, which keeps the exception filter synchronous
   * (it writes the error as soon as this returns). Only refused requests pay a commit of their own.
   */
  private release(held: NonNullable<FastifyRequest['idempotency']>): void {
    this.db.runNow((tx) => (held.fresh ? this.keys.release(tx, held) : this.keys.unlock(tx, held)));
  }
}

/** A finished key's stored answer, marked as a replay of the request that first got it. */
export function sendReplay(reply: FastifyReply, replay: Replay): void {
  sendApiResponse(reply, new ApiResponse(replay.status, replay.body, { 'Idempotent-Replayed': 'true', 'Original-Request': replay.originalRequestId }));
}

/** Ends the exchange with no response at all, as a crashed server or a broken network would. */
function dropConnection(reply: FastifyReply): void {
  if (!reply.sent) reply.hijack();
  reply.raw.socket?.destroy();
}

/** Characters as Stripe counts them: an emoji outside the BMP is one, not JavaScript's two UTF-16 units. */
function characterCount(text: string): number {
  if (!SURROGATE.test(text)) return text.length;
  let count = 0;
  for (const _ of text) count++;
  return count;
}

const SURROGATE = /[\uD800-\uDFFF]/;
