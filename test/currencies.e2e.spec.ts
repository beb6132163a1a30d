import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Stripe from 'stripe';
import { Api } from './support/api.js';
import { startServer, type TestServer } from './support/server.js';
import { rejection } from './support/errors.js';

/**
 * Currencies and amount limits as a user's integration sees them through the official SDK: every
 * presentment currency Stripe accepts is accepted, and refused amounts are worded as Stripe words them.
 */
describe('currencies and amount limits through the official stripe SDK', () => {
  let server: TestServer;
  let stripe: Stripe;

  beforeAll(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  afterAll(() => server.close());


  describe('currencies Stripe accepts', () => {
    it.each([
      // Zero-decimal (Stripe's own list) without a published minimum.
      ['xof', 500], ['xaf', 500], ['bif', 500], ['djf', 500], ['gnf', 500], ['kmf', 500], ['mga', 500],
      ['pyg', 500], ['rwf', 500], ['ugx', 500], ['vuv', 500], ['xpf', 500],
      // Two-decimal currencies without a published minimum.
      ['try', 2000], ['sar', 2000], ['qar', 2000], ['cop', 200000], ['ars', 200000], ['pen', 2000], ['uah', 2000],
      ['bdt', 20000], ['lkr', 20000], ['kzt', 20000], ['rsd', 20000], ['mad', 2000], ['egp', 2000], ['kes', 20000],
      ['ngn', 200000], ['pkr', 20000],
      // Three-decimal: amounts in thousandths, ending in 0.
      ['kwd', 1000], ['bhd', 1000], ['jod', 1000], ['omr', 1000], ['tnd', 1000],
    ])('charges in %s (%i) and refunds in the charge’s currency', async (currency, amount) => {
      const charge = await stripe.charges.create({ amount, currency, source: 'tok_visa' });
      expect(charge).toMatchObject({ amount, currency, status: 'succeeded', paid: true, amount_captured: amount });
      const refund = await stripe.refunds.create({ charge: charge.id });
      expect(refund).toMatchObject({ amount, currency, status: 'succeeded' });
    });

    it('takes the currency in any letter case and answers it lowercased, as Stripe does', async () => {
      expect(await stripe.charges.create({ amount: 700, currency: 'XOF', source: 'tok_visa' })).toMatchObject({ currency: 'xof' });
    });

    it('a currency without a published minimum takes any positive amount; 0 is refused as too small', async () => {
      expect(await stripe.charges.create({ amount: 1, currency: 'xof', source: 'tok_visa' })).toMatchObject({ amount: 1, status: 'succeeded' });
      expect(await stripe.charges.create({ amount: 1, currency: 'sar', source: 'tok_visa' })).toMatchObject({ amount: 1, status: 'succeeded' });
      const zero = await rejection(stripe.charges.create({ amount: 0, currency: 'xof', source: 'tok_visa' }));
      expect(zero).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', code: 'amount_too_small', param: 'amount', message: 'Amount must be at least XOF 1 xof' });
      const zeroSar = await rejection(stripe.charges.create({ amount: 0, currency: 'sar', source: 'tok_visa' }));
      expect(zeroSar).toMatchObject({ code: 'amount_too_small', param: 'amount', message: 'Amount must be at least SAR 0.01 sar' });
    });
  });

  describe('unknown currencies', () => {
    it.each(['usdd', 'abc', 'us', 'xyz', 'euro', 'USDD'])('%s → 400 "Invalid currency: …" on currency, listing Stripe’s currencies', async (currency) => {
      const api = new Api(server);
      const res = await api.post('/v1/charges', { amount: 1000, currency, source: 'tok_visa' });
      expect(res.status).toBe(400);
      // As in a real Stripe answer: no code, the code echoed lowercased, Stripe's list in Stripe's order.
      expect(res.body.error).toEqual({ type: 'invalid_request_error', param: 'currency', message: expect.any(String) });
      expect(res.body.error.message).toMatch(
        new RegExp(`^Invalid currency: ${currency.toLowerCase()}\\. Stripe currently supports these currencies: usd, aed, afn, all, amd, ang, aoa, ars, aud, `),
      );
      expect(res.body.error.message).toMatch(/, zar, zmw$/);
      expect(res.body.error.message).toMatch(/, xof, /);
      expect(res.body.error.message).toMatch(/, try, /);
      expect((await api.get('/v1/charges')).body.data).toEqual([]);
    });
  });

  describe('amount messages in Stripe’s wording', () => {
    it.each([
      ['usd', 49, 'Amount must be at least $0.50 usd'],
      ['eur', 49, 'Amount must be at least €0.50 eur'],
      ['gbp', 29, 'Amount must be at least £0.30 gbp'],
      ['jpy', 49, 'Amount must be at least ¥50 jpy'],
      ['krw', 999, 'Amount must be at least ₩1,000 krw'],
      ['chf', 49, 'Amount must be at least CHF 0.50 chf'],
      ['huf', 17499, 'Amount must be at least HUF 175.00 huf'],
    ])('below the %s minimum (%i) → amount_too_small, “%s”', async (currency, amount, message) => {
      const error = await rejection(stripe.charges.create({ amount, currency, source: 'tok_visa' }));
      expect(error).toMatchObject({ statusCode: 400, code: 'amount_too_small', param: 'amount', message });
    });

    it.each([
      ['usd', 'Amount must be no more than $999,999.99'],
      ['jpy', 'Amount must be no more than ¥99,999,999'],
      ['xof', 'Amount must be no more than XOF 99,999,999'],
      ['kwd', 'Amount must be no more than KWD 99,999.999'],
    ])('above the maximum in %s → amount_too_large, “%s”', async (currency, message) => {
      const error = await rejection(stripe.charges.create({ amount: 100_000_000, currency, source: 'tok_visa' }));
      expect(error).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount', message });
    });

    it('a partial capture below the minimum is refused in the same words', async () => {
      const auth = await stripe.charges.create({ amount: 1000, currency: 'eur', source: 'tok_visa', capture: false });
      const error = await rejection(stripe.charges.capture(auth.id, { amount: 49 }));
      expect(error).toMatchObject({ statusCode: 400, code: 'amount_too_small', param: 'amount', message: 'Amount must be at least €0.50 eur' });
    });

    it('an over-refund names both amounts as money: “Refund amount ($7.00) is greater than unrefunded amount on charge ($6.00)”', async () => {
      const charge = await stripe.charges.create({ amount: 1000, currency: 'usd', source: 'tok_visa' });
      await stripe.refunds.create({ charge: charge.id, amount: 400 });
      const error = await rejection(stripe.refunds.create({ charge: charge.id, amount: 700 }));
      expect(error).toMatchObject({
        statusCode: 400, code: 'amount_too_large', param: 'amount',
        message: 'Refund amount ($7.00) is greater than unrefunded amount on charge ($6.00)',
      });
    });

    it('an over-refund in a zero-decimal currency shows whole units: “(¥700) … (¥600)”', async () => {
      const charge = await stripe.charges.create({ amount: 600, currency: 'jpy', source: 'tok_visa' });
      const error = await rejection(stripe.refunds.create({ charge: charge.id, amount: 700 }));
      expect(error).toMatchObject({ code: 'amount_too_large', message: 'Refund amount (¥700) is greater than unrefunded amount on charge (¥600)' });
    });

    it('an over-refund of 1,234.56 groups thousands as Stripe does', async () => {
      const charge = await stripe.charges.create({ amount: 123456, currency: 'gbp', source: 'tok_visa' });
      const error = await rejection(stripe.refunds.create({ charge: charge.id, amount: 123457 }));
      expect(error).toMatchObject({ message: 'Refund amount (£1,234.57) is greater than unrefunded amount on charge (£1,234.56)' });
    });
  });

  describe('three-decimal currencies (bhd, jod, kwd, omr, tnd)', () => {
    const THREE_DECIMAL_MESSAGE = /^Invalid amount: kwd has three decimal places, and Stripe requires the last digit of its amounts to be 0/;

    it('an amount whose last digit is not 0 is refused on amount, and no charge is made', async () => {
      const api = new Api(server);
      const res = await api.post('/v1/charges', { amount: 1005, currency: 'kwd', source: 'tok_visa' });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: 'amount' });
      expect(res.body.error.message).toMatch(THREE_DECIMAL_MESSAGE);
      expect((await api.get('/v1/charges')).body.data).toEqual([]);
    });

    it('the same rule holds for a partial capture and a partial refund', async () => {
      const auth = await stripe.charges.create({ amount: 5000, currency: 'kwd', source: 'tok_visa', capture: false });
      expect(await rejection(stripe.charges.capture(auth.id, { amount: 2505 }))).toMatchObject({ statusCode: 400, param: 'amount', message: expect.stringMatching(THREE_DECIMAL_MESSAGE) });
      const captured = await stripe.charges.capture(auth.id, { amount: 2500 });
      expect(captured).toMatchObject({ amount_captured: 2500, amount_refunded: 2500 });
      expect(await rejection(stripe.refunds.create({ charge: auth.id, amount: 1001 }))).toMatchObject({ statusCode: 400, param: 'amount', message: expect.stringMatching(THREE_DECIMAL_MESSAGE) });
      expect(await stripe.refunds.create({ charge: auth.id, amount: 1000 })).toMatchObject({ amount: 1000, currency: 'kwd' });
    });

    it('an over-refund shows three decimals: “(KWD 3.000) … (KWD 2.000)”', async () => {
      const charge = await stripe.charges.create({ amount: 2000, currency: 'kwd', source: 'tok_visa' });
      const error = await rejection(stripe.refunds.create({ charge: charge.id, amount: 3000 }));
      expect(error).toMatchObject({ message: 'Refund amount (KWD 3.000) is greater than unrefunded amount on charge (KWD 2.000)' });
    });
  });
});
