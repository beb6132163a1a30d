import { CustomerEntity } from '../customers/customer.entity.js';
import { IdempotencyKeyEntity } from '../idempotency/idempotency-key.entity.js';
import { CardEntity } from '../cards/card.entity.js';
import { CardNetworkOperationEntity } from '../card-network/card-network-operation.entity.js';
import { ChargeEntity } from '../charges/charge.entity.js';
import { RefundEntity } from '../refunds/refund.entity.js';
import { EventEntity } from '../events/event.entity.js';
import { WebhookAttemptEntity } from '../events/webhook-attempt.entity.js';
import { WebhookDeliveryEntity } from '../events/webhook-delivery.entity.js';
import { WebhookEndpointEntity } from '../events/webhook-endpoint.entity.js';

/** Every table TypeORM knows; migrations must create exactly these (test/schema.spec.ts checks). */
export const ENTITIES = [IdempotencyKeyEntity, CustomerEntity, CardEntity, ChargeEntity, RefundEntity, CardNetworkOperationEntity, EventEntity, WebhookEndpointEntity, WebhookDeliveryEntity, WebhookAttemptEntity];
