import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { TransactionRunner, Tx } from '../database/transaction-runner.js';
import type { EventEntity } from './event.entity.js';
import { serializeEvent } from './event.serializer.js';
import type { WebhookDeliveryEntity } from './webhook-delivery.entity.js';
import type { WebhookEndpointEntity } from './webhook-endpoint.entity.js';
import { signatureHeader } from './webhook-signature.js';

/** Deliveries sent at once; enough to keep a slow endpoint from holding up the others. */
const BATCH = 20;

interface Due {
  delivery: WebhookDeliveryEntity;
  endpoint: WebhookEndpointEntity;
  payload: string;
}

/**
 * Sends staged deliveries, signed, after their transaction committed. HTTP never happens inside a
 * unit of work and never on the request that caused the event. A failure (non-2xx — a 3xx included,
 * network error, timeout) is retried after WEBHOOK_RETRY_BASE_MS × 2^(attempt-1), up to WEBHOOK_MAX_ATTEMPTS.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookDispatcher');
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
  ) {}

  onApplicationBootstrap(): void {
    // Polling picks up retries that come due and deliveries left pending by a previous process.
    const every = Math.max(20, Math.min(1000, Math.floor(this.config.webhookRetryBaseMs / 2)));
    this.timer = setInterval(() => this.wake(), every);
    this.timer.unref();
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.draining;
  }

  /** Stages one delivery per endpoint that wants this event type; returns how many. */
  stageDeliveries(tx: Tx, account: string, eventId: string, type: string, onlyEndpoint?: string): number {
    const endpoints = tx.all<WebhookEndpointEntity>(
      "SELECT * FROM webhook_endpoints WHERE account = ? AND deleted = 0 AND status = 'enabled'",
      account,
    );
    let staged = 0;
    const now = Date.now();
    for (const endpoint of endpoints) {
      if (onlyEndpoint && endpoint.id !== onlyEndpoint) continue;
      const wanted = JSON.parse(endpoint.enabled_events) as string[];
      if (!wanted.includes('*') && !wanted.includes(type)) continue;
      tx.run(
        "INSERT INTO webhook_deliveries (account, event_id, endpoint_id, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, 'pending', 0, ?, ?)",
        account, eventId, endpoint.id, now, now,
      );
      staged++;
    }
    return staged;
  }

  /** Starts sending what is due (or notes that more arrived while sending). */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    // On a later turn of the event loop: the request whose commit staged the event answers first.
    this.draining = yieldToRequests().then(() => this.drain()).finally(() => {
      this.draining = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Waits until nothing is being sent (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const due = this.claimDue();
        if (!due.length || this.stopped) return;
        await Promise.all(due.map((d) => this.attempt(d)));
      }
    } catch (error) {
      this.logger.error('webhook delivery failed unexpectedly', (error as Error).stack);
    }
  }

  /** Leases due deliveries by pushing their next attempt past the timeout, so no other drain takes them. */
  private claimDue(): Due[] {
    const now = Date.now();
    return this.db.runNow((tx) => {
      const rows = tx.all<WebhookDeliveryEntity & { ep: string; ev: string }>(
        `SELECT d.*, json_object('id', e.id, 'url', e.url, 'secret', e.secret) AS ep
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.deleted = 0
         WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at LIMIT ?`,
        now, BATCH,
      );
      return rows.map((row) => {
        tx.run('UPDATE webhook_deliveries SET next_attempt_at = ? WHERE seq = ?', now + this.config.webhookTimeoutMs + 1000, row.seq);
        const event = tx.get<EventEntity>('SELECT * FROM events WHERE id = ?', row.event_id)!;
        const pending = tx.get<{ n: number }>("SELECT count(*) AS n FROM webhook_deliveries WHERE event_id = ? AND status = 'pending'", row.event_id)!.n;
        const { ep, ...delivery } = row;
        return { delivery, endpoint: JSON.parse(ep), payload: JSON.stringify(serializeEvent(event, pending)) };
      });
    });
  }

  private async attempt({ delivery, endpoint, payload }: Due): Promise<void> {
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': signatureHeader(payload, endpoint.secret),
        },
        body: payload,
        // Stripe does not follow redirects: a 3xx is the endpoint's answer, and a failed delivery. Following
        // one would re-send the event elsewhere (a 302 even as a bodiless GET) and count that as delivered.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.webhookTimeoutMs),
      });
      statusCode = response.status;
      await response.arrayBuffer().catch(() => undefined);
      if (statusCode >= 300 && statusCode < 400) error = `endpoint answered ${statusCode} (redirects are not followed)`;
      else if (statusCode < 200 || statusCode >= 300) error = `endpoint answered ${statusCode}`;
    } catch (failure) {
      const cause = (failure as { cause?: { code?: string } }).cause;
      error = (failure as Error).name === 'TimeoutError' ? `timed out after ${this.config.webhookTimeoutMs} ms` : (cause?.code ?? (failure as Error).message);
    }
    this.record(delivery, statusCode, error);
  }

  private record(delivery: WebhookDeliveryEntity, statusCode: number | null, error: string | null): void {
    const attempt = delivery.attempts + 1;
    const now = Date.now();
    const givenUp = error !== null && attempt >= this.config.webhookMaxAttempts;
    const nextRetry = error === null || givenUp ? null : now + this.config.webhookRetryBaseMs * 2 ** (attempt - 1);
    const status = error === null ? 'succeeded' : givenUp ? 'failed' : 'pending';
    this.db.runNow((tx) => {
      // Only a delivery still pending takes the outcome: one ended while this attempt was in flight (its
      // endpoint deleted) stays ended, and the retry this attempt would have planned never comes.
      const { changes } = tx.run(
        "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_status_code = ?, last_error = ? WHERE seq = ? AND status = 'pending'",
        status, attempt, nextRetry, statusCode, error, delivery.seq,
      );
      tx.run(
        'INSERT INTO webhook_attempts (account, delivery_seq, event_id, endpoint_id, attempt, status_code, error, next_retry_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        delivery.account, delivery.seq, delivery.event_id, delivery.endpoint_id, attempt, statusCode, error, changes ? nextRetry : null, now,
      );
    });
  }
}
