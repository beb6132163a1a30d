import { Injectable } from '@nestjs/common';
import { CardError, InvalidRequestError, ObjectBusyError, ParameterError, ResourceMissingError } from '../common/errors/stripe-error.js';
import { Messages } from '../common/errors/messages.js';
import { ApiResponse } from '../common/http/api-response.js';
import type { RequestContext } from '../common/http/request-context.js';
import { newId, nowSeconds } from '../common/ids.js';
import { toShipping } from '../common/validation/address.dto.js';
import { mergeMetadata } from '../common/validation/metadata.js';
import type { ExpandTree } from '../common/expand/expand-paths.js';
import { TransactionRunner, Tx } from '../database/transaction-runner.js';
import { AtomicPhaseRunner, advance, respond, type PhasePlan } from '../idempotency/atomic-phase-runner.js';
import { RecoveryPoint } from '../idempotency/recovery-point.js';
import { balanceTransactionIdOf } from '../balance-transactions/balance-transaction.serializer.js';
import { InFlight } from '../idempotency/resumable-endpoints.js';
import { CardNetworkClient } from '../card-network/card-network.client.js';
import type { Authorization } from '../card-network/simulated-card-network.js';
import { declineParam } from '../card-network/test-cards.js';
import { CardsRepository } from '../cards/cards.repository.js';
import type { CardEntity } from '../cards/card.entity.js';
import { CardsService, type CardInput } from '../cards/cards.service.js';
import { serializeCard, serializeCardDetails } from '../cards/card.serializer.js';
import { CustomersService } from '../customers/customers.service.js';
import { RefundsRepository } from '../refunds/refunds.repository.js';
import { EventsService } from '../events/events.service.js';
import { previousAttributes } from '../events/previous-attributes.js';
import type { ChargeEntity } from './charge.entity.js';
import { ChargeExpander } from './charge-expander.js';
import { outcomeOf } from './charge-outcome.js';
import { serializeCharge, type StripeCharge } from './charge.serializer.js';
import { ChargeJsonCache } from './charge-json.cache.js';
import { ChargesRepository } from './charges.repository.js';
import { MAX_AMOUNT, PRESENTMENT_CURRENCIES, endsAsStripeRequires, formatMoney, isPresentmentCurrency, minimumAmount } from './currencies.js';
import type { CaptureChargeDto } from './dto/capture-charge.dto.js';
import type { CreateChargeDto } from './dto/create-charge.dto.js';
import type { ListChargesDto } from './dto/list-charges.dto.js';
import type { UpdateChargeDto } from './dto/update-charge.dto.js';

/**
 * A charge moves money in a foreign system (the card network), so it cannot be one transaction. It runs
 * as atomic phases with recovery points (DESIGN.md):
 *
 *   started ──create pending charge──▶ charge_created ──card network──▶ payment_processed ──answer──▶ finished
 *
 * The network is called between two commits, never inside a transaction, and it is idempotent on the
 * charge id: a resumed request asks again and gets the authorization already made.
 */
