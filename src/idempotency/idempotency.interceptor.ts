import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, from, map, Observable, of } from 'rxjs';
import { InvalidRequestError } from '../common/errors/stripe-error.js';
import { Messages } from '../common/errors/messages.js';
import { ApiResponse, ApiResponseException } from '../common/http/api-response.js';
import { pathOf, requestContextOf } from '../common/http/request-context.js';
import { RouteFlag } from '../common/http/route-flag.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { SimulatedCrash } from '../faults/fault.js';
import { FaultsService } from '../faults/faults.service.js';
import { canonicalParams } from './canonical-params.js';
import { canEchoKey, idempotencyKeyOf } from './idempotency-key-header.js';
import { IdempotencyKeyStore, LockLostError } from './idempotency-key.store.js';

const SKIP_IDEMPOTENCY = new RouteFlag('oncepay:skip-idempotency');
/** For POSTs that are not API mutations (the control API): no key phase. */
export const SkipIdempotency = SKIP_IDEMPOTENCY.decorator;

export const MAX_KEY_LENGTH = 255;

/**
 * The idempotency layer around every POST of the API (attached by ApiPost, and only there). Runs the key
 * phase in its own transaction before the endpoint (replaying, refusing or locking), and plays the
 * lost-response fault on the way out.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly db: TransactionRunner,
    private readonly keys: IdempotencyKeyStore,
    private readonly faults: FaultsService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> | Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const key = idempotencyKeyOf(req.headers);
    const keyed = typeof key === 'string' && !SKIP_IDEMPOTENCY.isSetOn(context);

    return keyed ? this.afterKeyPhase(req, reply, key, next) : this.handle(req, reply, next);
  }

  private async afterKeyPhase(req: FastifyRequest, reply: FastifyReply, key: string, next: CallHandler): Promise<Observable<unknown>> {
    const replay = await this.keyPhase(req, reply, key);
    return replay ? of(this.toWire(req, reply, replay)) : this.handle(req, reply, next);
  }

  private handle(req: FastifyRequest, reply: FastifyReply, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((result) => this.toWire(req, reply, result)),
      catchError((error) => from(this.onError(req, reply, error))),
    );
  }

  /** Returns the stored answer to replay, or null after locking the key for this request. */
  private async keyPhase(req: FastifyRequest, reply: FastifyReply, key: string): Promise<ApiResponse | null> {
    if (key.trim().length === 0 || key.length > MAX_KEY_LENGTH) {
      const message = key.length > MAX_KEY_LENGTH ? Messages.idempotencyKeyTooLong(key.length) : Messages.idempotencyKeyEmpty();
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
      return null;
    }
    return new ApiResponse(outcome.status, outcome.body, {
      'Idempotent-Replayed': 'true',
      'Original-Request': outcome.originalRequestId,
    });
  }

  /** ApiResponses are written by the adapter (ApiFastifyAdapter); any other status goes out as an error. */
  private toWire(req: FastifyRequest, reply: FastifyReply, result: unknown): unknown {
    if (this.faults.take(req.account, requestContextOf(req).paths, 'drop_response')) {
      // The lost-response lesson: the work is committed, the client never hears about it.
      dropConnection(reply);
      throw new SimulatedCrash('drop_response');
    }
    if (result instanceof ApiResponse && result.status !== 200) throw new ApiResponseException(result);
    return result;
  }

  private async onError(req: FastifyRequest, reply: FastifyReply, error: unknown): Promise<never> {
    if (error instanceof SimulatedCrash) {
      dropConnection(reply);
      throw error;
    }
    const held = req.idempotency;
    if (held && !held.phasesStarted && !(error instanceof LockLostError)) {
      // Failed before doing any work (e.g. invalid params): Stripe saves nothing, so neither do we.
      // Awaited, so that a client retrying on the error finds the key free.
      await this.db.run((tx) => (held.fresh ? this.keys.release(tx, held) : this.keys.unlock(tx, held)));
    }
    throw error;
  }
}

/** Ends the exchange with no response at all, as a crashed server or a broken network would. */
function dropConnection(reply: FastifyReply): void {
  if (!reply.sent) reply.hijack();
  reply.raw.socket?.destroy();
}
