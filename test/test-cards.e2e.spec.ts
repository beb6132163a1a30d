import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import Stripe from 'stripe';
import { rejection } from './support/errors.js';
import { startServer, type TestServer } from './support/server.js';

/** A charge of raw card details: the SDK's types only know tokens, but it sends a hash as Stripe's older clients do. */
const withCard = (card: Record<string, unknown>, param: 'card' | 'source' = 'card') =>
  ({ amount: 1000, currency: 'usd', [param]: param === 'source' ? { object: 'card', ...card } : card }) as unknown as Stripe.ChargeCreateParams;

const nextYear = new Date().getUTCFullYear() + 1;

describe("Stripe's test cards through the official stripe SDK", () => {
  let server: TestServer;
  let stripe: Stripe;

  beforeAll(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  afterAll(() => server.close());

  describe('brand and funding', () => {
    it.each([
      ['4242424242424242', 'Visa', 'visa', 'credit'],
      ['4000056655665556', 'Visa', 'visa', 'debit'],
      ['5555555555554444', 'MasterCard', 'mastercard', 'credit'],
      ['5200828282828210', 'MasterCard', 'mastercard', 'debit'],
      ['378282246310005', 'American Express', 'amex', 'credit'],
      ['6011111111111117', 'Discover', 'discover', 'credit'],
      ['3056930009020004', 'Diners Club', 'diners', 'credit'],
      ['36227206271667', 'Diners Club', 'diners', 'credit'],
      ['3566002020360505', 'JCB', 'jcb', 'credit'],
      ['6200000000000005', 'UnionPay', 'unionpay', 'credit'],
    ])('card number %s is a %s (%s) %s card', async (number, displayBrand, brand, funding) => {
      const charge = await stripe.charges.create(withCard({ number, exp_month: 12, exp_year: nextYear, cvc: '123' }));

      expect(charge.status).toBe('succeeded');
      expect(charge.source).toMatchObject({ object: 'card', brand: displayBrand, funding, last4: number.slice(-4) });
      expect(charge.payment_method_details?.card).toMatchObject({ brand, network: brand, funding, last4: number.slice(-4) });
    });

    it.each([
      ['tok_visa_debit', 'Visa', 'visa', 'debit', '5556'],
      ['pm_card_visa_debit', 'Visa', 'visa', 'debit', '5556'],
      ['tok_mastercard_debit', 'MasterCard', 'mastercard', 'debit', '8210'],
      ['pm_card_mastercard_debit', 'MasterCard', 'mastercard', 'debit', '8210'],
      ['tok_discover', 'Discover', 'discover', 'credit', '1117'],
      ['pm_card_discover', 'Discover', 'discover', 'credit', '1117'],
      ['tok_diners', 'Diners Club', 'diners', 'credit', '0004'],
      ['pm_card_diners', 'Diners Club', 'diners', 'credit', '0004'],
      ['tok_jcb', 'JCB', 'jcb', 'credit', '0505'],
      ['pm_card_jcb', 'JCB', 'jcb', 'credit', '0505'],
      ['tok_unionpay', 'UnionPay', 'unionpay', 'credit', '0005'],
      ['pm_card_unionpay', 'UnionPay', 'unionpay', 'credit', '0005'],
    ])('%s charges a %s (%s) %s card ending %s', async (source, displayBrand, brand, funding, last4) => {
      const charge = await stripe.charges.create({ amount: 1000, currency: 'usd', source });

      expect(charge.status).toBe('succeeded');
      expect(charge.source).toMatchObject({ brand: displayBrand, funding, last4 });
      expect(charge.payment_method_details?.card).toMatchObject({ brand, funding, last4 });
    });
  });

  describe('unknown tokens and payment methods', () => {
    it('names a missing payment method as Stripe does: No such PaymentMethod, not token', async () => {
      const error = await rejection(stripe.charges.create({ amount: 1000, currency: 'usd', source: 'pm_card_bogus' }));
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ code: 'resource_missing', param: 'source', message: "No such PaymentMethod: 'pm_card_bogus'" });

      const token = await rejection(stripe.charges.create({ amount: 1000, currency: 'usd', source: 'tok_bogus' }));
      expect(token).toMatchObject({ code: 'resource_missing', param: 'source', message: "No such token: 'tok_bogus'" });
    });
  });

  describe('cards that succeed with a caveat', () => {
    it.each(['tok_cvcCheckFail', 'pm_card_cvcCheckFail'])('%s succeeds with cvc_check "fail" (no Radar rule blocks it by default)', async (source) => {
      const charge = await stripe.charges.create({ amount: 1000, currency: 'usd', source });

      expect(charge).toMatchObject({ status: 'succeeded', paid: true, outcome: { type: 'authorized', network_status: 'approved_by_network' } });
      expect(charge.source).toMatchObject({ last4: '0101', cvc_check: 'fail' });
      expect(charge.payment_method_details?.card?.checks?.cvc_check).toBe('fail');
    });

    it('4000000000000101 fails the cvc check only when a cvc is given', async () => {
      const withCvc = await stripe.charges.create(withCard({ number: '4000000000000101', exp_month: 12, exp_year: nextYear, cvc: '123' }));
      expect(withCvc.status).toBe('succeeded');
      expect(withCvc.payment_method_details?.card?.checks?.cvc_check).toBe('fail');

      const withoutCvc = await stripe.charges.create(withCard({ number: '4000000000000101', exp_month: 12, exp_year: nextYear }));
      expect(withoutCvc.status).toBe('succeeded');
      expect((withoutCvc.source as Stripe.Card).cvc_check).toBeNull();
    });

    it.each(['tok_riskLevelElevated', 'pm_card_riskLevelElevated'])('%s succeeds with an elevated risk level', async (source) => {
      const charge = await stripe.charges.create({ amount: 1000, currency: 'usd', source });

      expect(charge).toMatchObject({ status: 'succeeded', paid: true, captured: true });
      expect(charge.outcome).toMatchObject({ type: 'authorized', risk_level: 'elevated', seller_message: 'Payment complete.' });
      expect(charge.outcome?.risk_score).toBeGreaterThanOrEqual(65);
      expect(charge.outcome?.risk_score).toBeLessThan(75);
      expect((charge.source as Stripe.Card).last4).toBe('9235');
      // Retrieved later, the stored charge says the same.
      expect((await stripe.charges.retrieve(charge.id)).outcome?.risk_level).toBe('elevated');
    });

    it('a card stored with the older fingerprint format keeps its elevated risk level', async () => {
      const customer = await stripe.customers.create({ source: 'tok_riskLevelElevated' });
      const card = customer.default_source as string;
      // Until stop 27 fingerprints were base64url: this card's was XO-SYrpC8MoiJIRi.
      const legacy = createHash('sha256').update('4000000000009235').digest('base64url').slice(0, 16);
      const db = new Database(server.dbPath);
      try {
        expect(db.prepare('UPDATE cards SET fingerprint = ? WHERE id = ?').run(legacy, card).changes).toBe(1);
      } finally {
        db.close();
      }
      const charge = await stripe.charges.create({ amount: 1000, currency: 'usd', customer: customer.id });
      expect((charge.source as Stripe.Card).fingerprint).toBe(legacy);
      expect(charge.outcome?.risk_level).toBe('elevated');
    });

    it('an ordinary card has a normal risk level', async () => {
      const charge = await stripe.charges.create({ amount: 1000, currency: 'usd', source: 'tok_visa' });
      expect(charge.outcome?.risk_level).toBe('normal');
    });

    it.each(['tok_bypassPending', 'pm_card_bypassPending'])('%s succeeds', async (source) => {
      const charge = await stripe.charges.create({ amount: 1000, currency: 'usd', source });
      expect(charge).toMatchObject({ status: 'succeeded', paid: true, outcome: { type: 'authorized' } });
      expect((charge.source as Stripe.Card).last4).toBe('0077');
    });
  });

  describe('outcome of a decline', () => {
    it.each([
      ['tok_chargeDeclined', 'generic_decline', 'The bank did not return any further details with this decline.'],
      ['tok_chargeDeclinedInsufficientFunds', 'insufficient_funds', 'The bank returned the decline code `insufficient_funds`.'],
      ['tok_chargeDeclinedLostCard', 'lost_card', 'The bank returned the decline code `lost_card`.'],
      ['tok_chargeDeclinedStolenCard', 'stolen_card', 'The bank returned the decline code `stolen_card`.'],
      ['tok_chargeDeclinedExpiredCard', 'expired_card', 'The bank returned the decline code `expired_card`.'],
      ['tok_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'The bank returned the decline code `incorrect_cvc`.'],
      ['tok_chargeDeclinedProcessingError', 'processing_error', 'The bank returned the decline code `processing_error`.'],
    ])('%s: the seller is told %s', async (source, reason, sellerMessage) => {
      const error = await rejection(stripe.charges.create({ amount: 1000, currency: 'usd', source }));
      expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);

      const charge = await stripe.charges.retrieve(error.charge!);
      expect(charge.outcome).toEqual({
        advice_code: null,
        network_advice_code: null,
        network_decline_code: null,
        network_status: 'declined_by_network',
        reason,
        risk_level: 'normal',
        risk_score: expect.any(Number),
        seller_message: sellerMessage,
        type: 'issuer_declined',
      });
    });

    it('a blocked payment and an approved one carry the network advice fields too, null', async () => {
      const blocked = await rejection(stripe.charges.create({ amount: 1000, currency: 'usd', source: 'tok_chargeDeclinedFraudulent' }));
      const approved = await stripe.charges.create({ amount: 1000, currency: 'usd', source: 'tok_visa' });
      for (const charge of [await stripe.charges.retrieve(blocked.charge!), approved]) {
        expect(charge.outcome).toMatchObject({ advice_code: null, network_advice_code: null, network_decline_code: null });
      }
    });
  });

  describe('an expiry month that does not exist', () => {
    it.each([
      [0, 'card'],
      [13, 'card'],
      [0, 'source'],
      [13, 'source'],
    ] as const)('exp_month %s in a %s hash is a 402 invalid_expiry_month, and no charge is made', async (month, param) => {
      const account = server.stripe();
      const error = await rejection(account.charges.create(withCard({ number: '4242424242424242', exp_month: month, exp_year: nextYear, cvc: '123' }, param)));

      expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(error).toMatchObject({
        statusCode: 402,
        rawType: 'card_error',
        code: 'invalid_expiry_month',
        param: 'exp_month', // bare, as Stripe names a card error's field, wherever the hash was sent
        message: "Your card's expiration month is invalid.",
      });
      expect(error.charge).toBeUndefined();
      expect((await account.charges.list()).data).toEqual([]);
    });
  });
});
