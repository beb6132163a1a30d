import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { Api, uniqueKey } from './support/api.js';
import { startServer, type TestServer } from './support/server.js';

/** Every field the `stripe` package's Stripe.Charge type declares as always present. */
const CHARGE_FIELDS = [
  'id', 'object', 'amount', 'amount_captured', 'amount_refunded', 'application', 'application_fee',
  'application_fee_amount', 'balance_transaction', 'billing_details', 'calculated_statement_descriptor',
  'captured', 'created', 'currency', 'customer', 'description', 'disputed', 'failure_balance_transaction',
  'failure_code', 'failure_message', 'fraud_details', 'livemode', 'metadata', 'on_behalf_of', 'outcome', 'paid',
  'payment_intent', 'payment_method', 'payment_method_details', 'receipt_email', 'receipt_number', 'receipt_url',
  'refunded', 'review', 'shipping', 'source', 'source_transfer', 'statement_descriptor',
  'statement_descriptor_suffix', 'status', 'transfer_data', 'transfer_group',
];

/** The charge a StripeCardError names, fetched back: declines are stored, not thrown away. */
async function declined(stripe: Stripe, params: Stripe.ChargeCreateParams) {
  const error = await stripe.charges.create(params).then(
    (charge) => {
      throw new Error(`expected a decline, got charge ${charge.id} (${charge.status})`);
    },
    (e: Stripe.errors.StripeError) => e,
  );
  return error;
}