@Injectable()
export class ChargesService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly phases: AtomicPhaseRunner,
    private readonly charges: ChargesRepository,
    private readonly refunds: RefundsRepository,
    private readonly cards: CardsService,
    private readonly cardRows: CardsRepository,
    private readonly customers: CustomersService,
    private readonly network: CardNetworkClient,
    private readonly events: EventsService,
    private readonly json: ChargeJsonCache,
    private readonly expander: ChargeExpander,
  ) {}

  /** Keyless charges being worked on by a request right now: the completer must not take them too. */
  readonly keylessInFlight = new InFlight();

  create(ctx: RequestContext, dto: CreateChargeDto): Promise<ApiResponse> {
    // Checked before any work: a refused path must leave no charge behind (and the key free).
    const expand = this.expander.plan(dto.expand);
    // A retry (or the completer) resuming past `started`: the charge exists with its amount and card, and
    // the phases after it read them from there. Checking the params again could refuse what was accepted
    // then (a card that has expired since), answering an error for a charge the network has authorized.
    if (ctx.idempotency && ctx.idempotency.recoveryPoint !== RecoveryPoint.Started) return this.phases.run(ctx, this.afterCreation(ctx, expand));
    const currency = checkAmount(dto.amount, dto.currency);
    const sourceHash = typeof dto.source === 'object' && dto.source ? dto.source : null;
    const input = this.cards.parseSource(typeof dto.source === 'string' ? dto.source : null, sourceHash ?? dto.card);
    if (!input && !dto.customer) throw new ParameterError(Messages.sourceOrCustomerRequired(), 'source', 'parameter_missing');

    let keylessId: string | null = null;
    let created: Created | undefined;
    return this.phases
      .run(ctx, {
        [RecoveryPoint.Started]: {
          atomic: (tx) => {
            created = this.createPending(tx, ctx, dto, currency, input);
            // After the commit, not in the unit: a unit may run twice, and only this run's id is real.
            const id = created.charge.id;
            if (!ctx.idempotency) tx.afterCommit(() => this.keylessInFlight.set(ctx.account, (keylessId = id), true));
            return advance(RecoveryPoint.ChargeCreated, created.charge.id);
          },
        },
        ...this.afterCreation(ctx, expand, () => created),
      })
      .finally(() => keylessId && this.keylessInFlight.delete(ctx.account, keylessId));
  }

  /**
   * Finishes a charge a keyless request left unfinished (its process crashed, or the network's answer
   * was lost): there is no key to resume from, so the completer resumes from the charge itself. A
   * charge still pending asks the network; one already decided only owes its event and answer.
   */
  resumeKeyless(ctx: RequestContext, chargeId: string): Promise<ApiResponse> {
    const charge = this.db.read((tx) => this.mustFind(tx, ctx.account, chargeId));
    const recoveryPoint = charge.status === 'pending' ? RecoveryPoint.ChargeCreated : RecoveryPoint.PaymentProcessed;
    // Nobody waits for this answer: nothing to expand.
    return this.phases.run(ctx, this.afterCreation(ctx, null), { recoveryPoint, resourceId: chargeId });
  }

  /** Charges a keyless request left unfinished. */
  findKeylessUnfinished(tx: Tx, createdBefore: number, limit: number): Array<{ account: string; id: string }> {
    return tx.all('SELECT account, id FROM charges WHERE unfinished = 1 AND keyed = 0 AND created < ? ORDER BY created LIMIT ?', createdBefore, limit);
  }

  /**
   * The phases after the pending charge exists: the same for a request and for a resumption. `created`
   * is what this request's first phase committed, if it ran: the network is asked with the amount and
   * the card the charge was created with, so a request that just wrote them need not read them back.
   */
  private afterCreation(ctx: RequestContext, expand: ExpandTree | null, created: () => Created | undefined = () => undefined): PhasePlan {
    // The charge as this request's `payment_processed` commit left it. Nothing else may change a charge
    // while it is unfinished (capture, update and refunds refuse it), so the finishing phase starts from
    // this rather than reading it back; clearing `unfinished` there still finds out if a reset deleted it.
    let decided: ChargeEntity | undefined;
    return {
      [RecoveryPoint.ChargeCreated]: {
        foreign: async (state) => {
          const { charge, card } =
            created() ??
            this.db.read((tx) => {
              const found = this.mustFind(tx, ctx.account, state.resourceId!);
              return { charge: found, card: this.cardRows.find(tx, ctx.account, found.card_id)! };
            });
          return this.network.authorize(ctx, charge.id, charge.amount, CardsService.onFile(card));
        },
        atomic: (tx, state, authorization: Authorization) => {
          // Only the amount and the capture choice are read, and they never change after creation.
          const charge = this.recordAuthorization(tx, created()?.charge ?? this.mustFind(tx, ctx.account, state.resourceId!), authorization);
          decided = charge.unfinished ? charge : undefined;
          return advance(RecoveryPoint.PaymentProcessed);
        },
      },
      [RecoveryPoint.PaymentProcessed]: {
        // Staged in the finishing commit: a replay never reaches it, a resumed request reaches it once.
        atomic: (tx, state) => {
          const charge = decided ?? this.mustFind(tx, ctx.account, state.resourceId!);
          if (charge.unfinished && !this.charges.update(tx, ctx.account, charge.id, { unfinished: false })) {
            throw new ResourceMissingError('charge', charge.id);
          }
          // Refunds refuse an unfinished charge, so one unfinished until this commit has none to read.
          const object = serializeCharge(charge);
          const response = this.answer(charge, object);
          // A succeeded charge is answered with itself: that JSON is the event's object too, unless the
          // answer is expanded (an event's object never is).
          this.events.stage(tx, ctx, charge.status === 'failed' ? 'charge.failed' : 'charge.succeeded', response.status === 200 ? response.body : object);
          // Expanded in the finishing commit, so the stored answer a replay sends is the expanded one.
          return respond(response.status === 200 && expand ? ApiResponse.ok(this.expandOne(tx, ctx.account, object, expand)) : response);
        },
      },
    };
  }

  retrieve(account: string, id: string, expandParam?: unknown): ApiResponse {
    const expand = this.expander.plan(expandParam);
    return this.db.read((tx) => {
      const json = this.json.get(account, id) ?? this.toJson(tx, account, [this.mustFind(tx, account, id)]).get(id)!;
      // Without expand the cached text goes out as it is; only an expanded read parses it.
      return new ApiResponse(200, expand ? this.expander.expandJson(tx, account, [json], expand)[0] : json);
    });
  }

  list(account: string, params: ListChargesDto): ApiResponse {
    const expand = this.expander.plan(params.expand, true);
    // Expanded pages hold customers, which change without their charges: never kept.
    const pageKey = expand ? null : JSON.stringify(params);
    return this.db.read((tx) => {
      const cached = pageKey === null ? undefined : this.json.page(account, pageKey);
      if (cached) return cached;
      const { rows, hasMore } = this.charges.listKeys(tx, account, params);
      const found = new Map(rows.map(({ id }) => [id, this.json.get(account, id)]));
      const missing = rows.filter(({ id }) => found.get(id) === undefined);
      if (missing.length) {
        const charges = this.charges.findBySeq(tx, account, missing.map(({ seq }) => seq));
        for (const [id, json] of this.toJson(tx, account, charges)) found.set(id, json);
      }
      const items = rows.map(({ id }) => found.get(id)!);
      if (pageKey === null) return ApiResponse.list('/v1/charges', this.expander.expandJson(tx, account, items, expand!), hasMore);
      const page = ApiResponse.list('/v1/charges', items, hasMore);
      if (!this.db.inTransaction) this.json.setPage(account, pageKey, page);
      return page;
    });
  }

  /** Serializes charges read in a read-only unit of work, and keeps their JSON for the next read. */
  private toJson(tx: Tx, account: string, charges: ChargeEntity[]): Map<string, string> {
    return new Map(
      charges.map((charge) => {
        const json = JSON.stringify(serializeCharge(charge));
        // Only committed rows may be cached (see ChargeJsonCache).
        if (!this.db.inTransaction) this.json.set(account, charge.id, json);
        return [charge.id, json];
      }),
    );
  }

  update(ctx: RequestContext, id: string, dto: UpdateChargeDto): Promise<ApiResponse> {
    const expand = this.expander.plan(dto.expand);
    return this.phases.run(ctx, {
      [RecoveryPoint.Started]: {
        atomic: (tx) => {
          const charge = this.mustFind(tx, ctx.account, id);
          // Its charge.updated would come before the charge.succeeded still owed (see capturable).
          if (charge.unfinished) throw new ObjectBusyError(Messages.stillProcessing('Charge', id, 'updated'));
          const fields: Partial<ChargeEntity> = {};
          if (dto.customer !== undefined && dto.customer !== charge.customer_id) {
            // Stripe's rule: a charge made without a customer may be given one, once.
            if (charge.customer_id) throw new InvalidRequestError(Messages.chargeHasCustomer(id, charge.customer_id), { param: 'customer' });
            fields.customer_id = this.customers.findLive(tx, ctx.account, dto.customer, 'customer').id;
          }
          if (dto.transfer_group !== undefined && settableTransferGroup(charge, dto.transfer_group)) fields.transfer_group = dto.transfer_group;
          if (dto.description !== undefined) fields.description = dto.description;
          if (dto.receipt_email !== undefined) fields.receipt_email = dto.receipt_email;
          if (dto.shipping !== undefined) fields.shipping = dto.shipping ? JSON.stringify(toShipping(dto.shipping)) : null;
          if (dto.metadata !== undefined) fields.metadata = JSON.stringify(mergeMetadata(JSON.parse(charge.metadata), dto.metadata));
          if (dto.fraud_details?.user_report) {
            fields.fraud_details = JSON.stringify({ ...JSON.parse(charge.fraud_details), user_report: dto.fraud_details.user_report });
          }
          this.charges.update(tx, ctx.account, id, fields);
          const before = serializeCharge(charge);
          const after = serializeCharge({ ...charge, ...fields });
          const changed = previousAttributes(before, after);
          if (Object.keys(changed).length) this.events.stage(tx, ctx, 'charge.updated', after, changed);
          return respond(ApiResponse.ok(this.expandOne(tx, ctx.account, after, expand)));
        },
      },
    });
  }

  /**
   * Capturing is a foreign mutation too, in two phases:
   *
   *   started ──note the capture on the charge──▶ capture_requested ──card network──▶ finished
   *
   * The note (`capturing`: the amount, the request that asked, when) is committed before the network is
   * asked, so a refund, which would release the authorization, sees that the network may be capturing it
   * and waits (RefundsService.refundable); a refund already under way makes the capture refuse before
   * the note. Once noted, a capture is the one the network is asked for: the network captures a charge
   * once, so a retry, another request for the same amount, or the completer (a keyless capture left
   * noted) asks again and records what it captured; a request for another amount is refused.
   */
  capture(ctx: RequestContext, id: string, dto: CaptureChargeDto): Promise<ApiResponse> {
    // Refused before it queues: a bad expand need not wait for another capture to answer.
    const expand = this.expander.plan(dto.expand);
    // One capture of a charge at a time: two requests at the network for the same noted capture would
    // both find it captured, and a keyed request there answers with the capture (it may be a retry told
    // to come back), so two different requests would both be told they captured. Queued, the next one
    // starts from the first one's outcome and is refused as already captured.
    return this.oneCaptureAtATime(ctx.account, id, () => this.captureNow(ctx, id, dto, expand));
  }

  /** The last capture of each charge queued in this process, settled when it has answered. */
  readonly capturesInFlight = new InFlight<Promise<void>>();

  private oneCaptureAtATime(account: string, id: string, capture: () => Promise<ApiResponse>): Promise<ApiResponse> {
    // By account too: another account naming this id (a 404 there) neither waits for it nor holds it up.
    const before = this.capturesInFlight.get(account, id);
    const answer = before ? before.then(capture) : capture();
    const settled = answer.then(noop, noop);
    this.capturesInFlight.set(account, id, settled);
    void settled.then(() => this.capturesInFlight.get(account, id) === settled && this.capturesInFlight.delete(account, id));
    return answer;
  }

  private captureNow(ctx: RequestContext, id: string, dto: CaptureChargeDto, expand: ExpandTree | null): Promise<ApiResponse> {
    return this.phases.run(ctx, {
      [RecoveryPoint.Started]: {
        atomic: (tx) => {
          const charge = this.mustFind(tx, ctx.account, id);
          // Refused before the network moves any money, like every other reason not to capture.
          if (dto.transfer_group !== undefined) settableTransferGroup(charge, dto.transfer_group);
          const amount = this.capturable(tx, charge, dto.amount ?? undefined);
          if (charge.capturing === null) {
            this.charges.update(tx, ctx.account, id, { capturing: amount, capturing_by: captureOwner(ctx), capturing_since: nowSeconds() });
          } else if (charge.capturing !== amount) {
            throw new InvalidRequestError(Messages.otherCaptureInFlight(charge.id, charge.capturing), { code: 'charge_not_capturable', param: 'amount' });
          }
          return advance(RecoveryPoint.CaptureRequested);
        },
      },
      ...this.captureAtNetwork(ctx, id, dto, expand),
    });
  }

  /** Keyless captures left noted, not recorded, since before `notedBefore` (their request gave up or crashed). */
  findKeylessCaptures(tx: Tx, notedBefore: number, limit: number): Array<{ account: string; id: string }> {
    // Written as the partial index charges_capturing's condition, which SQLite must find in the query's text.
    return tx.all(
      `SELECT account, id FROM charges WHERE capturing IS NOT NULL AND captured = 0 AND capturing_since < ? AND capturing_by LIKE 'req:%'
       ORDER BY capturing_since LIMIT ?`,
      notedBefore, limit,
    );
  }

  /** Finishes a keyless capture from its note: the network is asked for the noted amount, and it is recorded. */
  resumeKeylessCapture(ctx: RequestContext, id: string): Promise<ApiResponse> {
    // Queued like a request's capture: one sent meanwhile starts from the finished capture, as on Stripe.
    return this.oneCaptureAtATime(ctx.account, id, () =>
      this.phases.run(ctx, this.captureAtNetwork(ctx, id, {}, null), { recoveryPoint: RecoveryPoint.CaptureRequested, resourceId: id }),
    );
  }

  private captureAtNetwork(ctx: RequestContext, id: string, dto: CaptureChargeDto, expand: ExpandTree | null): PhasePlan {
    return {
      [RecoveryPoint.CaptureRequested]: {
        foreign: async () => {
          const charge = this.db.read((tx) => this.mustFind(tx, ctx.account, id));
          // The network answers the amount of the first capture it was asked for.
          return (await this.network.capture(ctx, id, charge.capturing ?? charge.amount)).amount;
        },
        atomic: (tx, _state, amount: number) => {
          const charge = this.mustFind(tx, ctx.account, id);
          if (charge.captured) {
            // Recorded by another request. Every request that gets here asked the network for the noted
            // capture, which it makes once: a keyed one, which may have been told to retry after a lost
            // answer, is answered with that capture. A keyless one is a new request each time, and was
            // not the one that captured.
            if (ctx.idempotency) return respond(ApiResponse.ok(this.expandOne(tx, ctx.account, serializeCharge(charge), expand)));
            throw new InvalidRequestError(Messages.chargeAlreadyCaptured(charge.id), { code: 'charge_already_captured' });
          }
          // Not refused here: the network has captured, and a group set meanwhile by an update must not
          // leave that capture unrecorded. The group first set wins.
          const setGroup = dto.transfer_group !== undefined && charge.transfer_group === null;
          const fields: Partial<ChargeEntity> = {
            captured: true,
            amount_captured: amount,
            // Stripe releases the uncaptured rest and shows it as refunded, with a refund of its own.
            amount_refunded: charge.amount_refunded + (charge.amount - amount),
            balance_transaction: balanceTransactionIdOf(charge.id),
            ...(dto.receipt_email !== undefined && { receipt_email: dto.receipt_email }),
            ...(dto.statement_descriptor !== undefined && { statement_descriptor: dto.statement_descriptor }),
            ...(dto.statement_descriptor_suffix !== undefined && { statement_descriptor_suffix: dto.statement_descriptor_suffix }),
            ...(setGroup && { transfer_group: dto.transfer_group }),
          };
          this.charges.update(tx, ctx.account, id, fields);
          const captured = serializeCharge({ ...charge, ...fields });
          this.events.stage(tx, ctx, 'charge.captured', captured);
          if (amount < charge.amount) {
            this.refunds.insertRelease(tx, charge, charge.amount - amount, ctx.idempotency !== null);
            // Until 2025-03-31.basil Stripe announced the release as a refund of the charge, after its capture.
            const beforeRelease = serializeCharge({ ...charge, ...fields, amount_refunded: charge.amount_refunded });
            this.events.stage(tx, ctx, 'charge.refunded', captured, previousAttributes(beforeRelease, captured));
          }
          return respond(ApiResponse.ok(this.expandOne(tx, ctx.account, captured, expand)));
        },
      },
    };
  }

  mustFind(tx: Tx, account: string, id: string): ChargeEntity {
    const charge = this.charges.find(tx, account, id);
    if (!charge) throw new ResourceMissingError('charge', id);
    return charge;
  }

  private expandOne(tx: Tx, account: string, charge: StripeCharge, expand: ExpandTree | null) {
    return this.expander.expand(tx, account, [charge], expand)[0];
  }

  private createPending(tx: Tx, ctx: RequestContext, dto: CreateChargeDto, currency: string, input: CardInput | null): Created {
    const customer = dto.customer ? this.customers.findLive(tx, ctx.account, dto.customer, 'customer') : null;
    let card;
    if (input?.kind === 'existing') card = this.cards.findUsable(tx, ctx.account, input.id, customer?.id ?? null);
    else if (input?.kind === 'token' && customer) {
      // Stripe charges a token alone, or one of the customer's own sources: a token is not one of them.
      throw new ParameterError(Messages.sourceNotLinked(customer.id, input.token), 'source', 'missing');
    } else if (input) card = this.cards.create(tx, ctx.account, input, null);
    else if (customer?.default_source) card = this.cards.findUsable(tx, ctx.account, customer.default_source, customer.id, 'customer');
    // Stripe answers this one as a card error (402), naming `card`, with no charge made.
    else throw new CardError(Messages.customerHasNoCard(), { code: 'missing', param: 'card' });

    const charge: ChargeEntity = {
      seq: 0,
      id: newId('ch', 24),
      account: ctx.account,
      created: nowSeconds(),
      amount: dto.amount,
      amount_captured: 0,
      amount_refunded: 0,
      currency,
      customer_id: customer?.id ?? null,
      card_id: card.id,
      card: JSON.stringify({ source: serializeCard(card), details: serializeCardDetails(card, card.cvc_check) }),
      status: 'pending',
      keyed: ctx.idempotency !== null,
      unfinished: true,
      capture_requested: dto.capture ?? true,
      captured: false,
      capturing: null,
      capturing_by: null,
      capturing_since: null,
      failure_code: null,
      failure_message: null,
      outcome: null,
      authorization_code: null,
      balance_transaction: null,
      description: dto.description ?? null,
      metadata: JSON.stringify(mergeMetadata({}, dto.metadata)),
      receipt_email: dto.receipt_email ?? null,
      statement_descriptor: dto.statement_descriptor ?? null,
      statement_descriptor_suffix: dto.statement_descriptor_suffix ?? null,
      transfer_group: dto.transfer_group ?? null,
      shipping: dto.shipping ? JSON.stringify(toShipping(dto.shipping)) : null,
      fraud_details: '{}',
    };
    const { seq: _seq, ...row } = charge;
    this.charges.insert(tx, row);
    return { charge, card };
  }

  /** Writes the network's answer on the charge; returns the charge as it now is. */
  private recordAuthorization(tx: Tx, charge: ChargeEntity, auth: Authorization): ChargeEntity {
    const decline = auth.decline;
    const captured = auth.approved && charge.capture_requested;
    const fields: Partial<ChargeEntity> = {
      status: auth.approved ? 'succeeded' : 'failed',
      captured,
      amount_captured: captured ? charge.amount : 0,
      balance_transaction: captured ? balanceTransactionIdOf(charge.id) : null,
      authorization_code: auth.authorizationCode,
      failure_code: decline?.code ?? null,
      failure_message: decline?.message ?? null,
      outcome: JSON.stringify(outcomeOf(auth)),
      ...(decline?.blocked && { fraud_details: JSON.stringify({ stripe_report: 'fraudulent' }) }),
    };
    // Gone since it was read (an account reset): nothing to record it on.
    if (!this.charges.update(tx, charge.account, charge.id, fields)) throw new ResourceMissingError('charge', charge.id);
    return { ...charge, ...fields };
  }

  /** A declined charge is saved as failed and answered 402 with its id, as Stripe does. */
  private answer(charge: ChargeEntity, object: StripeCharge): ApiResponse {
    if (charge.status === 'failed') {
      const outcome = JSON.parse(charge.outcome!) as { reason: string };
      const error = new CardError(charge.failure_message!, {
        code: charge.failure_code!,
        decline_code: outcome.reason === 'highest_risk_level' ? 'fraudulent' : outcome.reason,
        param: declineParam(charge.failure_code!),
        charge: charge.id,
      });
      return ApiResponse.fromError(error);
    }
    return ApiResponse.ok(object);
  }

  private capturable(tx: Tx, charge: ChargeEntity, requested?: number): number {
    // A pending charge has no authorization yet: capturing it would move money the card may refuse.
    if (charge.status === 'pending') {
      throw new ObjectBusyError(Messages.chargeStillPending(charge.id));
    }
    // Decided, but its request has not finished (its charge.succeeded is still owed): capturing now
    // would announce the capture before the charge itself. Its retry or the completer finishes it shortly.
    if (charge.unfinished) throw new ObjectBusyError(Messages.stillProcessing('Charge', charge.id, 'captured'));
    if (charge.status === 'failed') throw new InvalidRequestError(Messages.chargeFailedNotCapturable(charge.id), { code: 'charge_not_capturable' });
    if (charge.captured) throw new InvalidRequestError(Messages.chargeAlreadyCaptured(charge.id), { code: 'charge_already_captured' });
    // Refunded uncaptured, its authorization is released (or being released, if the refund is in flight).
    if (this.refunds.committedAmount(tx, charge.account, charge.id) > 0) {
      throw new InvalidRequestError(Messages.chargeAlreadyRefunded(charge.id), { code: 'charge_already_refunded' });
    }
    const amount = requested ?? charge.amount;
    if (amount > charge.amount) {
      throw new InvalidRequestError(Messages.captureTooLarge(charge.amount), { code: 'amount_too_large', param: 'amount' });
    }
    checkChargeable(amount, charge.currency);
    return amount;
  }
}

