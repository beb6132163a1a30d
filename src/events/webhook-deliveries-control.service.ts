import { Injectable } from '@nestjs/common';
import { ResourceMissingError } from '../common/errors/stripe-error.js';
import { toSeconds } from '../common/ids.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import type { ListDeliveriesDto } from './dto/list-deliveries.dto.js';
import type { ResendEventDto } from './dto/resend-event.dto.js';
import type { EventEntity } from './event.entity.js';
import type { WebhookAttemptEntity } from './webhook-attempt.entity.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';

/** What a workshop or a failing test wants to see: every delivery attempt, newest first. */
@Injectable()
export class WebhookDeliveriesControlService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  list(account: string, params: ListDeliveriesDto) {
    const rows = this.db.read((tx) =>
      tx.all<WebhookAttemptEntity & { delivery_status: string; type: string }>(
        `SELECT a.*, d.status AS delivery_status, e.type AS type
         FROM webhook_attempts a JOIN webhook_deliveries d ON d.seq = a.delivery_seq JOIN events e ON e.id = a.event_id
         WHERE a.account = ? ${params.event ? 'AND a.event_id = ?' : ''} ORDER BY a.seq DESC LIMIT ?`,
        ...[account, ...(params.event ? [params.event] : []), params.limit ?? 100],
      ),
    );
    const pending = this.db.read((tx) =>
      tx.all<{ event_id: string; endpoint_id: string; next_attempt_at: number; type: string }>(
        `SELECT d.event_id, d.endpoint_id, d.next_attempt_at, e.type FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
         WHERE d.account = ? AND d.status = 'pending' AND d.attempts = 0 ${params.event ? 'AND d.event_id = ?' : ''} ORDER BY d.seq DESC LIMIT 100`,
        ...[account, ...(params.event ? [params.event] : [])],
      ),
    );
    // Rows come newest first: the first one of a delivery is its latest attempt. Once the delivery is
    // over (succeeded, given up, or its endpoint deleted), no retry that attempt planned will happen.
    const seen = new Set<number>();
    const retryStillPlanned = (a: WebhookAttemptEntity & { delivery_status: string }) => {
      const latest = !seen.has(a.delivery_seq);
      seen.add(a.delivery_seq);
      return !latest || a.delivery_status === 'pending';
    };
    return {
      object: 'list' as const,
      url: '/_control/webhook_deliveries',
      has_more: false,
      // Deliveries not yet attempted show as attempt 0, so a test can see what is queued.
      data: [
        ...pending.map((p) => ({
          object: 'webhook_delivery_attempt' as const, event: p.event_id, type: p.type, endpoint: p.endpoint_id, attempt: 0,
          status_code: null, error: null, delivery_status: 'pending', next_retry: toSeconds(p.next_attempt_at), created: null,
        })),
        ...rows.map((a) => ({
          object: 'webhook_delivery_attempt' as const,
          event: a.event_id,
          type: a.type,
          endpoint: a.endpoint_id,
          attempt: a.attempt,
          status_code: a.status_code,
          error: a.error,
          delivery_status: a.delivery_status,
          next_retry: retryStillPlanned(a) ? toSeconds(a.next_retry_at) : null,
          created: toSeconds(a.created_at),
        })),
      ],
    };
  }

  resend(account: string, eventId: string, dto: ResendEventDto) {
    const staged = this.db.runNow((tx) => {
      const event = tx.get<EventEntity>('SELECT * FROM events WHERE id = ? AND account = ?', eventId, account);
      if (!event) throw new ResourceMissingError('event', eventId);
      if (dto.endpoint && !tx.get('SELECT 1 AS found FROM webhook_endpoints WHERE id = ? AND account = ? AND deleted = 0', dto.endpoint, account)) {
        throw new ResourceMissingError('webhook endpoint', dto.endpoint, 'endpoint');
      }
      return this.dispatcher.stageDeliveries(tx, account, event.id, event.type, dto.endpoint ?? undefined);
    });
    this.dispatcher.wake();
    return { object: 'resend', event: eventId, deliveries: staged };
  }
}
