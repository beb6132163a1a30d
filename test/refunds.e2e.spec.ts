import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { TransactionRunner } from '../src/database/transaction-runner.js';
import { Api, uniqueKey } from './support/api.js';
import { newKey, startServer, type TestServer } from './support/server.js';

/** Every field the `stripe` package's Stripe.Refund type declares as always present. */
const REFUND_FIELDS = [
  'id', 'object', 'amount', 'balance_transaction', 'charge', 'created', 'currency', 'customer', 'customer_account', 'metadata',
  'payment_intent', 'payment_method', 'reason', 'receipt_number', 'source_transfer_reversal', 'status', 'transfer_reversal',
];

describe('refunds through the official stripe SDK', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const charge = (stripe: Stripe, params: Partial<Stripe.ChargeCreateParams> = {}) =>
    stripe.charges.create({ amount: 1000, currency: 'usd', source: 'tok_visa', ...params });

  it('refunds part of a charge, then the rest; the charge tracks amount_refunded, refunded and its refunds list', async () => {
    const stripe = server.stripe();
    const ch = await charge(stripe);

    const partial = await stripe.refunds.create({ charge: ch.id, amount: 300, reason: 'requested_by_customer', metadata: { ticket: 'T-1' } });
    expect(partial.id).toMatch(/^re_[0-9A-Za-z]+$/);
    expect(partial).toMatchObject({
      object: 'refund', amount: 300, charge: ch.id, currency: 'usd', status: 'succeeded',
      reason: 'requested_by_customer', metadata: { ticket: 'T-1' },
    });
    expect(partial.balance_transaction).toMatch(/^txn_/);
    for (const field of REFUND_FIELDS) expect(Object.keys(partial)).toContain(field);

    const afterPartial = await stripe.charges.retrieve(ch.id, { expand: ['refunds'] });
    expect(afterPartial).toMatchObject({ amount_refunded: 300, refunded: false, amount_captured: 1000, status: 'succeeded' });
    expect(afterPartial.refunds?.data.map((r) => r.id)).toEqual([partial.id]);

    // No amount: refund whatever is left.
    const rest = await stripe.refunds.create({ charge: ch.id });
    expect(rest.amount).toBe(700);
    const afterFull = await stripe.charges.retrieve(ch.id, { expand: ['refunds'] });
    expect(afterFull).toMatchObject({ amount_refunded: 1000, refunded: true });
    expect(afterFull.refunds?.data.map((r) => r.id)).toEqual([rest.id, partial.id]);
  });

  it("names the charge's customer and payment method, wherever the refund is shown", async () => {
    const stripe = server.stripe();
    const customer = await stripe.customers.create({ source: 'tok_visa' });
    const ch = await stripe.charges.create({ amount: 1000, currency: 'usd', customer: customer.id });
    const refund = await stripe.refunds.create({ charge: ch.id, amount: 100 });
    const expected = { customer: customer.id, customer_account: null, payment_method: ch.payment_method };
    expect(ch.payment_method).toMatch(/^card_/);
    expect(refund).toMatchObject(expected);
    expect(await stripe.refunds.retrieve(refund.id)).toMatchObject(expected);
    expect((await stripe.refunds.list({ charge: ch.id })).data[0]).toMatchObject(expected);
    expect((await stripe.charges.retrieve(ch.id, { expand: ['refunds'] })).refunds!.data[0]).toMatchObject(expected);

    const guest = await charge(stripe);
    expect(await stripe.refunds.create({ charge: guest.id })).toMatchObject({ customer: null, payment_method: guest.payment_method });
  });

  it('refunds a whole charge in one go', async () => {
    const stripe = server.stripe();
    const ch = await charge(stripe, { amount: 5000, currency: 'eur' });
    const refund = await stripe.refunds.create({ charge: ch.id });
    expect(refund).toMatchObject({ amount: 5000, currency: 'eur', status: 'succeeded' });
    // Back to the card, as a refund of captured money (Stripe.Refund.DestinationDetails).
    expect(refund.destination_details).toEqual({
      card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
      type: 'card',
    });
    expect(await stripe.charges.retrieve(ch.id)).toMatchObject({ amount_refunded: 5000, refunded: true });
  });

  it('refuses an over-refund (400 on amount) and leaves the charge as it was', async () => {
    const stripe = server.stripe();
    const ch = await charge(stripe);
    await stripe.refunds.create({ charge: ch.id, amount: 600 });
    const error = await stripe.refunds.create({ charge: ch.id, amount: 500 }).catch((e) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, rawType: 'invalid_request_error', param: 'amount' });
    expect(error.message.length).toBeGreaterThan(0);
    const first = await stripe.refunds.create({ charge: ch.id, amount: 1001 }).catch((e) => e);
    expect(first).toMatchObject({ statusCode: 400, param: 'amount' });
    expect(await stripe.charges.retrieve(ch.id)).toMatchObject({ amount_refunded: 600, refunded: false });
    expect((await stripe.refunds.list({ charge: ch.id })).data).toHaveLength(1);
  });

  it('refuses an empty amount (the SDK\'s amount: null) rather than refunding the whole charge', async () => {
    const key = newKey();
    const stripe = server.stripe(key);
    const ch = await charge(stripe);
    const message =
      "You passed an empty string for 'amount'. We assume empty values are an attempt to unset a parameter; however 'amount' cannot be unset. You should remove 'amount' from your request or supply a non-empty value.";
    expect(await stripe.refunds.create({ charge: ch.id, amount: null as unknown as number }).catch((e) => e)).toMatchObject({
      statusCode: 400, param: 'amount', code: 'parameter_invalid_empty', message,
    });
    const alias = await new Api(server, key).post(`/v1/charges/${ch.id}/refunds`, { amount: '' });
    expect([alias.status, alias.body.error]).toEqual([400, expect.objectContaining({ param: 'amount', code: 'parameter_invalid_empty', message })]);
    expect(await stripe.charges.retrieve(ch.id)).toMatchObject({ amount_refunded: 0, refunded: false });
  });

  it('refuses to refund a fully refunded charge: charge_already_refunded', async () => {
    const stripe = server.stripe();
    const ch = await charge(stripe);
    await stripe.refunds.create({ charge: ch.id });
    const again = await stripe.refunds.create({ charge: ch.id }).catch((e) => e);
    expect(again).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
    const partial = await stripe.refunds.create({ charge: ch.id, amount: 100 }).catch((e) => e);
    expect(partial).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
  });

  it('refuses to refund a failed charge', async () => {
    const stripe = server.stripe();
    const failed = (await charge(stripe, { source: 'tok_chargeDeclined' }).catch((e) => e)) as Stripe.errors.StripeError;
    expect(failed.statusCode).toBe(402);
    const onFailed = await stripe.refunds.create({ charge: failed.charge as string }).catch((e) => e);
    expect(onFailed).toMatchObject({ statusCode: 400, rawType: 'invalid_request_error', code: 'charge_not_refundable' });
    expect((await stripe.refunds.list()).data).toHaveLength(0);
  });

  it('refunding an uncaptured charge releases the whole authorization (Stripe\'s way to cancel a hold); it cannot be captured after', async () => {
    const stripe = server.stripe();
    const hold = await charge(stripe, { capture: false });

    const partial = await stripe.refunds.create({ charge: hold.id, amount: 400 }).catch((e) => e);
    expect(partial).toMatchObject({ statusCode: 400, rawType: 'invalid_request_error', param: 'amount' });
    expect(partial.message).toBe('You cannot partially refund an uncaptured charge. Instead, capture the charge for an amount less than the original amount');
    expect((await stripe.refunds.list()).data).toHaveLength(0);

    const release = await stripe.refunds.create({ charge: hold.id });
    expect(release).toMatchObject({ object: 'refund', amount: 1000, charge: hold.id, status: 'succeeded', balance_transaction: null });
    expect(release.destination_details).toMatchObject({ type: 'card', card: { type: 'reversal' } });
    expect(await stripe.charges.retrieve(hold.id)).toMatchObject({
      captured: false, amount_captured: 0, amount_refunded: 1000, refunded: true, status: 'succeeded', balance_transaction: null,
    });
    const [refundedEvent] = (await stripe.events.list({ type: 'charge.refunded' })).data;
    expect(refundedEvent.data.object).toMatchObject({ id: hold.id, refunded: true, amount_refunded: 1000 });

    const capture = await stripe.charges.capture(hold.id).catch((e) => e);
    expect(capture).toMatchObject({ statusCode: 400, code: 'charge_already_refunded', message: `Charge ${hold.id} has already been refunded.` });
    const again = await stripe.refunds.create({ charge: hold.id }).catch((e) => e);
    expect(again).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
    expect((await stripe.refunds.list()).data.map((r) => r.id)).toEqual([release.id]);
  });

  it('a capture and a refund of the same hold sent at once: released uncaptured, captured then refunded, or captured with the refund refused; never both captured and released', async () => {
    const stripe = server.stripe();
    const ledger = (id: string) =>
      server.app.get(TransactionRunner).read((tx) =>
        tx.all<{ kind: string }>('SELECT kind FROM card_network_operations WHERE reference = ? OR reference IN (SELECT id FROM refunds WHERE charge_id = ?) ORDER BY seq', id, id).map((op) => op.kind),
      );
    for (let round = 0; round < 6; round++) {
      const hold = await charge(stripe, { capture: false });
      const [captured, refunded] = await Promise.allSettled([
        stripe.charges.capture(hold.id),
        stripe.refunds.create({ charge: hold.id }),
      ]);
      const after = await stripe.charges.retrieve(hold.id);
      if (captured.status === 'rejected') {
        // The release came first: the capture is refused before the network captures anything.
        expect(captured.reason).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
        expect((refunded as PromiseFulfilledResult<Stripe.Refund>).value.balance_transaction).toBeNull();
        expect(after).toMatchObject({ captured: false, amount_captured: 0, amount_refunded: 1000, balance_transaction: null });
        expect(await ledger(hold.id)).toEqual(['authorize', 'refund']);
      } else if (refunded.status === 'fulfilled') {
        // The capture was recorded first: the refund gives the captured money back.
        expect(refunded.value.balance_transaction).toMatch(/^txn_/);
        expect(after).toMatchObject({ captured: true, amount_captured: 1000, amount_refunded: 1000, refunded: true });
        expect(await ledger(hold.id)).toEqual(['authorize', 'capture', 'refund']);
      } else {
        // The refund came while the capture was at the network: refused for now (the SDK would retry it).
        expect(refunded.reason).toMatchObject({ statusCode: 429, code: 'lock_timeout' });
        expect(after).toMatchObject({ captured: true, amount_captured: 1000, amount_refunded: 0 });
        expect(await ledger(hold.id)).toEqual(['authorize', 'capture']);
      }
    }
  });

  it('refunds a partially captured charge only up to what was captured', async () => {
    const stripe = server.stripe();
    const auth = await charge(stripe, { capture: false });
    await stripe.charges.capture(auth.id, { amount: 600 });
    const tooMuch = await stripe.refunds.create({ charge: auth.id, amount: 601 }).catch((e) => e);
    expect(tooMuch).toMatchObject({ statusCode: 400, param: 'amount' });
    const rest = await stripe.refunds.create({ charge: auth.id });
    expect(rest.amount).toBe(600);
    expect(await stripe.charges.retrieve(auth.id)).toMatchObject({ amount_captured: 600, amount_refunded: 1000, refunded: true });
  });

  it('retrieves, updates metadata (merging, and nothing else) and lists refunds with the charge filter', async () => {
    const secret = newKey();
    const stripe = server.stripe(secret);
    const a = await charge(stripe);
    const b = await charge(stripe);
    const r1 = await stripe.refunds.create({ charge: a.id, amount: 100, metadata: { x: '1', y: '2' } });
    const r2 = await stripe.refunds.create({ charge: b.id, amount: 200 });
    const r3 = await stripe.refunds.create({ charge: a.id, amount: 300 });

    const { lastResponse: _l, ...fetched } = await stripe.refunds.retrieve(r1.id);
    const { lastResponse: _m, ...created } = r1;
    expect(fetched).toEqual(created);

    const updated = await stripe.refunds.update(r1.id, { metadata: { y: '', z: '3' } });
    expect(updated.metadata).toEqual({ x: '1', z: '3' });
    expect(updated.amount).toBe(100);

    const api = new Api(server, secret);
    const amountUpdate = await api.post(`/v1/refunds/${r1.id}`, { amount: 50 });
    expect(amountUpdate.status).toBe(400);
    expect(amountUpdate.body.error).toMatchObject({ param: 'amount', message: 'Received unknown parameter: amount' });

    expect((await stripe.refunds.list({ charge: a.id })).data.map((r) => r.id)).toEqual([r3.id, r1.id]);
    expect((await stripe.refunds.list({ charge: b.id })).data.map((r) => r.id)).toEqual([r2.id]);
    const all = await stripe.refunds.list({ limit: 2 });
    expect(all).toMatchObject({ object: 'list', has_more: true, url: '/v1/refunds' });
    expect(all.data.map((r) => r.id)).toEqual([r3.id, r2.id]);
    expect((await stripe.refunds.list({ limit: 2, starting_after: r2.id })).data.map((r) => r.id)).toEqual([r1.id]);

    await expect(stripe.refunds.retrieve('re_nope')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    await expect(server.stripe().refunds.retrieve(r1.id)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('POST /v1/charges/:id/refunds is an alias of POST /v1/refunds', async () => {
    const api = new Api(server);
    const ch = await api.post('/v1/charges', { amount: 1000, currency: 'usd', source: 'tok_visa' });
    const res = await api.post(`/v1/charges/${ch.body.id}/refunds`, { amount: 250, reason: 'duplicate' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'refund', charge: ch.body.id, amount: 250, reason: 'duplicate', status: 'succeeded' });
    expect((await api.get(`/v1/charges/${ch.body.id}`)).body).toMatchObject({ amount_refunded: 250 });
    expect((await api.get(`/v1/refunds/${res.body.id}`)).body.id).toBe(res.body.id);
  });

  it("refund events' previous_attributes name only what changed: the charge's amount and refunded state, a refund's changed metadata keys", async () => {
    const stripe = server.stripe();
    const ch = await charge(stripe);
    const first = await stripe.refunds.create({ charge: ch.id, amount: 300 });
    const second = await stripe.refunds.create({ charge: ch.id, amount: 700 });

    const refunded = (await stripe.events.list({ type: 'charge.refunded' })).data; // newest first
    expect(refunded).toHaveLength(2);
    // An event's charge is never expanded: no refunds in it, as on Stripe since 2022-11-15.
    expect(refunded[1].data.object).toMatchObject({ id: ch.id, amount_refunded: 300, refunded: false });
    expect(refunded[1].data.object).not.toHaveProperty('refunds');
    expect(refunded[1].data.previous_attributes).toEqual({ amount_refunded: 0 });
    expect(refunded[0].data.object).toMatchObject({ amount_refunded: 1000, refunded: true });
    expect(refunded[0].data.previous_attributes).toEqual({ amount_refunded: 300, refunded: false });
    // refund.created names each refund.
    expect((await stripe.events.list({ type: 'refund.created' })).data.map((e) => (e.data.object as Stripe.Refund).id)).toEqual([second.id, first.id]);

    await stripe.refunds.update(first.id, { metadata: { a: 'b', keep: 'k' } });
    await stripe.refunds.update(first.id, { metadata: { x: 'y', a: '' } });
    await stripe.refunds.update(first.id, { metadata: { q: '1' } });
    for (const type of ['refund.updated', 'charge.refund.updated']) {
      const updates = (await stripe.events.list({ type })).data.reverse();
      expect(updates.map((e) => e.data.previous_attributes)).toEqual([
        { metadata: { a: null, keep: null } },
        { metadata: { a: 'b', x: null } },
        { metadata: { q: null } },
      ]);
      expect(updates[2].data.object).toMatchObject({ id: first.id, metadata: { keep: 'k', x: 'y', q: '1' } });
    }
  });

  it('a charge shows its 10 newest refunds when asked, with has_more, as Stripe caps sublists; the rest page through its refunds list', async () => {
    const stripe = server.stripe();
    const ch = await charge(stripe, { amount: 5000 });
    const made: string[] = [];
    for (let i = 0; i < 12; i++) made.push((await stripe.refunds.create({ charge: ch.id, amount: 100 })).id);
    const newestFirst = [...made].reverse();

    expect(await stripe.charges.retrieve(ch.id)).not.toHaveProperty('refunds');
    const read = await stripe.charges.retrieve(ch.id, { expand: ['refunds'] });
    expect(read.amount_refunded).toBe(1200);
    expect(read.refunds).toMatchObject({ object: 'list', has_more: true, total_count: 12, url: `/v1/charges/${ch.id}/refunds` });
    expect(read.refunds!.data.map((r) => r.id)).toEqual(newestFirst.slice(0, 10));
    const listed = (await stripe.charges.list({ limit: 100, expand: ['data.refunds'] })).data.find((c) => c.id === ch.id)!;
    expect(listed.refunds).toEqual(read.refunds);
    expect((await stripe.charges.list({ limit: 100 })).data.find((c) => c.id === ch.id)).not.toHaveProperty('refunds');
    const all = await stripe.refunds.list({ charge: ch.id, limit: 100 });
    expect(all.data.map((r) => r.id)).toEqual(newestFirst);
  });

  it("GET /v1/charges/:id/refunds lists that charge's refunds, and is a 404 for a charge that does not exist", async () => {
    const api = new Api(server);
    const ch = await api.post('/v1/charges', { amount: 1000, currency: 'usd', source: 'tok_visa' });
    const refund = await api.post(`/v1/charges/${ch.body.id}/refunds`, { amount: 100 });
    await api.post('/v1/refunds', { charge: (await api.post('/v1/charges', { amount: 500, currency: 'usd', source: 'tok_visa' })).body.id });

    const listed = await api.get(`/v1/charges/${ch.body.id}/refunds`);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ object: 'list', url: `/v1/charges/${ch.body.id}/refunds`, has_more: false });
    expect(listed.body.data.map((r: { id: string }) => r.id)).toEqual([refund.body.id]);

    const missing = await api.get('/v1/charges/ch_nope/refunds');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing', param: 'id', message: "No such charge: 'ch_nope'" });

    // The charge is in the path; a `charge` filter as well is not a param of this route.
    const filtered = await api.get(`/v1/charges/${ch.body.id}/refunds?charge=ch_other`);
    expect(filtered.status).toBe(400);
    expect(filtered.body.error).toMatchObject({ type: 'invalid_request_error', param: 'charge', message: 'Received unknown parameter: charge' });
  });

  it('GET and POST /v1/charges/:id/refunds/:refund retrieve and update a refund of that charge; another charge\'s refund is not found', async () => {
    const api = new Api(server);
    const ch = await api.post('/v1/charges', { amount: 1000, currency: 'usd', source: 'tok_visa' });
    const other = await api.post('/v1/charges', { amount: 500, currency: 'usd', source: 'tok_visa' });
    const refund = await api.post('/v1/refunds', { charge: ch.body.id, amount: 100 });
    const foreign = await api.post('/v1/refunds', { charge: other.body.id });

    const read = await api.get(`/v1/charges/${ch.body.id}/refunds/${refund.body.id}`);
    expect([read.status, read.body]).toEqual([200, refund.body]);
    const updated = await api.post(`/v1/charges/${ch.body.id}/refunds/${refund.body.id}`, { metadata: { ticket: 'T-9' } });
    expect([updated.status, updated.body.metadata]).toEqual([200, { ticket: 'T-9' }]);
    expect((await api.get(`/v1/refunds/${refund.body.id}`)).body.metadata).toEqual({ ticket: 'T-9' });

    const notThisCharges = { type: 'invalid_request_error', code: 'resource_missing', message: `No such refund: '${foreign.body.id}'` };
    expect((await api.get(`/v1/charges/${ch.body.id}/refunds/${foreign.body.id}`)).body.error).toMatchObject(notThisCharges);
    const refused = await api.post(`/v1/charges/${ch.body.id}/refunds/${foreign.body.id}`, { metadata: { x: 'y' } });
    expect([refused.status, refused.body.error]).toEqual([404, expect.objectContaining(notThisCharges)]);
    expect((await api.get(`/v1/refunds/${foreign.body.id}`)).body.metadata).toEqual({});

    // As on charges, a payment intent filter is accepted and matches nothing: no refund here has one.
    const byIntent = await api.get('/v1/refunds', { payment_intent: 'pi_123' });
    expect([byIntent.status, byIntent.body.data]).toEqual([200, []]);
  });

  it("refunds.cancel is refused as Stripe refuses a card refund's cancel (only requires_action can be), and changes nothing; an unknown refund is a 404", async () => {
    const stripe = server.stripe();
    const ch = await charge(stripe);
    const refund = await stripe.refunds.create({ charge: ch.id, amount: 300 });
    await expect(stripe.refunds.cancel(refund.id)).rejects.toMatchObject({
      statusCode: 400,
      type: 'StripeInvalidRequestError',
      message: `Refund ${refund.id} cannot be canceled: its status is succeeded. Only a refund with status requires_action can be canceled, and a card refund never requires action.`,
    });
    expect(await stripe.refunds.retrieve(refund.id)).toEqual(refund);
    expect((await stripe.charges.retrieve(ch.id)).amount_refunded).toBe(300);
    await expect(stripe.refunds.cancel('re_missing')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id', message: "No such refund: 're_missing'" });
    await expect(stripe.refunds.cancel(refund.id, { expand: ['nope'] })).rejects.toMatchObject({ statusCode: 400, message: 'This property cannot be expanded (nope).' });
  });

  it.each([
    ['missing charge', { amount: 100 }, null],
    ['unknown charge', { charge: 'ch_nope' }, 'charge'],
    ['invalid reason', { reason: 'because' }, 'reason'],
    ['zero amount', { amount: 0 }, 'amount'],
    ['non-integer amount', { amount: 'lots' }, 'amount'],
    ['unknown parameter', { bogus: 'x' }, 'bogus'],
  ])('bad input: %s → 4xx invalid_request_error', async (_label, params, param) => {
    const api = new Api(server);
    const ch = await api.post('/v1/charges', { amount: 1000, currency: 'usd', source: 'tok_visa' });
    const body = { charge: ch.body.id, ...params } as Record<string, unknown>;
    if (_label === 'missing charge') delete body.charge;
    const res = await api.post('/v1/refunds', body);
    expect([400, 404]).toContain(res.status);
    expect(res.body.error.type).toBe('invalid_request_error');
    if (param) expect(res.body.error.param).toBe(param);
    expect((await api.get(`/v1/charges/${ch.body.id}`)).body.amount_refunded).toBe(0);
  });

  it('takes a payment_intent as the SDK types it: none exists here, so it is missing; neither it nor a charge is refused in Stripe\'s words', async () => {
    const stripe = server.stripe();
    await expect(stripe.refunds.create({ payment_intent: 'pi_123' })).rejects.toMatchObject({
      statusCode: 404, type: 'StripeInvalidRequestError', code: 'resource_missing', param: 'payment_intent', message: "No such payment_intent: 'pi_123'",
    });
    await expect(stripe.refunds.create({ amount: 100 })).rejects.toMatchObject({
      statusCode: 400, code: 'parameter_missing', param: 'charge', message: 'One of the following params should be provided for this request: payment_intent or charge.',
    });
    const api = new Api(server);
    // Like an unknown charge, the 404 is the keyed request's answer: its retry replays it.
    const piKey = uniqueKey('payment-intent');
    const missing = await api.post('/v1/refunds', { payment_intent: 'pi_123' }, piKey);
    const again = await api.post('/v1/refunds', { payment_intent: 'pi_123' }, piKey);
    expect([again.status, again.headers.get('idempotent-replayed'), again.body]).toEqual([404, 'true', missing.body]);
    const key = uniqueKey('no-charge');
    expect((await api.post('/v1/refunds', { amount: 100 }, key)).status).toBe(400);
    // Refused before any work: the key stays free for the fixed request.
    const ch = await api.post('/v1/charges', { amount: 1000, currency: 'usd', source: 'tok_visa' });
    expect((await api.post('/v1/refunds', { charge: ch.body.id, amount: 100 }, key)).status).toBe(200);
    expect((await api.post('/v1/refunds', { charge: '' })).body.error).toMatchObject({ code: 'parameter_invalid_empty', param: 'charge' });
  });

  it('a keyed refund walks its recovery points to finished and replays', async () => {
    const api = new Api(server);
    const ch = await api.post('/v1/charges', { amount: 1000, currency: 'usd', source: 'tok_visa' });
    const key = uniqueKey('refund');
    const first = await api.post('/v1/refunds', { charge: ch.body.id, amount: 400 }, key);
    expect(first.status).toBe(200);
    expect(await api.idempotencyKey(key)).toMatchObject({
      request_path: '/v1/refunds', recovery_point: 'finished', locked_at: null, response_code: 200,
    });
    const again = await api.post('/v1/refunds', { charge: ch.body.id, amount: 400 }, key);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await api.get(`/v1/charges/${ch.body.id}`)).body.amount_refunded).toBe(400);
    expect(await api.allRefunds()).toHaveLength(1);
  });

  it('refusing an already refunded charge is a final answer, stored on its key', async () => {
    const api = new Api(server);
    const ch = await api.post('/v1/charges', { amount: 1000, currency: 'usd', source: 'tok_visa' });
    await api.post('/v1/refunds', { charge: ch.body.id });
    const key = uniqueKey('already');
    const first = await api.post('/v1/refunds', { charge: ch.body.id }, key);
    expect(first.status).toBe(400);
    expect(first.body.error.code).toBe('charge_already_refunded');
    expect(await api.idempotencyKey(key)).toMatchObject({ recovery_point: 'finished', response_code: 400 });
  });
});
