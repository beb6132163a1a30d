import type { EventEntity } from './event.entity.js';
import { API_VERSION } from './event-types.js';

/** The Stripe.Event shape. */
export function serializeEvent(row: EventEntity, pendingWebhooks: number) {
  return {
    id: row.id,
    object: 'event' as const,
    api_version: API_VERSION,
    created: row.created,
    data: JSON.parse(row.data) as { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> },
    livemode: false,
    pending_webhooks: pendingWebhooks,
    request: { id: row.request_id, idempotency_key: row.request_idempotency_key },
    type: row.type,
  };
}
