import { Injectable } from '@nestjs/common';
import { CardError, InvalidRequestError, ParameterError } from '../common/errors/stripe-error.js';
import { Messages } from '../common/errors/messages.js';
import { newId, nowSeconds } from '../common/ids.js';
import { mergeMetadata } from '../common/validation/metadata.js';
import type { Tx } from '../database/transaction-runner.js';
import { declineParam, fingerprintOf, riskLevelFor, testCardForNumber, testCardForToken, type TestCard } from '../card-network/test-cards.js';
import type { CardOnFile } from '../card-network/simulated-card-network.js';
import type { CardEntity } from './card.entity.js';
import { CardsRepository, UPDATABLE_COLUMNS } from './cards.repository.js';
import type { CardDetailsDto } from './dto/card-details.dto.js';

/** A source as the client gave it, checked but not yet stored. */
export type CardInput = { kind: 'token'; token: string; card: TestCard } | { kind: 'details'; details: CardDetailsDto; card: TestCard } | { kind: 'existing'; id: string };

/** A source update's params: each absent one leaves its field alone, null unsets it, metadata merges. */
export type CardUpdate = { [column in (typeof UPDATABLE_COLUMNS)[number]]?: column extends 'metadata' ? Record<string, string> | null : string | number | null };

/** Test tokens carry no expiry of their own; Stripe's fixtures expire next year or later. */
const TOKEN_EXPIRY_YEARS_AHEAD = 2;

@Injectable()
export class CardsService {
  constructor(private readonly cards: CardsRepository) {}

  /**
   * Checks a `source` (token, payment method or card id) or `card[...]` hash before any work starts,
   * so a mistyped token costs the client nothing (the idempotency key stays free). A card error names
   * the card's field bare (`number`, `exp_year`), wherever the hash was sent, as Stripe's card errors do.
   */
  parseSource(source: string | null | undefined, details: CardDetailsDto | null | undefined, param = 'source'): CardInput | null {
    if (details) {
      const card = testCardForNumber(details.number.replace(/[\s-]/g, ''));
      if (!card) {
        throw new CardError(Messages.incorrectCardNumber(), { code: 'incorrect_number', param: 'number' });
      }
      // Stripe refuses such a card before it exists: no card, no charge (an expired card on file is
      // another matter: the network declines it, expired_card).
      checkExpiry({ exp_month: details.exp_month, exp_year: normaliseYear(details.exp_year) });
      if (details.cvc && !/^\d{3,4}$/.test(details.cvc)) {
        throw new CardError(Messages.invalidCvc(), { code: 'invalid_cvc', param: 'cvc' });
      }
      return { kind: 'details', details, card };
    }
    if (!source) return null;
    if (source.startsWith('card_')) return { kind: 'existing', id: source };
    const card = testCardForToken(source);
    if (!card) {
      const message = source.startsWith('pm_') ? Messages.noSuchPaymentMethod(source) : Messages.noSuchToken(source);
      throw new InvalidRequestError(message, { code: 'resource_missing', param });
    }
    return { kind: 'token', token: source, card };
  }

  /**
   * Refuses to attach a card to a customer when Stripe would: a declining test card is declined at
   * attach time (402, nothing saved), except the one made to attach and fail later.
   */
  checkAttachable(input: CardInput | null): void {
    if (!input || input.kind === 'existing') return;
    const { decline, attachesDespiteDecline } = input.card;
    if (decline && !attachesDespiteDecline) {
      throw new CardError(decline.message, { code: decline.code, decline_code: decline.declineCode, param: declineParam(decline.code) });
    }
  }

  /** Stores the card a token or hash describes (inside the caller's phase). */
  create(
    tx: Tx,
    account: string,
    input: Exclude<CardInput, { kind: 'existing' }>,
    customerId: string | null,
    metadata: Record<string, string> = {},
  ): CardEntity {
    const now = new Date();
    const expMonth = input.kind === 'details' ? input.details.exp_month : now.getUTCMonth() + 1;
    const expYear = input.kind === 'details' ? normaliseYear(input.details.exp_year) : now.getUTCFullYear() + TOKEN_EXPIRY_YEARS_AHEAD;
    const cvcGiven = input.kind === 'token' || !!input.details.cvc;
    const holder = input.kind === 'details' ? input.details : null;
    const row: Omit<CardEntity, 'seq'> = {
      id: newId('card', 24),
      account,
      customer_id: customerId,
      brand: input.card.brand,
      last4: input.card.number.slice(-4),
      exp_month: expMonth,
      exp_year: expYear,
      funding: input.card.funding,
      country: 'US',
      fingerprint: fingerprintOf(input.card),
      cvc_check: cvcGiven ? (input.card.cvcCheckFails ? 'fail' : 'pass') : null,
      decline: input.card.decline ? JSON.stringify(input.card.decline) : null,
      // Written out rather than spread from a shared object: in Node 20, spreading an object of nulls and
      // then adding properties costs ~1.3 µs (a slow path), against ~25 ns for the literal.
      name: holder?.name ?? null,
      address_line1: holder?.address_line1 ?? null,
      address_line2: holder?.address_line2 ?? null,
      address_city: holder?.address_city ?? null,
      address_state: holder?.address_state ?? null,
      address_zip: holder?.address_zip ?? null,
      address_country: holder?.address_country ?? null,
      metadata: JSON.stringify(metadata),
      created: nowSeconds(),
      deleted: false,
    };
    this.cards.insert(tx, row);
    return { seq: 0, ...row };
  }

