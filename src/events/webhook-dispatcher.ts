import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { TransactionRunner, Tx } from '../database/transaction-runner.js';
import type { EventEntity } from './event.entity.js';
import { serializeEvent } from './event.serializer.js';
import type { WebhookDeliveryEntity } from './webhook-delivery.entity.js';
import type { WebhookEndpointEntity } from './webhook-endpoint.entity.js';
import { signatureHeader } from './webhook-signature.js';

/** Deliveries in flight at once, over all endpoints. */
const MAX_IN_FLIGHT = 32;
/**
 * Deliveries in flight at once to one endpoint: a slow or silent endpoint holds up to this many slots
 * until they time out, and never another endpoint's or another account's deliveries.
 */
const PER_ENDPOINT = 4;

interface Due {
  delivery: WebhookDeliveryEntity;
  endpoint: WebhookEndpointEntity;
  payload: string;
}

/**
 * Sends staged deliveries, signed, after their transaction committed. HTTP never happens inside a
 * unit of work and never on the request that caused the event. A failure (non-2xx — a 3xx included,
 * network error, timeout) is retried after WEBHOOK_RETRY_BASE_MS × 2^(attempt-1), up to WEBHOOK_MAX_ATTEMPTS.
 * Each endpoint is a lane of at most PER_ENDPOINT deliveries in flight, and a finished delivery frees
 * its slot at once: nothing waits for a slower delivery to another endpoint.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookDispatcher');
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** A pump is queued for the next turn (one, however many wakes asked for it). */
  private pumpQueued = false;
  private readonly sending = new Set<Promise<void>>();
  /** Deliveries in flight per endpoint id. */
  private readonly lanes = new Map<string, number>();

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
    await Promise.allSettled([...this.sending]);
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

  /** Starts sending what is due, on a later turn of the event loop. */
  wake(): void {
    if (this.stopped || this.pumpQueued) return;
    this.pumpQueued = true;
    // A later turn: the request whose commit staged the event answers first, and the wakes of one turn
    // (every commit, every finished delivery) share one look at what is due.
    setImmediate(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  /** Waits until nothing is being sent and nothing due is left to start (for tests and shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.sending.size) await Promise.allSettled([...this.sending]);
      else if (this.pumpQueued) await new Promise((resolve) => setImmediate(resolve));
      else return;
    }
  }

  /** Fills the free slots with due deliveries, each endpoint up to its lane's width. */
  private pump(): void {
    if (this.stopped || this.sending.size >= MAX_IN_FLIGHT) return;
    let due: Due[];
    try {
      due = this.claimDue(MAX_IN_FLIGHT - this.sending.size);
    } catch (error) {
      this.logger.error('claiming webhook deliveries failed', (error as Error).stack);
      return;
    }
    for (const delivery of due) this.send(delivery);
  }

  private send(due: Due): void {
    const endpoint = due.endpoint.id;
    this.lanes.set(endpoint, (this.lanes.get(endpoint) ?? 0) + 1);
    const sent: Promise<void> = this.attempt(due)
      .catch((error) => this.logger.error('webhook delivery failed unexpectedly', (error as Error).stack))
      .finally(() => {
        const left = this.lanes.get(endpoint)! - 1;
        if (left) this.lanes.set(endpoint, left);
        else this.lanes.delete(endpoint);
        this.sending.delete(sent);
        this.wake();
      });
    this.sending.add(sent);
  }

  /**
   * Leases up to `slots` due deliveries, oldest first, at most as many per endpoint as its lane has free,
   * by pushing their next attempt past the timeout, so that no later pump takes them again.
   */
  private claimDue(slots: number): Due[] {
    const now = Date.now();
    return this.db.runNow((tx) => {
      // The first PER_ENDPOINT due deliveries of each endpoint: an endpoint with thousands waiting (a dead
      // URL) offers no more than its lane can take, and never hides the others' behind them.
      const rows = tx.all<WebhookDeliveryEntity & { ep: string; lane_position: number }>(
        `SELECT d.*, json_object('id', e.id, 'url', e.url, 'secret', e.secret) AS ep
         FROM (SELECT *, row_number() OVER (PARTITION BY endpoint_id ORDER BY next_attempt_at, seq) AS lane_position
               FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?) d
         JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.deleted = 0
         WHERE d.lane_position <= ? ORDER BY d.next_attempt_at, d.seq`,
        now, PER_ENDPOINT,
      );
      const claimed: Due[] = [];
      for (const row of rows) {
        if (claimed.length >= slots) break;
        if (row.lane_position > PER_ENDPOINT - (this.lanes.get(row.endpoint_id) ?? 0)) continue;
        tx.run('UPDATE webhook_deliveries SET next_attempt_at = ? WHERE seq = ?', now + this.config.webhookTimeoutMs + 1000, row.seq);
        const event = tx.get<EventEntity>('SELECT * FROM events WHERE id = ?', row.event_id)!;
        const pending = tx.get<{ n: number }>("SELECT count(*) AS n FROM webhook_deliveries WHERE event_id = ? AND status = 'pending'", row.event_id)!.n;
        const { ep, lane_position: _, ...delivery } = row;
        claimed.push({ delivery, endpoint: JSON.parse(ep), payload: JSON.stringify(serializeEvent(event, pending)) });
      }
      return claimed;
    });
  }

  private async attempt({ delivery, endpoint, payload }: Due): Promise<void> {
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const { url, authorization } = withoutCredentials(endpoint.url);
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': signatureHeader(payload, endpoint.secret),
          ...(authorization && { authorization }),
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

/**
 * An endpoint URL may carry HTTP Basic credentials (`https://user:pass@host/hook`), as Stripe's may:
 * fetch refuses such a URL, so they travel as an Authorization header instead.
 */
function withoutCredentials(endpointUrl: string): { url: string; authorization?: string } {
  const url = new URL(endpointUrl);
  if (!url.username && !url.password) return { url: endpointUrl };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.href, authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}
