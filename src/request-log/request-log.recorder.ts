import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ApiKeyGuard } from '../common/http/api-key.guard.js';
import { isApiRequest, pathOf } from '../common/http/request-context.js';
import { idempotencyKeyOf } from '../idempotency/idempotency-key-header.js';
import { maskPans, maskParams, maskPath } from './mask.js';
import { capBody, RequestLogStore } from './request-log.store.js';

/** Requests the dashboard makes for itself carry this header and stay out of the log they display. */
export const DASHBOARD_HEADER = 'oncepay-dashboard';

declare module 'fastify' {
  interface FastifyRequest {
    /** The serialized response body, captured for the request log. */
    loggedPayload?: string;
  }
}

/**
 * Records every API request (`/v1/…`) of every account. Recording sits off the request's path: when the
 * exchange is over, a few fields go into the in-memory store; the response body is masked only when
 * someone reads the log. A failure to record is logged and never reaches the client.
 */
@Injectable()
export class RequestLogRecorder implements OnModuleInit {
  private readonly logger = new Logger('request-log');
  private readonly keys: ApiKeyGuard;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly store: RequestLogStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.keys = new ApiKeyGuard(config);
  }

  onModuleInit(): void {
    if (this.config.requestLogLimit === 0) return;
    const fastify = this.adapterHost.httpAdapter.getInstance() as unknown as FastifyInstance;
    fastify.addHook('onRequest', (req, reply, done) => {
      if (isApiRequest(req) && req.headers[DASHBOARD_HEADER] === undefined) {
        const started = performance.now();
        // 'close' fires for every exchange: answered, or dropped with no response (hijacked by a fault).
        reply.raw.once('close', () => this.capture(req, reply, performance.now() - started));
      }
      done();
    });
    fastify.addHook('onSend', (req, _reply, payload, done) => {
      if (typeof payload === 'string') req.loggedPayload = payload;
      else if (Buffer.isBuffer(payload)) req.loggedPayload = payload.toString('utf8');
      done(null, payload);
    });
  }

  private capture(req: FastifyRequest, reply: FastifyReply, durationMs: number): void {
    try {
      // A request refused before authentication ran (malformed body, unknown route, bad Stripe-Version)
      // still names its account by its key, and is what a developer most needs to see. Without a valid
      // key there is no account to show it to.
      const account = req.account ?? this.keys.accountOrNull(req.headers.authorization);
      if (!account) return;
      const answered = reply.raw.writableFinished;
      const key = idempotencyKeyOf(req.headers);
      const body = req.rebuildBody ?? req.loggedPayload;
      this.store.add({
        id: req.requestId,
        account,
        method: req.method,
        path: maskPath(pathOf(req)),
        status: answered ? reply.statusCode : null,
        idempotency_key: typeof key === 'string' ? maskPans(key.slice(0, 255)) : null,
        replayed: reply.getHeader('idempotent-replayed') === 'true',
        original_request: (reply.getHeader('original-request') as string | undefined) ?? null,
        duration_ms: Math.round(durationMs),
        params: maskParams(req.method === 'GET' || req.method === 'DELETE' ? (req.query ?? {}) : (req.body ?? {})),
        response_body: answered && body !== undefined ? (typeof body === 'string' ? capBody(body) : body) : null,
        created_at: Date.now(),
      });
    } catch (error) {
      this.logger.warn(`could not capture ${req.method} ${req.url}: ${(error as Error)?.message ?? error}`);
    }
  }
}
