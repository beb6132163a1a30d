import { Injectable } from '@nestjs/common';
import { ParameterError, ResourceMissingError } from '../common/errors/stripe-error.js';
import { Messages } from '../common/errors/messages.js';
import { serializeCard } from '../cards/card.serializer.js';
import { CardsRepository } from '../cards/cards.repository.js';
import type { CardEntity } from '../cards/card.entity.js';
import { CardsService } from '../cards/cards.service.js';
import { EventsService } from '../events/events.service.js';
import { previousAttributes } from '../events/previous-attributes.js';
import { ApiResponse } from '../common/http/api-response.js';
import type { RequestContext } from '../common/http/request-context.js';
import { newId, nowSeconds } from '../common/ids.js';
import { toList } from '../common/pagination/paginate.js';
import { toAddress, toShipping } from '../common/validation/address.dto.js';
import { mergeMetadata } from '../common/validation/metadata.js';
import { TransactionRunner, Tx } from '../database/transaction-runner.js';
import { AtomicPhaseRunner, respond } from '../idempotency/atomic-phase-runner.js';
import { RecoveryPoint } from '../idempotency/recovery-point.js';
import type { CustomerEntity } from './customer.entity.js';
import { serializeCustomer, serializeDeletedCustomer } from './customer.serializer.js';
import { CustomersRepository, CustomerRow } from './customers.repository.js';
import type { CreateCustomerDto } from './dto/create-customer.dto.js';
import type { ListCustomersDto } from './dto/list-customers.dto.js';
import type { UpdateCustomerDto } from './dto/update-customer.dto.js';
import { applyInvoiceSettings, NO_INVOICE_SETTINGS } from './invoice-settings.js';
import { EMPTY_CUSTOMER_LISTS, planCustomerExpand } from './customer-expand.js';
import type { ExpandTree } from '../common/expand/expand-paths.js';
import type { ListParamsDto } from '../common/pagination/list-params.dto.js';

/** What a customer changes when its cards do: the default source, the invoices' default. */
export type CardChanges = Partial<Pick<CustomerEntity, 'default_source' | 'invoice_default_payment_method'>>;