  /** Applies a source update (inside the caller's phase) and returns the card as it now is. */
  update(tx: Tx, card: CardEntity, changes: CardUpdate): CardEntity {
    const fields: Partial<CardEntity> = {};
    for (const column of UPDATABLE_COLUMNS) {
      const value = changes[column];
      if (value === undefined) continue;
      if (column === 'metadata') fields.metadata = JSON.stringify(mergeMetadata(JSON.parse(card.metadata), changes.metadata));
      else if (column === 'exp_year') fields.exp_year = normaliseYear(value as number);
      else Object.assign(fields, { [column]: value });
    }
    // Only a new expiry is checked: a card that has run out may still have its holder's details changed.
    if (fields.exp_month !== undefined || fields.exp_year !== undefined) checkExpiry({ ...card, ...fields });
    this.cards.update(tx, card.account, card.id, fields);
    return { ...card, ...fields };
  }

  /** A card attached to this customer: the only cards its sources sub-resource shows or changes. */
  findAttached(tx: Tx, account: string, id: string, customerId: string): CardEntity {
    const card = this.cards.find(tx, account, id);
    if (!card || card.deleted) throw new InvalidRequestError(Messages.noSuchSource(id), { code: 'resource_missing', param: 'id' }, 404);
    if (card.customer_id !== customerId) {
      throw new InvalidRequestError(Messages.sourceNotLinked(customerId, id), { code: 'resource_missing', param: 'id' }, 404);
    }
    return card;
  }

  /** Whether `id` is a card attached to this customer now. */
  isAttached(tx: Tx, account: string, id: string, customerId: string): boolean {
    const card = this.cards.find(tx, account, id);
    return !!card && !card.deleted && card.customer_id === customerId;
  }

  /** A stored card that a charge of this customer may use. */
  findUsable(tx: Tx, account: string, id: string, customerId: string | null, param = 'source'): CardEntity {
    const card = this.cards.find(tx, account, id);
    if (!card || card.deleted) throw new InvalidRequestError(Messages.noSuchSource(id), { code: 'resource_missing', param }, 404);
    if (card.customer_id && card.customer_id !== customerId) {
      const message = customerId ? Messages.sourceNotLinked(customerId, id) : Messages.sourceNeedsCustomer(id, card.customer_id);
      throw new ParameterError(message, param, 'missing');
    }
    return card;
  }

  static onFile(card: CardEntity): CardOnFile {
    return {
      decline: card.decline ? JSON.parse(card.decline) : null,
      exp_month: card.exp_month,
      exp_year: card.exp_year,
      riskLevel: riskLevelFor(card.fingerprint),
    };
  }
}

/**
 * A card can be given a new expiry, but not one already past or a month that does not exist (Stripe's
 * card errors, naming the culprit: a 402, not a parameter error, as the card is what is wrong).
 */
function checkExpiry({ exp_month, exp_year }: Pick<CardEntity, 'exp_month' | 'exp_year'>): void {
  if (exp_month < 1 || exp_month > 12) {
    throw new CardError(Messages.invalidExpiryMonth(), { code: 'invalid_expiry_month', param: 'exp_month' });
  }
  const now = new Date();
  if (exp_year < now.getUTCFullYear()) {
    throw new CardError(Messages.invalidExpiryYear(), { code: 'invalid_expiry_year', param: 'exp_year' });
  }
  if (exp_year === now.getUTCFullYear() && exp_month < now.getUTCMonth() + 1) {
    throw new CardError(Messages.invalidExpiryMonth(), { code: 'invalid_expiry_month', param: 'exp_month' });
  }
}

const normaliseYear = (year: number) => (year < 100 ? 2000 + year : year);