describe('charges through the official stripe SDK', () => {
  let server: TestServer;
  let stripe: Stripe;

  beforeAll(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  afterAll(() => server.close());

  describe('successful test cards', () => {
    it.each([
      ['tok_visa', 'Visa', 'visa', '4242'],
      ['pm_card_visa', 'Visa', 'visa', '4242'],
      ['tok_mastercard', 'MasterCard', 'mastercard', '4444'],
      ['pm_card_mastercard', 'MasterCard', 'mastercard', '4444'],
      ['tok_amex', 'American Express', 'amex', '0005'],
      ['pm_card_amex', 'American Express', 'amex', '0005'],
    ])('%s succeeds and is captured', async (source, displayBrand, brand, last4) => {
      const charge = await stripe.charges.create({ amount: 2000, currency: 'usd', source, description: `with ${source}` });

      expect(charge.id).toMatch(/^ch_[0-9A-Za-z]+$/);
      expect(charge).toMatchObject({
        object: 'charge',
        amount: 2000,
        currency: 'usd',
        status: 'succeeded',
        paid: true,
        captured: true,
        amount_captured: 2000,
        amount_refunded: 0,
        refunded: false,
        failure_code: null,
        failure_message: null,
        livemode: false,
        customer: null,
        description: `with ${source}`,
        metadata: {},
      });
      expect(charge.outcome).toMatchObject({ type: 'authorized', network_status: 'approved_by_network', risk_level: 'normal' });
      expect(charge.balance_transaction).toMatch(/^txn_/);
      const card = charge.source as Stripe.Card;
      expect(card).toMatchObject({ object: 'card', brand: displayBrand, last4 });
      expect(card.id).toMatch(/^card_/);
      expect(charge.payment_method).toBe(card.id);
      expect(charge.payment_method_details?.type).toBe('card');
      expect(charge.payment_method_details?.card).toMatchObject({ brand, last4, exp_month: expect.any(Number), exp_year: expect.any(Number) });
      expect(typeof charge.payment_method_details?.card?.funding).toBe('string');
      // Shown only when asked, as on Stripe since 2022-11-15.
      expect(charge).not.toHaveProperty('refunds');
      expect((await stripe.charges.retrieve(charge.id, { expand: ['refunds'] })).refunds).toMatchObject({
        object: 'list', data: [], has_more: false, url: `/v1/charges/${charge.id}/refunds`,
      });
      expect(Math.abs(charge.created - Date.now() / 1000)).toBeLessThan(60);
    });

    it('answers with every field of Stripe.Charge, and retrieve returns the same object', async () => {
      const charge = await stripe.charges.create({ amount: 1234, currency: 'usd', source: 'tok_visa' });
      for (const field of CHARGE_FIELDS) expect(Object.keys(charge)).toContain(field);
      const fetched = await stripe.charges.retrieve(charge.id);
      const { lastResponse: _a, ...created } = charge;
      const { lastResponse: _b, ...again } = fetched;
      expect(again).toEqual(created);
    });

    it('has the card fields Stripe.Charge declares: what was authorized, and null for what the network does not say', async () => {
      const charge = await stripe.charges.create({ amount: 1234, currency: 'usd', source: 'tok_visa', capture: false });
      expect(charge.payment_method_details?.card).toMatchObject({
        amount_authorized: 1234,
        authorization_code: null,
        electronic_commerce_indicator: null,
        network_transaction_id: null,
        regulated_status: null,
        transaction_link_id: null,
      });
      expect(charge.billing_details).toHaveProperty('tax_id', null);
      const declined = await stripe.charges.create({ amount: 1234, currency: 'usd', source: 'tok_chargeDeclined' }).catch((e: Stripe.errors.StripeError) => e);
      const failed = await stripe.charges.retrieve((declined as Stripe.errors.StripeError).charge!);
      expect(failed.payment_method_details?.card?.amount_authorized).toBeNull();
    });

    it.each([
      ['captured at once', { source: 'tok_visa' }, 'charge.succeeded'],
      ['authorized only', { source: 'tok_mastercard', capture: false }, 'charge.succeeded'],
      ['with a customer, metadata, a description and shipping', 'customer', 'charge.succeeded'],
      ['declined', { source: 'tok_chargeDeclined' }, 'charge.failed'],
      ['blocked as fraudulent', { source: 'tok_chargeDeclinedFraudulent' }, 'charge.failed'],
    ] as const)('a charge %s is announced and stored as it was answered, retried or not', async (_, extra, type) => {
      const account = server.stripe();
      const params: Stripe.ChargeCreateParams =
        extra === 'customer'
          ? {
              customer: (await account.customers.create({ source: 'tok_amex' })).id,
              metadata: { order: '6735' },
              description: 'two lamps',
              shipping: { name: 'Ada', address: { line1: '1 Main St', city: 'Paris' } },
            }
          : { ...extra };
      const idempotencyKey = uniqueKey('announced');
      const send = () => account.charges.create({ amount: 2500, currency: 'eur', ...params }, { idempotencyKey });
      const first = await send().catch((e: Stripe.errors.StripeError) => e);
      const id = 'id' in first && typeof first.id === 'string' && first.id.startsWith('ch_') ? first.id : (first as Stripe.errors.StripeError).charge!;
      const stored = await account.charges.retrieve(id);
      const { lastResponse: _r, ...read } = stored;
      const [event] = (await account.events.list({ type })).data;
      expect(event.data.object).toEqual(read);
      if (type === 'charge.succeeded') {
        const { lastResponse: _a, ...answered } = first as Stripe.Response<Stripe.Charge>;
        expect(answered).toEqual(read);
        const replay = await send();
        expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
        const { lastResponse: _b, ...replayed } = replay;
        expect(replayed).toEqual(read);
      } else {
        expect(read).toMatchObject({ status: 'failed', captured: false, paid: false, failure_code: 'card_declined' });
      }
    });

    it('charges card[number]=… passed as the card param', async () => {
      const api = new Api(server);
      const res = await api.post('/v1/charges', {
        amount: 800,
        currency: 'usd',
        card: { number: '4242424242424242', exp_month: 6, exp_year: new Date().getFullYear() + 2, cvc: '314' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'succeeded', amount: 800 });
      expect(res.body.payment_method_details.card).toMatchObject({ brand: 'visa', last4: '4242', exp_month: 6 });
    });

    it('keeps metadata, receipt_email, statement_descriptor and shipping', async () => {
      const charge = await stripe.charges.create({
        amount: 5000,
        currency: 'usd',
        source: 'tok_visa',
        metadata: { order_id: '6735' },
        receipt_email: 'buyer@example.com',
        statement_descriptor: 'ONCEPAY ORDER',
        shipping: { name: 'Ada', address: { line1: '1 Main St', city: 'London', country: 'GB' } },
      });
      expect(charge.metadata).toEqual({ order_id: '6735' });
      expect(charge.receipt_email).toBe('buyer@example.com');
      expect(charge.statement_descriptor).toBe('ONCEPAY ORDER');
      expect(charge.shipping?.name).toBe('Ada');
      expect(charge.shipping?.address).toMatchObject({ line1: '1 Main St', city: 'London', country: 'GB' });
    });

    it.each([
      ['usd', 50],
      ['eur', 50],
      ['gbp', 30],
      ['jpy', 50],
    ])('accepts the minimum amount in %s (%i)', async (currency, amount) => {
      const charge = await stripe.charges.create({ amount, currency, source: 'tok_visa' });
      expect(charge).toMatchObject({ amount, currency, status: 'succeeded', amount_captured: amount });
    });

    it('accepts the maximum amount 99999999', async () => {
      const charge = await stripe.charges.create({ amount: 99999999, currency: 'usd', source: 'tok_visa' });
      expect(charge.amount).toBe(99999999);
    });

    it('gives a card number one fingerprint, whether it came as a token, a payment method or digits', async () => {
      const fingerprint = async (source: unknown) =>
        ((await stripe.charges.create({ amount: 500, currency: 'usd', source } as Stripe.ChargeCreateParams)).source as Stripe.Card).fingerprint;
      const visa = await fingerprint('tok_visa');
      // Letters and digits only, as Stripe's (a test may check them with such a pattern).
      expect(visa).toMatch(/^[A-Za-z0-9]{16}$/);
      expect(await fingerprint('tok_visa')).toBe(visa);
      expect(await fingerprint('pm_card_visa')).toBe(visa);
      expect(await fingerprint({ object: 'card', number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' })).toBe(visa);
      expect(await fingerprint('tok_mastercard')).not.toBe(visa);
      expect(await fingerprint({ object: 'card', number: '4000056655665556', exp_month: 12, exp_year: 2034 })).not.toBe(visa);
    });
  });

  describe('declining test cards', () => {
    const DECLINE_PARAM: Record<string, string | undefined> = { expired_card: 'exp_month', incorrect_cvc: 'cvc' };
    it.each([
      ['tok_chargeDeclined', 'card_declined', 'generic_decline', '0002'],
      ['pm_card_visa_chargeDeclined', 'card_declined', 'generic_decline', '0002'],
      ['tok_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds', '9995'],
      ['pm_card_visa_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds', '9995'],
      ['pm_card_visa_chargeDeclinedLostCard', 'card_declined', 'lost_card', '9987'],
      ['pm_card_visa_chargeDeclinedStolenCard', 'card_declined', 'stolen_card', '9979'],
      ['tok_chargeDeclinedExpiredCard', 'expired_card', 'expired_card', '0069'],
      ['tok_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc', '0127'],
      ['tok_chargeDeclinedProcessingError', 'processing_error', 'processing_error', '0119'],
      ['tok_chargeDeclinedFraudulent', 'card_declined', 'fraudulent', '0019'],
    ])('%s → 402 %s / %s, and the failed charge is stored', async (source, code, declineCode, last4) => {
      const account = server.stripe();
      const error = await declined(account, { amount: 1500, currency: 'usd', source });

      expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(error).toMatchObject({ statusCode: 402, rawType: 'card_error', code, decline_code: declineCode });
      // Stripe names the card field at fault where there is one; other declines name none.
      expect(error.param).toBe(DECLINE_PARAM[code]);
      expect(error.message.length).toBeGreaterThan(0);
      const chargeId = error.charge as string;
      expect(chargeId).toMatch(/^ch_/);

      const charge = await account.charges.retrieve(chargeId);
      expect(charge).toMatchObject({
        id: chargeId,
        amount: 1500,
        status: 'failed',
        paid: false,
        captured: false,
        amount_captured: 0,
        amount_refunded: 0,
        failure_code: code,
        failure_message: error.message,
        balance_transaction: null,
      });
      expect(charge.outcome?.type).not.toBe('authorized');
      // Radar blocks the fraudulent card before the network sees it, so its reason is the risk level.
      expect(charge.outcome?.reason).toBe(declineCode === 'fraudulent' ? 'highest_risk_level' : declineCode);
      if (declineCode === 'fraudulent') expect(charge.outcome).toMatchObject({ type: 'blocked', network_status: 'not_sent_to_network' });
      expect(['declined_by_network', 'not_sent_to_network']).toContain(charge.outcome?.network_status);
      expect(charge.payment_method_details?.card?.last4).toBe(last4);
      expect((charge.source as Stripe.Card).last4).toBe(last4);

      const list = await account.charges.list();
      expect(list.data.map((c) => c.id)).toEqual([chargeId]);
    });

    it.each([
      ['4000000000000002', 'card_declined', 'generic_decline'],
      ['4000000000009995', 'card_declined', 'insufficient_funds'],
      ['4000000000009987', 'card_declined', 'lost_card'],
      ['4000000000009979', 'card_declined', 'stolen_card'],
      ['4000000000000069', 'expired_card', 'expired_card'],
      ['4000000000000127', 'incorrect_cvc', 'incorrect_cvc'],
      ['4000000000000119', 'processing_error', 'processing_error'],
      ['4100000000000019', 'card_declined', 'fraudulent'],
    ])('card[number]=%s → %s / %s', async (number, code, declineCode) => {
      const api = new Api(server);
      const res = await api.post('/v1/charges', {
        amount: 1000,
        currency: 'usd',
        card: { number, exp_month: 12, exp_year: new Date().getFullYear() + 2, cvc: '123' },
      });
      expect(res.status).toBe(402);
      expect(res.body.error).toMatchObject({ type: 'card_error', code, decline_code: declineCode, charge: expect.stringMatching(/^ch_/) });
      expect(res.body.error.param).toBe(DECLINE_PARAM[code]);
      const stored = await api.get(`/v1/charges/${res.body.error.charge}`);
      expect(stored.body).toMatchObject({ status: 'failed', failure_code: code });
    });

    it('refuses card details whose expiry has passed, or a cvc that is not 3-4 digits, as Stripe does: a card error and no charge', async () => {
      const api = new Api(server);
      const thisYear = new Date().getUTCFullYear();
      const thisMonth = new Date().getUTCMonth() + 1;
      const cases: Array<[Record<string, unknown>, string, string, string]> = [
        [{ exp_month: 1, exp_year: 2020, cvc: '123' }, 'invalid_expiry_year', 'exp_year', "Your card's expiration year is invalid."],
        [{ exp_month: 12, exp_year: thisYear - 1 }, 'invalid_expiry_year', 'exp_year', "Your card's expiration year is invalid."],
        [{ exp_month: 12, exp_year: thisYear + 1, cvc: 'abc' }, 'invalid_cvc', 'cvc', "Your card's security code is invalid."],
        [{ exp_month: 12, exp_year: thisYear + 1, cvc: '12' }, 'invalid_cvc', 'cvc', "Your card's security code is invalid."],
        [{ exp_month: 12, exp_year: thisYear + 1, cvc: '12345' }, 'invalid_cvc', 'cvc', "Your card's security code is invalid."],
      ];
      // A month already past in this year (none in January).
      if (thisMonth > 1) cases.push([{ exp_month: thisMonth - 1, exp_year: thisYear }, 'invalid_expiry_month', 'exp_month', "Your card's expiration month is invalid."]);
      for (const [details, code, param, message] of cases) {
        const res = await api.post('/v1/charges', { amount: 1000, currency: 'usd', card: { number: '4242424242424242', ...details } });
        expect([details, res.status, res.body.error]).toEqual([details, 402, expect.objectContaining({ type: 'card_error', code, param, message })]);
      }
      expect(await api.allCharges()).toEqual([]);
      // The card's own month still counts as valid; a 2-digit year is this century.
      const ok = await api.post('/v1/charges', { amount: 1000, currency: 'usd', card: { number: '4242424242424242', exp_month: thisMonth, exp_year: thisYear % 100, cvc: '1234' } });
      expect(ok.status).toBe(200);
    });

    it('replays a decline with the same key: same charge, one failed charge in the list', async () => {
      const account = server.stripe();
      const key = uniqueKey('decline');
      const a = await account.charges.create({ amount: 900, currency: 'usd', source: 'tok_chargeDeclined' }, { idempotencyKey: key }).catch((e) => e);
      const b = await account.charges.create({ amount: 900, currency: 'usd', source: 'tok_chargeDeclined' }, { idempotencyKey: key }).catch((e) => e);
      expect(a.statusCode).toBe(402);
      expect(b.statusCode).toBe(402);
      expect(b.charge).toBe(a.charge);
      expect(b.headers['idempotent-replayed']).toBe('true');
      const list = await account.charges.list({ limit: 100 });
      expect(list.data.filter((c) => c.amount === 900)).toHaveLength(1);
    });
  });

  describe('customers with payment sources', () => {
    it('attaches a card on create, makes it the default source, and charges it with only customer', async () => {
      const account = server.stripe();
      const customer = await account.customers.create({ email: 'card@example.com', source: 'tok_visa' });
      expect(customer.default_source).toMatch(/^card_/);

      const sources = await account.customers.listSources(customer.id);
      expect(sources).toMatchObject({ object: 'list', has_more: false, url: `/v1/customers/${customer.id}/sources` });
      expect(sources.data).toHaveLength(1);
      expect(sources.data[0]).toMatchObject({ id: customer.default_source, object: 'card', last4: '4242', brand: 'Visa', customer: customer.id });

      const charge = await account.charges.create({ amount: 3000, currency: 'usd', customer: customer.id });
      expect(charge).toMatchObject({ status: 'succeeded', customer: customer.id, payment_method: customer.default_source });
      expect((charge.source as Stripe.Card).id).toBe(customer.default_source);

      const byCustomer = await account.charges.list({ customer: customer.id });
      expect(byCustomer.data.map((c) => c.id)).toEqual([charge.id]);
    });

    it('adds, lists and deletes sources; update(source) replaces the default; a named card_ source is charged', async () => {
      const account = server.stripe();
      const customer = await account.customers.create({ name: 'Two Cards' });
      expect(customer.default_source).toBeNull();

      const visa = (await account.customers.createSource(customer.id, { source: 'tok_visa' })) as Stripe.Card;
      expect(visa).toMatchObject({ object: 'card', customer: customer.id, last4: '4242' });
      // The first card becomes the default source.
      expect((await account.customers.retrieve(customer.id) as Stripe.Customer).default_source).toBe(visa.id);

      const mastercard = (await account.customers.createSource(customer.id, { source: 'tok_mastercard' })) as Stripe.Card;
      expect((await account.customers.retrieve(customer.id) as Stripe.Customer).default_source).toBe(visa.id);
      const listed = await account.customers.listSources(customer.id);
      expect(listed.data.map((s) => s.id).sort()).toEqual([visa.id, mastercard.id].sort());

      const named = await account.charges.create({ amount: 1000, currency: 'usd', customer: customer.id, source: mastercard.id });
      expect(named).toMatchObject({ status: 'succeeded', payment_method: mastercard.id, customer: customer.id });

      const updated = await account.customers.update(customer.id, { source: 'tok_amex' });
      expect(updated.default_source).toMatch(/^card_/);
      expect(updated.default_source).not.toBe(visa.id);
      const amexCharge = await account.charges.create({ amount: 1000, currency: 'usd', customer: customer.id });
      expect((amexCharge.source as Stripe.Card).brand).toBe('American Express');

      const deleted = await account.customers.deleteSource(customer.id, mastercard.id);
      expect(deleted).toMatchObject({ id: mastercard.id, deleted: true });
      const after = await account.customers.listSources(customer.id);
      expect(after.data.map((s) => s.id)).not.toContain(mastercard.id);
    });

    it("pages a customer's cards with cursors from that customer only: another customer's card, or a deleted one, is no such source there", async () => {
      const account = server.stripe();
      const customer = await account.customers.create({ source: 'tok_visa' });
      const second = await account.customers.createSource(customer.id, { source: 'tok_mastercard' });
      const other = await account.customers.create({ source: 'tok_amex' });
      const removed = await account.customers.createSource(customer.id, { source: 'tok_discover' });
      await account.customers.deleteSource(customer.id, removed.id);

      const page = await account.customers.listSources(customer.id, { limit: 1, starting_after: second.id });
      expect(page.data.map((s) => s.id)).toEqual([customer.default_source]);
      for (const [cursor, param] of [[other.default_source as string, 'starting_after'], [removed.id, 'ending_before']] as const) {
        await expect(account.customers.listSources(customer.id, { [param]: cursor })).rejects.toMatchObject({
          statusCode: 404, code: 'resource_missing', param, message: `No such source: '${cursor}'`,
        });
      }
    });

    it('lists a customer\'s sources by kind: object=card its cards, bank_account or source none (it has only cards), another kind is a 400', async () => {
      const account = server.stripe();
      const customer = await account.customers.create({ source: 'tok_visa' });
      expect((await account.customers.listSources(customer.id, { object: 'card' })).data.map((s) => s.id)).toEqual([customer.default_source]);
      for (const object of ['bank_account', 'source']) {
        expect(await account.customers.listSources(customer.id, { object })).toMatchObject({ object: 'list', data: [], has_more: false });
      }
      await expect(account.customers.listSources(customer.id, { object: 'alipay_account' })).rejects.toMatchObject({ statusCode: 400, param: 'object' });
      await expect(account.customers.listSources('cus_missing', { object: 'bank_account' })).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing', message: "No such customer: 'cus_missing'" });
    });

    it('attaches tok_chargeCustomerFail, but charging the customer declines', async () => {
      const account = server.stripe();
      const customer = await account.customers.create({ source: 'tok_chargeCustomerFail' });
      expect(customer.default_source).toMatch(/^card_/);
      const error = await declined(account, { amount: 1000, currency: 'usd', customer: customer.id });
      expect(error).toMatchObject({ statusCode: 402, rawType: 'card_error', code: 'card_declined' });
      const charge = await account.charges.retrieve(error.charge as string);
      expect(charge).toMatchObject({ status: 'failed', customer: customer.id });
    });

    it('refuses to charge a customer with no source as Stripe does: a 402 card_error, code missing, param card, and no charge', async () => {
      const account = server.stripe();
      const customer = await account.customers.create({ email: 'nocard@example.com' });
      const error = await account.charges.create({ amount: 1000, currency: 'usd', customer: customer.id }).catch((e) => e);
      expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(error).toMatchObject({ statusCode: 402, rawType: 'card_error', code: 'missing', param: 'card' });
      expect(error.message).toBe('Cannot charge a customer that has no active card');
      expect(error.charge).toBeUndefined();
      expect((await account.charges.list()).data).toHaveLength(0);
    });

    it('refuses a card_ id that belongs to no customer of the request', async () => {
      const account = server.stripe();
      const a = await account.customers.create({ source: 'tok_visa' });
      const b = await account.customers.create({ source: 'tok_visa' });
      const error = await account.charges
        .create({ amount: 1000, currency: 'usd', customer: b.id, source: a.default_source as string })
        .catch((e) => e);
      expect([400, 404]).toContain(error.statusCode);
      expect(error.param).toBe('source');
    });

    it('deleting the only source clears default_source, and charging the customer then fails with missing', async () => {
      const account = server.stripe();
      const customer = await account.customers.create({ source: 'tok_visa' });
      await account.customers.deleteSource(customer.id, customer.default_source as string);
      const after = (await account.customers.retrieve(customer.id)) as Stripe.Customer;
      expect(after.default_source).toBeNull();
      const error = await account.charges.create({ amount: 1000, currency: 'usd', customer: customer.id }).catch((e) => e);
      expect(error).toMatchObject({ statusCode: 402, rawType: 'card_error', code: 'missing', param: 'card' });
    });
  });

  describe('capture', () => {
    it('authorizes with capture=false, then captures in full', async () => {
      const account = server.stripe();
      const auth = await account.charges.create({ amount: 2500, currency: 'usd', source: 'tok_visa', capture: false });
      expect(auth).toMatchObject({ status: 'succeeded', paid: true, captured: false, amount_captured: 0, amount_refunded: 0, refunded: false });
      expect(auth.balance_transaction).toBeNull();

      const captured = await account.charges.capture(auth.id);
      expect(captured).toMatchObject({ id: auth.id, captured: true, amount_captured: 2500, amount_refunded: 0, status: 'succeeded' });
      expect(captured.balance_transaction).toMatch(/^txn_/);
      expect((await account.charges.retrieve(auth.id)).captured).toBe(true);
    });

    it('captures part of the authorization: the rest shows as refunded, with a refund of its own, as on Stripe', async () => {
      const account = server.stripe();
      const auth = await account.charges.create({ amount: 1000, currency: 'usd', source: 'tok_visa', capture: false });
      const captured = await account.charges.capture(auth.id, { amount: 600, expand: ['refunds'] });
      expect(captured).toMatchObject({ amount: 1000, captured: true, amount_captured: 600, amount_refunded: 400, refunded: false });
      // Released, not paid back: no money moved, so no balance transaction.
      const release = { object: 'refund', amount: 400, currency: 'usd', charge: auth.id, status: 'succeeded', balance_transaction: null, reason: null };
      expect(captured.refunds!.data).toEqual([expect.objectContaining(release)]);
      expect(captured).toMatchObject({ refunds: { total_count: 1 } });
      expect((await account.refunds.list({ charge: auth.id })).data).toEqual([expect.objectContaining({ ...release, id: captured.refunds!.data[0].id })]);
      const [event] = (await account.events.list({ type: 'charge.captured' })).data;
      expect(event.data.object).toMatchObject({ id: auth.id, amount_refunded: 400 });
      // Before 2025-03-31.basil (oncepay answers as 2025-01-27.acacia) the release also sent charge.refunded,
      // after charge.captured: a webhook handler keeping amount_refunded from it sees the release.
      const events = (await account.events.list()).data.filter((e) => (e.data.object as { id?: string }).id === auth.id);
      expect(events.map((e) => e.type)).toEqual(['charge.refunded', 'charge.captured', 'charge.succeeded']);
      expect(events[0].data).toEqual({ object: event.data.object, previous_attributes: { amount_refunded: 0 } });

      // What is left to refund is what was captured, and refunding it all makes the charge refunded.
      const tooMuch = await account.refunds.create({ charge: auth.id, amount: 601 }).catch((e) => e);
      expect(tooMuch).toMatchObject({ statusCode: 400, code: 'amount_too_large', message: 'Refund amount ($6.01) is greater than unrefunded amount on charge ($6.00)' });
      expect((await account.refunds.create({ charge: auth.id })).amount).toBe(600);
      expect(await account.charges.retrieve(auth.id, { expand: ['refunds'] })).toMatchObject({ amount_refunded: 1000, refunded: true, refunds: { total_count: 2 } });
    });

    it('a capture of the whole authorization releases nothing and has no refund', async () => {
      const account = server.stripe();
      const auth = await account.charges.create({ amount: 1000, currency: 'usd', source: 'tok_visa', capture: false });
      const captured = await account.charges.capture(auth.id, { amount: 1000 });
      expect(captured).toMatchObject({ amount_captured: 1000, amount_refunded: 0 });
      expect((await account.refunds.list({ charge: auth.id })).data).toEqual([]);
      expect((await account.events.list({ type: 'charge.refunded' })).data).toEqual([]);
    });

    it('refuses a second capture, a capture above the amount, and a capture of a failed charge', async () => {
      const account = server.stripe();
      const auth = await account.charges.create({ amount: 1000, currency: 'usd', source: 'tok_visa', capture: false });
      const tooMuch = await account.charges.capture(auth.id, { amount: 1001 }).catch((e) => e);
      expect(tooMuch.statusCode).toBe(400);
      expect(tooMuch.param).toBe('amount');
      // A partial capture is held to the currency's minimum too; the authorization stays capturable.
      const tooLittle = await account.charges.capture(auth.id, { amount: 49 }).catch((e) => e);
      expect(tooLittle).toMatchObject({ statusCode: 400, code: 'amount_too_small', param: 'amount', message: 'Amount must be at least $0.50 usd' });

      await account.charges.capture(auth.id);
      const twice = await account.charges.capture(auth.id).catch((e) => e);
      expect(twice.statusCode).toBe(400);
      expect(twice.code).toBe('charge_already_captured');

      const capturedAtCreate = await account.charges.create({ amount: 1000, currency: 'usd', source: 'tok_visa' });
      expect((await account.charges.capture(capturedAtCreate.id).catch((e) => e)).code).toBe('charge_already_captured');

      const failed = await declined(account, { amount: 1000, currency: 'usd', source: 'tok_chargeDeclined', capture: false });
      const failedCapture = await account.charges.capture(failed.charge as string).catch((e) => e);
      expect(failedCapture.statusCode).toBe(400);

      const missing = await account.charges.capture('ch_doesnotexist').catch((e) => e);
      expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    });
  });

  describe('update', () => {
    it('updates description, metadata (merging), receipt_email, shipping and fraud_details', async () => {
      const account = server.stripe();
      const charge = await account.charges.create({ amount: 1000, currency: 'usd', source: 'tok_visa', metadata: { a: '1', b: '2' } });
      const updated = await account.charges.update(charge.id, {
        description: 'updated',
        metadata: { b: '', c: '3' },
        receipt_email: 'r@example.com',
        shipping: { name: 'Grace', address: { line1: '2 Side St', country: 'US' } },
        fraud_details: { user_report: 'safe' },
      });
      expect(updated).toMatchObject({ id: charge.id, description: 'updated', metadata: { a: '1', c: '3' }, receipt_email: 'r@example.com' });
      expect(updated.shipping?.name).toBe('Grace');
      expect(updated.fraud_details).toMatchObject({ user_report: 'safe' });
      expect(updated.amount).toBe(1000);
      expect(await account.charges.retrieve(charge.id)).toMatchObject({ description: 'updated', metadata: { a: '1', c: '3' } });
    });

    it.each([['amount', 5000], ['currency', 'eur'], ['capture', 'true'], ['source', 'tok_visa']])(
      'refuses to update %s: 400 naming the param',
      async (param, value) => {
        const api = new Api(server);
        const charge = await api.post('/v1/charges', { amount: 1000, currency: 'usd', source: 'tok_visa' });
        const res = await api.post(`/v1/charges/${charge.body.id}`, { [param]: value });
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param, message: `Received unknown parameter: ${param}` });
        expect((await api.get(`/v1/charges/${charge.body.id}`)).body.amount).toBe(1000);
      },
    );

    it('answers 404 resource_missing for an unknown charge', async () => {
      const account = server.stripe();
      await expect(account.charges.retrieve('ch_nope')).rejects.toMatchObject({
        statusCode: 404, code: 'resource_missing', message: "No such charge: 'ch_nope'",
      });
      await expect(account.charges.update('ch_nope', { description: 'x' })).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    });

    it("does not show another account's charge", async () => {
      const charge = await stripe.charges.create({ amount: 1000, currency: 'usd', source: 'tok_visa' });
      const other = server.stripe();
      await expect(other.charges.retrieve(charge.id)).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
      expect((await other.charges.list()).data).toHaveLength(0);
    });
  });

  describe('list', () => {
    it('lists newest first, paginates with starting_after / ending_before, and filters by customer and created', async () => {
      const account = server.stripe();
      const customer = await account.customers.create({ source: 'tok_visa' });
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const charge = await account.charges.create({
          amount: 100 + i, currency: 'usd', ...(i % 2 === 0 ? { customer: customer.id } : { source: 'tok_visa' }),
        });
        ids.push(charge.id);
      }
      const newestFirst = [...ids].reverse();

      const page1 = await account.charges.list({ limit: 3 });
      expect(page1).toMatchObject({ object: 'list', has_more: true, url: '/v1/charges' });
      expect(page1.data.map((c) => c.id)).toEqual(newestFirst.slice(0, 3));
      const page2 = await account.charges.list({ limit: 3, starting_after: page1.data[2].id });
      expect(page2.data.map((c) => c.id)).toEqual(newestFirst.slice(3, 6));
      const back = await account.charges.list({ limit: 3, ending_before: page2.data[0].id });
      expect(back.data.map((c) => c.id)).toEqual(newestFirst.slice(0, 3));

      const all = await account.charges.list({ limit: 3 }).autoPagingToArray({ limit: 100 });
      expect(all.map((c) => c.id)).toEqual(newestFirst);

      const mine = await account.charges.list({ customer: customer.id, limit: 100 });
      expect(mine.data.map((c) => c.id)).toEqual(newestFirst.filter((_, i) => (6 - i) % 2 === 0));

      const created = page1.data[0].created;
      expect((await account.charges.list({ created: { gt: created }, limit: 100 })).data).toHaveLength(0);
      expect((await account.charges.list({ created: { lte: created }, limit: 100 })).data).toHaveLength(7);
      await expect(account.charges.list({ starting_after: 'ch_nope' })).rejects.toMatchObject({ statusCode: 404 });
    });
  });

  describe('bad input', () => {
    let api: Api;
    beforeAll(() => {
      api = new Api(server);
    });

    const base = { amount: 1000, currency: 'usd', source: 'tok_visa' };
    const without = (param: keyof typeof base) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== param));

    it.each([
      ['missing amount', without('amount'), 'amount', /^Missing required param: amount\.$/],
      ['missing currency', without('currency'), 'currency', /^Missing required param: currency\.$/],
      ['non-integer amount', { ...base, amount: 'ten' }, 'amount', /integer/i],
      ['fractional amount', { ...base, amount: '10.5' }, 'amount', /integer/i],
      ['negative amount', { ...base, amount: -100 }, 'amount', /.+/],
      ['amount below the usd minimum', { ...base, amount: 49 }, 'amount', /at least/i],
      ['amount below the gbp minimum', { ...base, amount: 29, currency: 'gbp' }, 'amount', /at least/i],
      ['amount below the jpy minimum', { ...base, amount: 49, currency: 'jpy' }, 'amount', /at least/i],
      ['amount above 99999999', { ...base, amount: 100000000 }, 'amount', /.+/],
      ['unsupported currency', { ...base, currency: 'xyz' }, 'currency', /currency/i],
      ['unknown parameter', { ...base, bogus: '1' }, 'bogus', /^Received unknown parameter: bogus$/],
      ['capture not a boolean', { ...base, capture: 'maybe' }, 'capture', /boolean/i],
      ['invalid receipt_email', { ...base, receipt_email: 'not-an-email' }, 'receipt_email', /.+/],
    ])('%s → 400 invalid_request_error naming the param', async (_label, params, param, message) => {
      const res = await api.post('/v1/charges', params);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param });
      expect(res.body.error.message).toMatch(message);
    });

    it('neither source nor customer → 400', async () => {
      const res = await api.post('/v1/charges', { amount: 1000, currency: 'usd' });
      expect(res.status).toBe(400);
      expect(res.body.error.type).toBe('invalid_request_error');
    });

    it('an unknown token → resource_missing on source; an unknown customer → resource_missing on customer', async () => {
      const token = await api.post('/v1/charges', { ...base, source: 'tok_bogus' });
      expect([400, 404]).toContain(token.status);
      expect(token.body.error).toMatchObject({ code: 'resource_missing', param: 'source' });
      const customer = await api.post('/v1/charges', { amount: 1000, currency: 'usd', customer: 'cus_nope' });
      expect([400, 404]).toContain(customer.status);
      expect(customer.body.error).toMatchObject({ code: 'resource_missing', param: 'customer' });
    });

    it('an invalid card number is refused before any charge exists', async () => {
      const res = await api.post('/v1/charges', {
        amount: 1000, currency: 'usd', card: { number: '4242424242424241', exp_month: 12, exp_year: 2099, cvc: '123' },
      });
      expect([400, 402]).toContain(res.status);
      expect(res.body.error).toMatchObject({ type: 'card_error', code: 'incorrect_number', param: 'number' });
      // A card error names the card's field bare, as Stripe's do, wherever the hash was sent.
      const asSource = await api.post('/v1/charges', {
        amount: 1000, currency: 'usd', source: { object: 'card', number: '4242424242424241', exp_month: 12, exp_year: 2099, cvc: '123' },
      });
      expect(asSource.body.error).toMatchObject({ type: 'card_error', code: 'incorrect_number', param: 'number' });
      const pastAsSource = await api.post('/v1/charges', {
        amount: 1000, currency: 'usd', source: { object: 'card', number: '4242424242424242', exp_month: 12, exp_year: 2020 },
      });
      expect(pastAsSource.body.error).toMatchObject({ type: 'card_error', code: 'invalid_expiry_year', param: 'exp_year' });
    });

    it('a rejected request leaves no charge and no key behind, so the same key can be reused with fixed params', async () => {
      const account = new Api(server);
      const key = uniqueKey('fixme');
      const bad = await account.post('/v1/charges', { amount: 10, currency: 'usd', source: 'tok_visa' }, key);
      expect(bad.status).toBe(400);
      expect(await account.idempotencyKey(key)).toBeNull();
      const good = await account.post('/v1/charges', { amount: 1000, currency: 'usd', source: 'tok_visa' }, key);
      expect(good.status).toBe(200);
      expect(await account.allCharges()).toHaveLength(1);
    });

    it('SDK errors carry type, param and message', async () => {
      const error = await stripe.charges.create({ currency: 'usd', source: 'tok_visa' } as Stripe.ChargeCreateParams).catch((e) => e);
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ statusCode: 400, rawType: 'invalid_request_error', param: 'amount', message: 'Missing required param: amount.' });
    });
  });

  describe('idempotency and recovery points of a charge', () => {
    it('a keyed charge ends at finished, unlocked, with its response stored; a replay returns the same charge', async () => {
      const api = new Api(server);
      const key = uniqueKey('charge');
      const first = await api.post('/v1/charges', { amount: 4200, currency: 'usd', source: 'tok_visa' }, key);
      expect(first.status).toBe(200);
      const view = await api.idempotencyKey(key);
      expect(view).toMatchObject({
        request_method: 'POST', request_path: '/v1/charges', recovery_point: 'finished', locked_at: null, response_code: 200,
      });
      expect(view?.response_body.id).toBe(first.body.id);

      const again = await api.post('/v1/charges', { amount: 4200, currency: 'usd', source: 'tok_visa' }, key);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.headers.get('original-request')).toBe(first.headers.get('request-id'));
      expect(await api.allCharges()).toHaveLength(1);

      const other = await api.post('/v1/charges', { amount: 4300, currency: 'usd', source: 'tok_visa' }, key);
      expect(other.status).toBe(400);
      expect(other.body.error.type).toBe('idempotency_error');
    });

    it('a decline is stored on the key as its 402 answer', async () => {
      const api = new Api(server);
      const key = uniqueKey('declined');
      const first = await api.post('/v1/charges', { amount: 1000, currency: 'usd', source: 'tok_chargeDeclinedInsufficientFunds' }, key);
      expect(first.status).toBe(402);
      expect(await api.idempotencyKey(key)).toMatchObject({ recovery_point: 'finished', response_code: 402, locked_at: null });
      const again = await api.post('/v1/charges', { amount: 1000, currency: 'usd', source: 'tok_chargeDeclinedInsufficientFunds' }, key);
      expect(again.status).toBe(402);
      expect(again.body).toEqual(first.body);
    });
  });
});
