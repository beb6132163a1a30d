import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { pathOf } from '../common/http/request-context.js';
import { TransactionRunner, type Tx } from '../database/transaction-runner.js';
import { maskPans, maskParams } from './mask.js';

/** Requests the dashboard makes for itself carry this header and stay out of the log they display. */
export const DASHBOARD_HEADER = 'oncepay-dashboard';

/** Stored response bodies are capped: a 100-item list is useful to see, a megabyte is not. */
const MAX_BODY_CHARS = 64 * 1024;
/** Entries waiting for a flush; past this (a stalled database) the oldest are dropped rather than growing memory. */
const MAX_PENDING = 10_000;

interface PendingEntry {
  id: string;
  account: string;
  method: string;
  path: string;
  status: number | null;
  idempotency_key: string | null;
  replayed: boolean;
  original_request: string | null;
  duration_ms: number;
  params: string;
  response_body: string | null;
  created_at: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The serialized response body, captured for the request log. */
    loggedPayload?: string;
  }
}

/**
 * Records every API request (`/v1/…`) of every account. Recording sits off the request's path: hooks
 * only copy a few fields into memory when the response is done, and a flush on the next turn of the
 * event loop writes the whole batch in one transaction, trimming each account to `requestLogLimit`.
 * A failure to record is logged and never reaches the client.
 */
@Injectable()
export class RequestLogRecorder implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('request-log');
  private pending: PendingEntry[] = [];
  private flushScheduled = false;
  /** Rows written per account since its last trim: trimming costs an index walk of `requestLogLimit` rows. */
  private readonly sinceTrim = new Map<string, number>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly db: TransactionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.requestLogLimit === 0) return;
    const fastify = this.adapterHost.httpAdapter.getInstance() as unknown as FastifyInstance;
    fastify.addHook('onRequest', (req, reply, done) => {
      if (req.url.startsWith('/v1/') && req.headers[DASHBOARD_HEADER] === undefined) {
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

  beforeApplicationShutdown(): void {
    this.flush();
  }

  /**
   * Writes whatever is pending now. The list endpoint calls this with its account, which is then trimmed
   * exactly, so a read sees every finished request and never more than `requestLogLimit` of them.
   */
  flush(readingAccount?: string): void {
    this.flushScheduled = false;
    if (readingAccount && (this.sinceTrim.get(readingAccount) ?? 0) > 0) {
      this.db.run((tx) => this.trim(tx, readingAccount));
    }
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      this.db.run((tx) => {
        const written = new Map<string, number>();
        for (const e of batch) {
          tx.run(
            `INSERT INTO request_logs (id, account, method, path, status, idempotency_key, replayed, original_request, duration_ms, params, response_body, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            e.id, e.account, e.method, e.path, e.status, e.idempotency_key, e.replayed ? 1 : 0, e.original_request,
            e.duration_ms, e.params, e.response_body, e.created_at,
          );
          written.set(e.account, (written.get(e.account) ?? 0) + 1);
        }
        // Trimming on every write would walk `requestLogLimit` index entries per request; trimming every
        // 1/16th of the limit bounds storage at ~106% of it for a fraction of the cost.
        const trimEvery = Math.max(1, Math.floor(this.config.requestLogLimit / 16));
        for (const [account, count] of written) {
          const since = (this.sinceTrim.get(account) ?? 0) + count;
          if (since >= trimEvery || account === readingAccount) this.trim(tx, account);
          else this.sinceTrim.set(account, since);
        }
      });
    } catch (error) {
      this.logger.warn(`could not record ${batch.length} request(s): ${(error as Error)?.message ?? error}`);
    }
  }

  /** Everything older than the account's newest `requestLogLimit` rows goes. */
  private trim(tx: Tx, account: string): void {
    const boundary = tx.get<{ seq: number }>(
      'SELECT seq FROM request_logs WHERE account = ? ORDER BY seq DESC LIMIT 1 OFFSET ?',
      account,
      this.config.requestLogLimit,
    );
    if (boundary) tx.run('DELETE FROM request_logs WHERE account = ? AND seq <= ?', account, boundary.seq);
    this.sinceTrim.set(account, 0);
  }

  private capture(req: FastifyRequest, reply: FastifyReply, durationMs: number): void {
    try {
      // No account means authentication failed or no route matched: there is no account to show it to.
      if (!req.account) return;
      const answered = reply.raw.writableFinished;
      const key = req.headers['idempotency-key'];
      const body = req.loggedPayload;
      this.pending.push({
        id: req.requestId,
        account: req.account,
        method: req.method,
        path: pathOf(req),
        status: answered ? reply.statusCode : null,
        idempotency_key: typeof key === 'string' ? key.slice(0, 255) : null,
        replayed: reply.getHeader('idempotent-replayed') === 'true',
        original_request: (reply.getHeader('original-request') as string | undefined) ?? null,
        duration_ms: Math.round(durationMs),
        params: JSON.stringify(maskParams(req.method === 'GET' || req.method === 'DELETE' ? (req.query ?? {}) : (req.body ?? {}))),
        response_body: answered && body !== undefined ? maskPans(body.length > MAX_BODY_CHARS ? body.slice(0, MAX_BODY_CHARS) : body) : null,
        created_at: Date.now(),
      });
      if (this.pending.length > MAX_PENDING) this.pending.splice(0, this.pending.length - MAX_PENDING);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    } catch (error) {
      this.logger.warn(`could not capture ${req.method} ${req.url}: ${(error as Error)?.message ?? error}`);
    }
  }
}
