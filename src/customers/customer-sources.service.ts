import { Injectable } from '@nestjs/common';
import { ParameterError } from '../common/errors/stripe-error.js';
import { Messages } from '../common/errors/messages.js';
import { ApiResponse } from '../common/http/api-response.js';
import type { RequestContext } from '../common/http/request-context.js';
import { toList } from '../common/pagination/paginate.js';
import type { ListSourcesDto } from './dto/list-sources.dto.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { AtomicPhaseRunner, respond } from '../idempotency/atomic-phase-runner.js';
import { RecoveryPoint } from '../idempotency/recovery-point.js';
import { CardsRepository } from '../cards/cards.repository.js';
import { CardsService } from '../cards/cards.service.js';
import { serializeCard } from '../cards/card.serializer.js';
import { EventsService } from '../events/events.service.js';
import { CustomersService } from './customers.service.js';
import type { CreateSourceDto } from './dto/create-source.dto.js';
import type { UpdateSourceDto } from './dto/update-source.dto.js';
import { mergeMetadata } from '../common/validation/metadata.js';
import { previousAttributes } from '../events/previous-attributes.js';

/** A customer's saved cards. The first one becomes the default; deleting the default promotes the newest left. */
@Injectable()
export class CustomerSourcesService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly phases: AtomicPhaseRunner,
    private readonly customers: CustomersService,
    private readonly cards: CardsService,
    private readonly cardRows: CardsRepository,
    private readonly events: EventsService,
  ) {}

  create(ctx: RequestContext, customerId: string, dto: CreateSourceDto): Promise<ApiResponse> {
    const input = this.cards.parseSource(dto.source, null);
    if (input?.kind !== 'token') throw new ParameterError(Messages.sourceMustBeToken(), 'source');
    this.cards.checkAttachable(input);
    return this.phases.run(ctx, {
      [RecoveryPoint.Started]: {
        atomic: (tx) => {
          const customer = this.customers.findLive(tx, ctx.account, customerId);
          const card = this.cards.create(tx, ctx.account, input, customer.id, mergeMetadata({}, dto.metadata));
          const source = serializeCard(card);
          this.events.stage(tx, ctx, 'customer.source.created', source);
          if (!customer.default_source) this.customers.changeCards(tx, ctx, customer, { default_source: card.id });
          return respond(ApiResponse.ok(source));
        },
      },
    });
  }

  list(account: string, customerId: string, params: ListSourcesDto) {
    return this.db.read((tx) => {
      this.customers.findLive(tx, account, customerId);
      if (params.object && params.object !== 'card') return toList(`/v1/customers/${customerId}/sources`, [], false);
      const { rows, hasMore } = this.cardRows.listForCustomer(tx, account, customerId, params);
      return toList(`/v1/customers/${customerId}/sources`, rows.map(serializeCard), hasMore);
    });
  }

  retrieve(account: string, customerId: string, cardId: string) {
    return this.db.read((tx) => {
      this.customers.findLive(tx, account, customerId);
      return serializeCard(this.cards.findAttached(tx, account, cardId, customerId));
    });
  }

  update(ctx: RequestContext, customerId: string, cardId: string, dto: UpdateSourceDto): Promise<ApiResponse> {
    const { expand: _, ...changes } = dto;
    return this.phases.run(ctx, {
      [RecoveryPoint.Started]: {
        atomic: (tx) => {
          const customer = this.customers.findLive(tx, ctx.account, customerId);
          const card = this.cards.findAttached(tx, ctx.account, cardId, customer.id);
          const before = serializeCard(card);
          const after = serializeCard(this.cards.update(tx, card, changes));
          const changed = previousAttributes(before, after);
          if (Object.keys(changed).length) this.events.stage(tx, ctx, 'customer.source.updated', after, changed);
          return respond(ApiResponse.ok(after));
        },
      },
    });
  }

  delete(ctx: RequestContext, customerId: string, cardId: string): Promise<ApiResponse> {
    return this.phases.run(ctx, {
      [RecoveryPoint.Started]: {
        atomic: (tx) => {
          const customer = this.customers.findLive(tx, ctx.account, customerId);
          const card = this.cards.findAttached(tx, ctx.account, cardId, customer.id);
          const changes = this.customers.detachCard(tx, ctx, customer, card);
          if (customer.default_source === card.id) changes.default_source = this.cardRows.newestOf(tx, ctx.account, customer.id)?.id ?? null;
          if (Object.keys(changes).length) this.customers.changeCards(tx, ctx, customer, changes);
          return respond(ApiResponse.ok({ id: card.id, object: 'card', customer: customer.id, deleted: true }));
        },
      },
    });
  }
}