/** Customers change in one atomic phase: `started → finished`, the write and the stored answer together. */
@Injectable()
export class CustomersService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly phases: AtomicPhaseRunner,
    private readonly customers: CustomersRepository,
    private readonly cards: CardsService,
    private readonly cardRows: CardsRepository,
    private readonly events: EventsService,
  ) {}

  create(ctx: RequestContext, dto: CreateCustomerDto): Promise<ApiResponse> {
    const source = this.tokenOnly(dto.source);
    const expand = planCustomerExpand(dto.expand);
    return this.phases.run(ctx, {
      [RecoveryPoint.Started]: {
        atomic: (tx) => {
          const row: CustomerRow = {
            id: newId('cus', 14),
            account: ctx.account,
            created: nowSeconds(),
            email: dto.email ?? null,
            name: dto.name ?? null,
            business_name: dto.business_name || null,
            individual_name: dto.individual_name || null,
            description: dto.description ?? null,
            phone: dto.phone ?? null,
            metadata: JSON.stringify(mergeMetadata({}, dto.metadata)),
            preferred_locales: JSON.stringify(dto.preferred_locales ?? []),
            address: dto.address ? JSON.stringify(toAddress(dto.address)) : null,
            shipping: dto.shipping ? JSON.stringify(toShipping(dto.shipping)) : null,
            balance: dto.balance ?? 0,
            currency: null,
            default_source: null,
            invoice_prefix: dto.invoice_prefix ?? newId('x', 8).slice(2).toUpperCase(),
            tax_exempt: dto.tax_exempt ?? 'none',
            next_invoice_sequence: dto.next_invoice_sequence ?? 1,
            ...applyInvoiceSettings(NO_INVOICE_SETTINGS, dto.invoice_settings),
            deleted: false,
          };
          // A new customer has no cards the client could name yet (one from `source` gets a fresh id).
          this.checkInvoicePaymentMethod(tx, ctx.account, row.id, dto);
          const card = source ? this.cards.create(tx, ctx.account, source, row.id) : null;
          row.default_source = card?.id ?? null;
          this.customers.insert(tx, row);
          const customer = serializeCustomer({ seq: 0, ...row });
          const response = ApiResponse.ok(customer);
          this.events.stage(tx, ctx, 'customer.created', response.body);
          if (card) this.events.stage(tx, ctx, 'customer.source.created', serializeCard(card));
          return respond(expand ? ApiResponse.ok(this.expanded(tx, ctx.account, customer, expand)) : response);
        },
      },
    });
  }

  retrieve(account: string, id: string, expandParam?: unknown) {
    const expand = planCustomerExpand(expandParam);
    return this.db.read((tx) => {
      const customer = this.shown(tx, account, id);
      if (!customer) throw new ResourceMissingError('customer', id);
      return 'deleted' in customer ? customer : this.expanded(tx, account, customer, expand);
    });
  }

  /**
   * The customer as an answer shows it when the request expands `default_source` (its card in place of
   * the id), `sources` (its first page of cards), `subscriptions` or `tax_ids` (empty lists). Only
   * answers: events keep the ids.
   */
  private expanded(tx: Tx, account: string, customer: ReturnType<typeof serializeCustomer>, expand: ExpandTree | null) {
    if (!expand) return customer;
    const shown: Record<string, unknown> = { ...customer };
    if (expand.has('default_source') && customer.default_source) {
      const card = this.cardRows.find(tx, account, customer.default_source);
      if (card && !card.deleted) shown.default_source = serializeCard(card);
    }
    if (expand.has('sources')) {
      const { rows, hasMore } = this.cardRows.listForCustomer(tx, account, customer.id, {} as ListParamsDto);
      shown.sources = toList(`/v1/customers/${customer.id}/sources`, rows.map(serializeCard), hasMore);
    }
    for (const field of EMPTY_CUSTOMER_LISTS) {
      if (expand.has(field)) shown[field] = toList(`/v1/customers/${customer.id}/${field}`, [], false);
    }
    return shown;
  }

  /**
   * The customer as retrieve answers it, or undefined if the account has none by that id. Also what an
   * expanded `customer` field holds (a charge keeps its customer's id after the customer is deleted).
   */
  shown(tx: Tx, account: string, id: string) {
    const row = this.customers.find(tx, account, id);
    if (!row) return undefined;
    // Stripe answers a deleted customer's id with its deleted stub rather than a 404.
    return row.deleted ? serializeDeletedCustomer(row.id) : serializeCustomer(row);
  }

  update(ctx: RequestContext, id: string, dto: UpdateCustomerDto): Promise<ApiResponse> {
    const source = this.tokenOnly(dto.source);
    const expand = planCustomerExpand(dto.expand);
    return this.phases.run(ctx, {
      [RecoveryPoint.Started]: {
        atomic: (tx) => {
          const row = this.findLive(tx, ctx.account, id);
          const updated: CustomerEntity = {
            ...row,
            ...pick(dto, ['email', 'name', 'description', 'phone']),
            // Sent empty, unset: the customer no longer shows the field.
            business_name: dto.business_name === undefined ? row.business_name : dto.business_name || null,
            individual_name: dto.individual_name === undefined ? row.individual_name : dto.individual_name || null,
            balance: dto.balance === undefined ? row.balance : (dto.balance ?? 0),
            invoice_prefix: dto.invoice_prefix || row.invoice_prefix,
            metadata: JSON.stringify(mergeMetadata(JSON.parse(row.metadata), dto.metadata)),
            // Unset, a customer is taxed as one that never had a status: `none`.
            tax_exempt: dto.tax_exempt === undefined ? row.tax_exempt : (dto.tax_exempt ?? 'none'),
            next_invoice_sequence: dto.next_invoice_sequence ?? row.next_invoice_sequence,
            ...applyInvoiceSettings(row, dto.invoice_settings),
          };
          this.checkInvoicePaymentMethod(tx, ctx.account, row.id, dto);
          if (dto.preferred_locales !== undefined) updated.preferred_locales = JSON.stringify(dto.preferred_locales ?? []);
          if (dto.address !== undefined) updated.address = dto.address ? JSON.stringify(toAddress(dto.address)) : null;
          if (dto.shipping !== undefined) updated.shipping = dto.shipping ? JSON.stringify(toShipping(dto.shipping)) : null;
          // Stripe: `source` adds a card, makes it the default and deletes the old default; `default_source`
          // picks an attached one, and is checked (and wins) when both come together.
          const chosen = dto.default_source ? this.cards.findUsable(tx, ctx.account, dto.default_source, row.id, 'default_source').id : null;
          if (source) {
            const card = this.cards.create(tx, ctx.account, source, row.id);
            updated.default_source = card.id;
            this.events.stage(tx, ctx, 'customer.source.created', serializeCard(card));
          }
          if (chosen) updated.default_source = chosen;
          if (source) this.deleteReplacedDefault(tx, ctx, row, updated);
          this.customers.update(tx, updated);
          const before = serializeCustomer(row);
          const after = serializeCustomer(updated);
          const changed = previousAttributes(before, after);
          if (Object.keys(changed).length) this.events.stage(tx, ctx, 'customer.updated', after, changed);
          return respond(ApiResponse.ok(this.expanded(tx, ctx.account, after, expand)));
        },
      },
    });
  }

  delete(ctx: RequestContext, id: string): Promise<ApiResponse> {
    return this.phases.run(ctx, {
      [RecoveryPoint.Started]: {
        atomic: (tx) => {
          const row = this.findLive(tx, ctx.account, id);
          this.customers.update(tx, { ...row, deleted: true });
          this.cardRows.markCustomersDeleted(tx, ctx.account, row.id);
          this.events.stage(tx, ctx, 'customer.deleted', serializeCustomer(row));
          return respond(ApiResponse.ok(serializeDeletedCustomer(row.id)));
        },
      },
    });
  }

  list(account: string, params: ListCustomersDto) {
    const expand = planCustomerExpand(params.expand, true);
    return this.db.read((tx) => {
      const { rows, hasMore } = this.customers.list(tx, account, params);
      return toList('/v1/customers', rows.map((row) => this.expanded(tx, account, serializeCustomer(row), expand)), hasMore);
    });
  }

  /** Customers take new cards as tokens; a `card_…` id belongs to someone already. */
  private tokenOnly(source: string | null | undefined) {
    const input = this.cards.parseSource(source, null);
    if (input?.kind === 'existing') throw new ParameterError(Messages.attachWithDefaultSource(input.id), 'source');
    this.cards.checkAttachable(input);
    return input;
  }

  /**
   * Invoices can only default to a card the customer has: Stripe's PaymentMethods must be attached first,
   * and oncepay's only payment methods are the customer's cards (`card_…`).
   */
  private checkInvoicePaymentMethod(tx: Tx, account: string, customerId: string, dto: CreateCustomerDto): void {
    const id = dto.invoice_settings?.default_payment_method;
    if (id && !this.cards.isAttached(tx, account, id, customerId)) {
      throw new ParameterError(Messages.paymentMethodNotAttached(id), 'invoice_settings[default_payment_method]', 'resource_missing');
    }
  }

  /**
   * The card a `source` update replaced: the old default, unless the same request kept it as `default_source`.
   * Deleted in the update's own phase, so a keyed retry replays the answer and never deletes a second card.
   */
  private deleteReplacedDefault(tx: Tx, ctx: RequestContext, before: CustomerEntity, updated: CustomerEntity): void {
    const old = before.default_source ? this.cardRows.find(tx, ctx.account, before.default_source) : undefined;
    if (!old || old.deleted || old.id === updated.default_source) return;
    Object.assign(updated, this.detachCard(tx, ctx, updated, old));
  }

  /**
   * Deletes one of the customer's cards inside the caller's phase, announced as `customer.source.deleted`
   * (a source delete, or the default a `source` update replaced). Returns what the customer must change
   * with it: a detached card cannot stay the invoices' default, as a detached PaymentMethod cannot in Stripe.
   */
  detachCard(tx: Tx, ctx: RequestContext, customer: CustomerEntity, card: CardEntity): CardChanges {
    this.cardRows.markDeleted(tx, ctx.account, card.id);
    this.events.stage(tx, ctx, 'customer.source.deleted', serializeCard(card));
    return customer.invoice_default_payment_method === card.id ? { invoice_default_payment_method: null } : {};
  }

  /**
   * Changes which of its cards the customer uses (a new default source, or none for invoices once that card
   * is detached), and tells webhooks (`customer.updated`) as Stripe does.
   */
  changeCards(
    tx: Tx,
    ctx: RequestContext,
    customer: CustomerEntity,
    changes: CardChanges,
  ): void {
    const updated = { ...customer, ...changes };
    this.customers.update(tx, updated);
    const after = serializeCustomer(updated);
    this.events.stage(tx, ctx, 'customer.updated', after, previousAttributes(serializeCustomer(customer), after));
  }

  /** A list oncepay has nothing to put in (EMPTY_CUSTOMER_LISTS) of a customer that exists. */
  emptyList(account: string, id: string, list: string) {
    this.db.read((tx) => this.findLive(tx, account, id));
    return toList(`/v1/customers/${id}/${list}`, [], false);
  }

  /** A customer that exists and is not deleted, or the 404 Stripe gives for both cases. */
  findLive(tx: Tx, account: string, id: string, param = 'id'): CustomerEntity {
    const row = this.customers.find(tx, account, id);
    if (!row || row.deleted) throw new ResourceMissingError('customer', id, param);
    return row;
  }
}

/** The fields the client sent (undefined ones are left alone; null means unset). */
function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
