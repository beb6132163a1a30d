import { Injectable } from '@nestjs/common';
import { InvalidRequestError, ObjectBusyError, ParameterError, ResourceMissingError } from '../common/errors/stripe-error.js';
import { Messages } from '../common/errors/messages.js';
import { ApiResponse } from '../common/http/api-response.js';
import type { RequestContext } from '../common/http/request-context.js';
import { balanceTransactionIdOf } from '../balance-transactions/balance-transaction.serializer.js';
import { toList } from '../common/pagination/paginate.js';
import { mergeMetadata } from '../common/validation/metadata.js';
import { TransactionRunner, Tx } from '../database/transaction-runner.js';
import { AtomicPhaseRunner, advance, respond, type PhasePlan } from '../idempotency/atomic-phase-runner.js';
import { RecoveryPoint } from '../idempotency/recovery-point.js';
import { InFlight } from '../idempotency/resumable-endpoints.js';
import { CardNetworkClient } from '../card-network/card-network.client.js';
import { ChargesRepository } from '../charges/charges.repository.js';
import type { ChargeEntity } from '../charges/charge.entity.js';
import { MAX_AMOUNT, endsAsStripeRequires, formatMoney } from '../charges/currencies.js';
import type { CreateChargeRefundDto, CreateRefundDto } from './dto/create-refund.dto.js';
import type { ListChargeRefundsDto, ListRefundsDto } from './dto/list-refunds.dto.js';
import type { CancelRefundDto } from './dto/cancel-refund.dto.js';
import type { UpdateRefundDto } from './dto/update-refund.dto.js';
import type { RefundEntity } from './refund.entity.js';
import { serializeRefund } from './refund.serializer.js';
import { RefundsRepository, refundOf } from './refunds.repository.js';
import { EventsService } from '../events/events.service.js';
import { previousAttributes } from '../events/previous-attributes.js';
import { serializeCharge } from '../charges/charge.serializer.js';
import type { ExpandTree } from '../common/expand/expand-paths.js';
import { RefundExpander } from './refund-expander.js';

/**
 * Refunds have the same shape as charges:
 *
 *   started ──reserve the amount (pending refund)──▶ refund_created ──card network──▶ refund_processed ──answer──▶ finished
 *
 * The reservation happens in the first phase's transaction, so concurrent refunds of one charge are
 * checked one after another against what is left and can never exceed it.
 */
