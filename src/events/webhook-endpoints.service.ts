import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { InvalidRequestError, ParameterError, ResourceMissingError } from '../common/errors/stripe-error.js';
import { Messages } from '../common/errors/messages.js';
import { ApiResponse } from '../common/http/api-response.js';
import type { RequestContext } from '../common/http/request-context.js';
import { newId, nowSeconds } from '../common/ids.js';
import { paginate, toList } from '../common/pagination/paginate.js';
import type { ListWebhookEndpointsDto } from './dto/list-webhook-endpoints.dto.js';
import { mergeMetadata } from '../common/validation/metadata.js';
import { TransactionRunner, Tx } from '../database/transaction-runner.js';
import { AtomicPhaseRunner, respond } from '../idempotency/atomic-phase-runner.js';
import { RecoveryPoint } from '../idempotency/recovery-point.js';
import type { CreateWebhookEndpointDto, UpdateWebhookEndpointDto } from './dto/webhook-endpoint.dto.js';
import type { WebhookEndpointEntity } from './webhook-endpoint.entity.js';
import { percentDecodes } from '../common/http/percent-decoding.js';

/**
 * Stripe's cap per account (test mode). Beyond keeping parity, it bounds the work every event fans out
 * to: each endpoint is one more delivery queue.
 */
export const MAX_WEBHOOK_ENDPOINTS = 16;

/** The Stripe.WebhookEndpoint shape; the secret only when just created, as Stripe does. */
function serializeEndpoint(row: WebhookEndpointEntity, withSecret = false) {
  return {
    id: row.id,
    object: 'webhook_endpoint' as const,
    api_version: row.api_version,
    application: null,
    created: row.created,
    description: row.description,
    enabled_events: JSON.parse(row.enabled_events) as string[],
    livemode: false,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    ...(withSecret && { secret: row.secret }),
    status: row.status,
    url: row.url,
  };
}

@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly phases: AtomicPhaseRunner,
  ) {}

  create(ctx: RequestContext, dto: CreateWebhookEndpointDto): Promise<ApiResponse> {
    checkUrl(dto.url);
    return this.phases.run(ctx, {
      [RecoveryPoint.Started]: {
        atomic: (tx) => {
          // Counted in the unit that inserts: concurrent creates are serialised, so none slips past the cap.
          const { n } = tx.get<{ n: number }>('SELECT count(*) AS n FROM webhook_endpoints WHERE account = ? AND deleted = 0', ctx.account)!;
          if (n >= MAX_WEBHOOK_ENDPOINTS) throw new InvalidRequestError(Messages.tooManyWebhookEndpoints(MAX_WEBHOOK_ENDPOINTS));
          const row: WebhookEndpointEntity = {
            seq: 0,
            id: newId('we', 24),
            account: ctx.account,
            created: nowSeconds(),
            url: dto.url,
            enabled_events: JSON.stringify(dto.enabled_events),
            description: dto.description ?? null,
            api_version: dto.api_version ?? null,
            metadata: JSON.stringify(mergeMetadata({}, dto.metadata)),
            status: 'enabled',
            secret: `whsec_${randomBytes(24).toString('base64url')}`,
            deleted: false,
          };
          tx.run(
            'INSERT INTO webhook_endpoints (id, account, created, url, enabled_events, description, api_version, metadata, status, secret, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)',
            row.id, row.account, row.created, row.url, row.enabled_events, row.description, row.api_version, row.metadata, row.status, row.secret,
          );
          return respond(ApiResponse.ok(serializeEndpoint(row, true)));
        },
      },
    });
  }

  retrieve(account: string, id: string) {
    return serializeEndpoint(this.db.read((tx) => this.mustFind(tx, account, id)));
  }

  update(ctx: RequestContext, id: string, dto: UpdateWebhookEndpointDto): Promise<ApiResponse> {
    if (dto.url) checkUrl(dto.url);
    return this.phases.run(ctx, {
      [RecoveryPoint.Started]: {
        atomic: (tx) => {
          const row = this.mustFind(tx, ctx.account, id);
          const updated: WebhookEndpointEntity = {
            ...row,
            url: dto.url ?? row.url,
            enabled_events: dto.enabled_events ? JSON.stringify(dto.enabled_events) : row.enabled_events,
            description: dto.description === undefined ? row.description : dto.description,
            metadata: JSON.stringify(mergeMetadata(JSON.parse(row.metadata), dto.metadata)),
            status: dto.disabled === undefined || dto.disabled === null ? row.status : dto.disabled ? 'disabled' : 'enabled',
          };
          tx.run(
            'UPDATE webhook_endpoints SET url = ?, enabled_events = ?, description = ?, metadata = ?, status = ? WHERE id = ?',
            updated.url, updated.enabled_events, updated.description, updated.metadata, updated.status, id,
          );
          return respond(ApiResponse.ok(serializeEndpoint(updated)));
        },
      },
    });
  }

  delete(ctx: RequestContext, id: string): Promise<ApiResponse> {
    return this.phases.run(ctx, {
      [RecoveryPoint.Started]: {
        atomic: (tx) => {
          this.mustFind(tx, ctx.account, id);
          tx.run('UPDATE webhook_endpoints SET deleted = 1 WHERE id = ?', id);
          // Nothing more is owed to an endpoint that no longer exists.
          tx.run("UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint deleted' WHERE endpoint_id = ? AND status = 'pending'", id);
          return respond(ApiResponse.ok({ id, object: 'webhook_endpoint', deleted: true }));
        },
      },
    });
  }

  list(account: string, params: ListWebhookEndpointsDto) {
    const { rows, hasMore } = this.db.read((tx) =>
      paginate<WebhookEndpointEntity>(tx, { table: 'webhook_endpoints', resource: 'webhook endpoint', account, where: [['deleted = 0']] }, params),
    );
    return toList('/v1/webhook_endpoints', rows.map((row) => serializeEndpoint(row)), hasMore);
  }

  private mustFind(tx: Tx, account: string, id: string): WebhookEndpointEntity {
    const row = tx.get<WebhookEndpointEntity>('SELECT * FROM webhook_endpoints WHERE id = ? AND account = ? AND deleted = 0', id, account);
    if (!row) throw new ResourceMissingError('webhook endpoint', id);
    return row;
  }
}

function checkUrl(url: string): void {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    /* reported below */
  }
  // Credentials are sent decoded (WebhookDispatcher): ones that do not decode could never be delivered to.
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || !percentDecodes(parsed.username) || !percentDecodes(parsed.password)) {
    throw new ParameterError(Messages.invalidUrl(url), 'url', 'url_invalid');
  }
}