/** The pending charge and the card it will be authorized on, as the first phase wrote them. */
interface Created {
  charge: ChargeEntity;
  card: CardEntity;
}

/** Validates the currency, then the amount in it (Stripe's limits, in Stripe's words); returns the currency lowercased. */
function checkAmount(amount: number, rawCurrency: string): string {
  const currency = rawCurrency.toLowerCase();
  // Stripe echoes the code lowercased and gives this error no `code`.
  if (!isPresentmentCurrency(currency)) throw new ParameterError(Messages.invalidCurrency(currency, PRESENTMENT_CURRENCIES), 'currency');
  if (amount > MAX_AMOUNT) throw new ParameterError(Messages.amountTooLarge(formatMoney(MAX_AMOUNT, currency)), 'amount', 'amount_too_large');
  checkChargeable(amount, currency);
  return currency;
}

/** What Stripe requires of an amount charged in the currency: for a charge, and for what a partial capture takes. */
function checkChargeable(amount: number, currency: string): void {
  const minimum = minimumAmount(currency);
  if (amount < minimum) {
    throw new ParameterError(Messages.amountTooSmall(formatMoney(minimum, currency), currency), 'amount', 'amount_too_small');
  }
  if (!endsAsStripeRequires(amount, currency)) throw new ParameterError(Messages.amountNotRoundedToTen(currency, amount), 'amount');
}

/**
 * Stripe's rule: a charge's transfer group may be given while it has none. Sending the one it already
 * has changes nothing and is not refused. Returns whether there is anything to write.
 */
function settableTransferGroup(charge: ChargeEntity, group: string): boolean {
  if (charge.transfer_group === group) return false;
  if (charge.transfer_group !== null) {
    throw new InvalidRequestError(Messages.chargeHasTransferGroup(charge.id, charge.transfer_group), { param: 'transfer_group' });
  }
  return true;
}

/** Who noted a capture: a keyed request by its key (the same across its retries), a keyless one by its request id. */
function captureOwner(ctx: RequestContext): string {
  return ctx.idempotency ? `key:${ctx.idempotency.seq}` : `req:${ctx.requestId}`;
}

function noop(): void {}