@Injectable()
export class RefundsService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly phases: AtomicPhaseRunner,
    private readonly refunds: RefundsRepository,
    private readonly charges: ChargesRepository,
    private readonly network: CardNetworkClient,
    private readonly events: EventsService,
    private readonly expander: RefundExpander,
  ) {}

  /** Keyless refunds being worked on by a request right now: the completer must not take them too. */
  readonly keylessInFlight = new InFlight();

  /**
   * `POST /v1/refunds`: Stripe refunds a charge or a payment intent's charge. oncepay has no payment
   * intents, so one named is missing, as an unknown charge is; neither named is refused in Stripe's words.
   */
  createOf(ctx: RequestContext, { charge, payment_intent: paymentIntent, ...dto }: CreateRefundDto): Promise<ApiResponse> {
    if (paymentIntent === undefined && charge === undefined) {
      throw new ParameterError(Messages.oneOfRequired('payment_intent', 'charge'), 'charge', 'parameter_missing');
    }
    if (paymentIntent === undefined) return this.create(ctx, charge!, dto);
    // Found missing in a phase, as an unknown charge is: the 404 is the request's answer, kept under its key.
    return this.phases.run(ctx, {
      [RecoveryPoint.Started]: {
        atomic: () => {
          throw new ResourceMissingError('payment_intent', paymentIntent, 'payment_intent');
        },
      },
    });
  }

  create(ctx: RequestContext, chargeId: string, dto: CreateChargeRefundDto, chargeParam = 'charge'): Promise<ApiResponse> {
    // Checked before any work: a refused path must leave no refund behind (and the key free).
    const expand = this.expander.plan(dto.expand);
    let keylessId: string | null = null;
    return this.phases
      .run(ctx, {
        [RecoveryPoint.Started]: {
          atomic: (tx) => {
            const charge = this.charges.find(tx, ctx.account, chargeId);
            if (!charge) throw new ResourceMissingError('charge', chargeId, chargeParam);
            const amount = this.refundable(tx, charge, dto.amount ?? undefined);
            const refund = refundOf(charge, amount, {
              status: 'pending',
              reason: dto.reason ?? null,
              metadata: JSON.stringify(mergeMetadata({}, dto.metadata)),
              instructions_email: dto.instructions_email ?? null,
              keyed: ctx.idempotency !== null,
              unfinished: true,
            });
            this.refunds.insert(tx, refund);
            // After the commit, not in the unit: a unit may run twice, and only this run's id is real.
            if (!ctx.idempotency) tx.afterCommit(() => this.keylessInFlight.set(ctx.account, (keylessId = refund.id), true));
            return advance(RecoveryPoint.RefundCreated, refund.id);
          },
        },
        ...this.afterCreation(ctx, expand),
      })
      .finally(() => keylessId && this.keylessInFlight.delete(ctx.account, keylessId));
  }

  /** Finishes a refund a keyless request left unfinished, from the refund itself (see ChargesService.resumeKeyless). */
  resumeKeyless(ctx: RequestContext, refundId: string): Promise<ApiResponse> {
    const refund = this.db.read((tx) => this.mustFind(tx, ctx.account, refundId));
    const recoveryPoint = refund.status === 'pending' ? RecoveryPoint.RefundCreated : RecoveryPoint.RefundProcessed;
    // Nobody waits for this answer: nothing to expand.
    return this.phases.run(ctx, this.afterCreation(ctx, null), { recoveryPoint, resourceId: refundId });
  }

  /** Refunds a keyless request left unfinished (a pending one's amount stays reserved until it finishes). */
  findKeylessUnfinished(tx: Tx, createdBefore: number, limit: number): Array<{ account: string; id: string }> {
    return tx.all('SELECT account, id FROM refunds WHERE unfinished = 1 AND keyed = 0 AND created < ? ORDER BY created LIMIT ?', createdBefore, limit);
  }

  /** The phases after the pending refund exists: the same for a request and for a resumption. */
  private afterCreation(ctx: RequestContext, expand: ExpandTree | null): PhasePlan {
    return {
      [RecoveryPoint.RefundCreated]: {
        foreign: async (state) => {
          const refund = this.db.read((tx) => this.mustFind(tx, ctx.account, state.resourceId!));
          return this.network.refund(ctx, refund.id, refund.amount);
        },
        atomic: (tx, state) => {
          const pending = this.mustFind(tx, ctx.account, state.resourceId!);
          const charge = this.charges.find(tx, ctx.account, pending.charge_id)!;
          // Releasing an authorization moves no money: no balance transaction, as the uncaptured charge has none.
          const balanceTransaction = charge.captured ? balanceTransactionIdOf(pending.id) : null;
          const processed = { ...pending, status: 'succeeded', balance_transaction: balanceTransaction };
          const refunded = { ...charge, amount_refunded: charge.amount_refunded + pending.amount };
          this.refunds.update(tx, ctx.account, pending.id, { status: processed.status, balance_transaction: balanceTransaction });
          this.charges.update(tx, ctx.account, charge.id, { amount_refunded: refunded.amount_refunded });
          // Staged with the change they announce: other refunds of the charge commit between this phase and
          // the next, and an event built there would show their amounts as this refund's.
          this.stageEvents(tx, ctx, processed, refunded);
          return advance(RecoveryPoint.RefundProcessed);
        },
      },
      [RecoveryPoint.RefundProcessed]: {
        atomic: (tx, state) => {
          const row = this.mustFind(tx, ctx.account, state.resourceId!);
          if (row.unfinished) this.refunds.update(tx, ctx.account, row.id, { unfinished: false, events_owed: false });
          // Processed by an older build, which staged them here: the charge as it is now is the best left.
          if (row.events_owed) this.stageEvents(tx, ctx, row, this.charges.find(tx, ctx.account, row.charge_id)!);
          // Expanded in the finishing commit, so the stored answer a replay sends is the expanded one.
          return respond(ApiResponse.ok(this.expandOne(tx, ctx.account, serializeRefund(row), expand)));
        },
      },
    };
  }

  /** `ofCharge`: the charge-scoped form (`/v1/charges/:id/refunds/:refund`), where another charge's refund is none. */
  retrieve(account: string, id: string, expandParam?: unknown, ofCharge?: string) {
    const expand = this.expander.plan(expandParam);
    return this.db.read((tx) => this.expandOne(tx, account, serializeRefund(this.mustFind(tx, account, id, ofCharge)), expand));
  }

  update(ctx: RequestContext, id: string, dto: UpdateRefundDto, ofCharge?: string): Promise<ApiResponse> {
    const expand = this.expander.plan(dto.expand);
    return this.phases.run(ctx, {
      [RecoveryPoint.Started]: {
        atomic: (tx) => {
          const refund = this.mustFind(tx, ctx.account, id, ofCharge);
          // Its refund.updated would come before the refund.created still owed.
          if (refund.unfinished) throw new ObjectBusyError(Messages.stillProcessing('Refund', id, 'updated'));
          const metadata = JSON.stringify(mergeMetadata(JSON.parse(refund.metadata), dto.metadata));
          this.refunds.update(tx, ctx.account, id, { metadata });
          const after = serializeRefund({ ...refund, metadata });
          const changed = previousAttributes(serializeRefund(refund), after);
          if (Object.keys(changed).length) {
            this.events.stage(tx, ctx, 'refund.updated', after, changed);
            this.events.stage(tx, ctx, 'charge.refund.updated', after, changed);
          }
          return respond(ApiResponse.ok(this.expandOne(tx, ctx.account, after, expand)));
        },
      },
    });
  }

  /** refund.created, and charge.refunded with the charge just after `refund` (already counted in its amount_refunded). */
  private stageEvents(tx: Tx, ctx: RequestContext, refund: RefundEntity, charge: ChargeEntity): void {
    const before = serializeCharge({ ...charge, amount_refunded: charge.amount_refunded - refund.amount });
    const after = serializeCharge(charge);
    this.events.stage(tx, ctx, 'refund.created', serializeRefund(refund));
    this.events.stage(tx, ctx, 'charge.refunded', after, previousAttributes(before, after));
  }

  /**
   * Stripe cancels only a refund in `requires_action`, waiting on the customer, which a card refund never
   * is: every cancel is refused, but with what Stripe would say of this refund, not a 404.
   */
  cancel(ctx: RequestContext, id: string, dto: CancelRefundDto): Promise<ApiResponse> {
    this.expander.plan(dto.expand);
    return this.phases.run(ctx, {
      [RecoveryPoint.Started]: {
        atomic: (tx) => {
          const refund = this.mustFind(tx, ctx.account, id);
          throw new InvalidRequestError(Messages.refundNotCancelable(id, refund.status));
        },
      },
    });
  }

  list(account: string, params: ListRefundsDto) {
    const expand = this.expander.plan(params.expand, true);
    return this.db.read((tx) => {
      const { rows, hasMore } = this.refunds.list(tx, account, params);
      return toList('/v1/refunds', this.expander.expand(tx, account, rows.map(serializeRefund), expand), hasMore);
    });
  }

  /** The charge-scoped list: unlike the `charge` filter of `list`, it names a charge that must exist. */
  listForCharge(account: string, chargeId: string, params: ListChargeRefundsDto) {
    const expand = this.expander.plan(params.expand, true);
    return this.db.read((tx) => {
      if (!this.charges.find(tx, account, chargeId)) throw new ResourceMissingError('charge', chargeId);
      const { rows, hasMore } = this.refunds.list(tx, account, { ...params, charge: chargeId });
      return toList(`/v1/charges/${chargeId}/refunds`, this.expander.expand(tx, account, rows.map(serializeRefund), expand), hasMore);
    });
  }

  private expandOne(tx: Tx, account: string, refund: ReturnType<typeof serializeRefund>, expand: ExpandTree | null) {
    return this.expander.expand(tx, account, [refund], expand)[0];
  }

  private mustFind(tx: Tx, account: string, id: string, ofCharge?: string): RefundEntity {
    const refund = this.refunds.find(tx, account, id);
    if (!refund || (ofCharge !== undefined && refund.charge_id !== ofCharge)) throw new ResourceMissingError('refund', id);
    return refund;
  }

  /**
   * What may still be refunded: the captured amount less every refund made or in flight. An uncaptured
   * charge is refunded whole, which releases its authorization (Stripe's way to cancel a hold); to keep
   * part of it, one captures less.
   */
  private refundable(tx: Tx, charge: ChargeEntity, requested?: number): number {
    if (charge.status === 'failed') {
      throw new InvalidRequestError(Messages.refundOfFailedCharge(charge.id), { code: 'charge_not_refundable', param: 'charge' });
    }
    // Its request has not finished (its charge.succeeded is still owed; a pending one is not even
    // authorized yet): see ChargesService.capturable.
    if (charge.unfinished || charge.status !== 'succeeded') {
      throw new ObjectBusyError(Messages.stillProcessing('Charge', charge.id, 'refunded'), 'charge');
    }
    // Refunding an uncaptured charge releases its authorization, which a capture in flight may be
    // capturing at the network right now (ChargesService.capture): wait for it to be recorded.
    if (!charge.captured && charge.capturing !== null) {
      throw new ObjectBusyError(Messages.captureInFlight(charge.id), 'charge');
    }
    // After a partial capture the uncaptured rest is one of the refunds (RefundsRepository.insertRelease),
    // so what is left is the captured amount less the other refunds.
    const left = charge.amount - this.refunds.committedAmount(tx, charge.account, charge.id);
    if (left <= 0) {
      // What is left is taken by a refund still in flight: not refunded yet, as the charge shows (its
      // amount_refunded counts finished refunds and, after a partial capture, the part never captured).
      const message = charge.amount_refunded < charge.amount ? Messages.refundInFlight(charge.id) : Messages.chargeAlreadyRefunded(charge.id);
      throw new InvalidRequestError(message, { code: 'charge_already_refunded' });
    }
    const amount = requested ?? left;
    // Past what any charge can be (2^53 and beyond included), in the words a charge that large gets.
    if (amount > MAX_AMOUNT) {
      throw new InvalidRequestError(Messages.amountTooLarge(formatMoney(MAX_AMOUNT, charge.currency)), { code: 'amount_too_large', param: 'amount' });
    }
    if (amount > left) {
      throw new InvalidRequestError(
        Messages.refundTooLarge(formatMoney(amount, charge.currency), formatMoney(left, charge.currency)),
        { code: 'amount_too_large', param: 'amount' },
      );
    }
    // A refund goes back through the same card partners as the charge: held to the same rule.
    if (!endsAsStripeRequires(amount, charge.currency)) {
      throw new InvalidRequestError(Messages.amountNotRoundedToTen(charge.currency, amount), { param: 'amount' });
    }
    if (!charge.captured && amount < left) throw new InvalidRequestError(Messages.partialRefundOfUncapturedCharge(), { param: 'amount' });
    return amount;
  }
}
