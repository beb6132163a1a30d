import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { TransactionRunner, Tx } from '../database/transaction-runner.js';
import type { EventEntity } from './event.entity.js';
import { serializeEvent } from './event.serializer.js';
import type { WebhookDeliveryEntity } from './webhook-delivery.entity.js';
import type { WebhookEndpointEntity } from './webhook-endpoint.entity.js';
import { signatureHeader } from './webhook-signature.js';

/**
 * Deliveries in flight at once to one endpoint: a slow or silent endpoint holds up to this many slots
 * until they time out, and never another endpoint's deliveries.
 */
const PER_ENDPOINT = 4;
/** …and to one account's endpoints together: an account with several silent endpoints never holds up another account. */
const PER_ACCOUNT = 16;
/** A bound on open connections over all accounts; high enough that only a runaway backlog meets it. */
const MAX_IN_FLIGHT = 256;

interface Due {
  delivery: WebhookDeliveryEntity;
  endpoint: WebhookEndpointEntity;
  payload: string;
}

/**
 * Sends staged deliveries, signed, after their transaction committed. HTTP never happens inside a
 * unit of work and never on the request that caused the event. A failure (non-2xx — a 3xx included,
 * network error, timeout) is retried after WEBHOOK_RETRY_BASE_MS × 2^(attempt-1), up to WEBHOOK_MAX_ATTEMPTS.
 * Each endpoint is a lane of at most PER_ENDPOINT deliveries in flight (PER_ACCOUNT for an account's
 * endpoints together), and a finished delivery frees its slot at once: nothing waits for a slower
 * delivery to another endpoint, or another account's.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookDispatcher');
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** A pump is queued for the next turn (one, however many wakes asked for it). */
  private pumpQueued = false;
  private readonly sending = new Set<Promise<void>>();
  /** One per delivery in flight, aborted when the server stops (see onApplicationShutdown). */
  private readonly inFlight = new Set<AbortController>();
  /** Deliveries in flight per endpoint id, and per account. */
  private readonly lanes = new Map<string, number>();
  private readonly accounts = new Map<string, number>();

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

  /**
   * Deliveries in flight are cut short rather than waited for (up to WEBHOOK_TIMEOUT_MS each, on a silent
   * endpoint): no attempt is counted, and each is left due, so the next start sends it again at once.
   * An endpoint that got it before the cut receives it twice, as webhooks allow (events carry their id).
   */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const controller of this.inFlight) controller.abort();
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

  /** Fills the free slots with due deliveries, each endpoint up to its lane's width. */
  private pump(): void {
    // Writes refused (the database file is gone, logged once): claiming would fail on every tick.
    if (this.stopped || this.db.refusesWrites || this.sending.size >= MAX_IN_FLIGHT) return;
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
    const { endpoint_id: endpoint, account } = due.delivery;
    bump(this.lanes, endpoint, 1);
    bump(this.accounts, account, 1);
    const sent: Promise<void> = this.attempt(due)
      .catch((error) => this.logger.error('webhook delivery failed unexpectedly', (error as Error).stack))
      .finally(() => {
        bump(this.lanes, endpoint, -1);
        bump(this.accounts, account, -1);
        this.sending.delete(sent);
        this.wake();
      });
    this.sending.add(sent);
  }

  /**
   * Leases up to `slots` due deliveries, oldest first, each endpoint and account up to what it has free,
   * by pushing their next attempt past the timeout, so that no later pump takes them again.
   */
  private claimDue(slots: number): Due[] {
    const now = Date.now();
    return this.db.runNow((tx) => {
      // Endpoint by endpoint, along webhook_deliveries_lanes: the endpoints with pending deliveries in
      // one seek each, then each one's oldest due ones. A silent endpoint with thousands waiting costs
      // what one with four does, and never hides the others' deliveries behind its own.
      const endpoints = tx.all<{ endpoint_id: string }>(
        `WITH RECURSIVE lane(endpoint_id) AS (
           SELECT (SELECT endpoint_id FROM webhook_deliveries WHERE status = 'pending' ORDER BY endpoint_id LIMIT 1)
           UNION ALL
           SELECT (SELECT endpoint_id FROM webhook_deliveries WHERE status = 'pending' AND endpoint_id > lane.endpoint_id ORDER BY endpoint_id LIMIT 1)
           FROM lane WHERE lane.endpoint_id IS NOT NULL)
         SELECT endpoint_id FROM lane WHERE endpoint_id IS NOT NULL`,
      );
      const candidates: Array<WebhookDeliveryEntity & { ep: string }> = [];
      for (const { endpoint_id } of endpoints) {
        const free = PER_ENDPOINT - (this.lanes.get(endpoint_id) ?? 0);
        if (free <= 0) continue;
        candidates.push(
          ...tx.all<WebhookDeliveryEntity & { ep: string }>(
            `SELECT d.*, json_object('id', e.id, 'url', e.url, 'secret', e.secret) AS ep
             FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.deleted = 0 AND e.status = 'enabled'
             WHERE d.status = 'pending' AND d.endpoint_id = ? AND d.next_attempt_at <= ?
             ORDER BY d.next_attempt_at, d.seq LIMIT ${free}`,
            endpoint_id, now,
          ),
        );
      }
      candidates.sort((a, b) => a.next_attempt_at! - b.next_attempt_at! || a.seq - b.seq);
      const claimed: Due[] = [];
      const taken = new Map<string, number>();
      for (const row of candidates) {
        if (claimed.length >= slots) break;
        if ((this.accounts.get(row.account) ?? 0) + (taken.get(row.account) ?? 0) >= PER_ACCOUNT) continue;
        bump(taken, row.account, 1);
        tx.run('UPDATE webhook_deliveries SET next_attempt_at = ? WHERE seq = ?', now + this.config.webhookTimeoutMs + 1000, row.seq);
        const event = tx.get<EventEntity>('SELECT * FROM events WHERE id = ?', row.event_id)!;
        const pending = tx.get<{ n: number }>("SELECT count(*) AS n FROM webhook_deliveries WHERE event_id = ? AND status = 'pending'", row.event_id)!.n;
        const { ep, ...delivery } = row;
        claimed.push({ delivery, endpoint: JSON.parse(ep), payload: JSON.stringify(serializeEvent(event, pending)) });
      }
      return claimed;
    });
  }

  private async attempt({ delivery, endpoint, payload }: Due): Promise<void> {
    let statusCode: number | null = null;
    let error: string | null = null;
    const cut = new AbortController();
    const timeout = setTimeout(() => cut.abort(new DOMException('timed out', 'TimeoutError')), this.config.webhookTimeoutMs);
    this.inFlight.add(cut);
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
        // Its own signal, not AbortSignal.any with one shared by every delivery: on Node 20 each call
        // would leave an entry on the shared one for good (nodejs/node#55351).
        signal: cut.signal,
      });
      statusCode = response.status;
      await response.arrayBuffer().catch(() => undefined);
      if (statusCode >= 300 && statusCode < 400) error = `endpoint answered ${statusCode} (redirects are not followed)`;
      else if (statusCode < 200 || statusCode >= 300) error = `endpoint answered ${statusCode}`;
    } catch (failure) {
      if (this.stopped) return this.release(delivery);
      const cause = (failure as { cause?: { code?: string } }).cause;
      error = (failure as Error).name === 'TimeoutError' ? `timed out after ${this.config.webhookTimeoutMs} ms` : (cause?.code ?? (failure as Error).message);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(cut);
    }
    this.record(delivery, statusCode, error);
  }

  /** Gives back a delivery's lease (claimDue's), unattempted, for the next process to send at once. */
  private release(delivery: WebhookDeliveryEntity): void {
    this.db.runNow((tx) => tx.run("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE seq = ? AND status = 'pending'", Date.now(), delivery.seq));
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

function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n) counts.set(key, n);
  else counts.delete(key);
}
