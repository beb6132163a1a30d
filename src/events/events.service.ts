import { Injectable } from '@nestjs/common';
import { ResourceMissingError } from '../common/errors/stripe-error.js';
import type { RequestContext } from '../common/http/request-context.js';
import { newId, nowSeconds } from '../common/ids.js';
import { paginate, toList } from '../common/pagination/paginate.js';
import { TransactionRunner, Tx } from '../database/transaction-runner.js';
import type { ListEventsDto } from './dto/list-events.dto.js';
import type { EventEntity } from './event.entity.js';
import { serializeEvent } from './event.serializer.js';
import type { EventType } from './event-types.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';

/**
 * Events are an outbox: `stage` writes the event and its deliveries inside the caller's unit of work,
 * so the change and its event commit together or not at all. Sending happens after the commit.
 */
@Injectable()
export class EventsService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  /**
   * `object` may be given as its JSON text when the caller has it already (the response it is about to
   * send): a charge is 2 KB of JSON, not worth writing twice.
   */
  stage(tx: Tx, ctx: RequestContext, type: EventType, object: object | string, previousAttributes?: Record<string, unknown>): string {
    const id = newId('evt', 24);
    const objectJson = typeof object === 'string' ? object : JSON.stringify(object);
    const data =
      previousAttributes && Object.keys(previousAttributes).length
        ? `{"object":${objectJson},"previous_attributes":${JSON.stringify(previousAttributes)}}`
        : `{"object":${objectJson}}`;
    tx.run(
      'INSERT INTO events (id, account, created, type, data, request_id, request_idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?)',
      id, ctx.account, nowSeconds(), type, data, ctx.requestId, ctx.idempotency?.key ?? null,
    );
    const staged = this.dispatcher.stageDeliveries(tx, ctx.account, id, type);
    if (staged) tx.afterCommit(() => this.dispatcher.wake());
    return id;
  }

  retrieve(account: string, id: string) {
    return this.db.read((tx) => {
      const row = tx.get<EventEntity>('SELECT * FROM events WHERE id = ? AND account = ?', id, account);
      if (!row) throw new ResourceMissingError('event', id);
      return this.serialize(tx, row);
    });
  }

  list(account: string, params: ListEventsDto) {
    return this.db.read((tx) => {
      const where: Array<[string, ...unknown[]]> = [];
      const types = [...(params.types ?? []), ...(params.type ? [params.type] : [])];
      if (types.length) {
        // `charge.*` matches every charge event, as in Stripe's filter: its prefix compared exactly (not a
        // LIKE pattern, where `%` and `_` would be wildcards too and case would not count).
        const clauses = types.map((t) => (t.endsWith('.*') ? 'substr(type, 1, ?) = ?' : 'type = ?'));
        const args = types.flatMap((t) => (t.endsWith('.*') ? [[...t].length - 1, t.slice(0, -1)] : [t]));
        where.push([`(${clauses.join(' OR ')})`, ...args]);
      }
      if (typeof params.delivery_success === 'boolean') {
        // An event with no webhook to deliver had all of its delivered, as Stripe counts them.
        const undelivered = "EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = events.id AND d.status <> 'succeeded')";
        where.push([params.delivery_success ? `NOT ${undelivered}` : undelivered]);
      }
      const { rows, hasMore } = paginate<EventEntity>(tx, { table: 'events', resource: 'event', account, where }, params);
      return toList('/v1/events', rows.map((row) => this.serialize(tx, row)), hasMore);
    });
  }

  private serialize(tx: Tx, row: EventEntity) {
    const pending = tx.get<{ n: number }>("SELECT count(*) AS n FROM webhook_deliveries WHERE event_id = ? AND status = 'pending'", row.id)!.n;
    return serializeEvent(row, pending);
  }
}
