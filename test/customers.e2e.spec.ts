import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { newKey, startServer, type TestServer } from './support/server.js';
import { send } from './support/wire.js';

/** Every field of `Stripe.Customer` oncepay serializes; all present, null where unknown. */
const CUSTOMER_FIELDS = [
  'id', 'object', 'address', 'balance', 'created', 'currency', 'default_source', 'delinquent', 'description', 'discount',
  'email', 'invoice_prefix', 'invoice_settings', 'livemode', 'metadata', 'name', 'next_invoice_sequence', 'phone',
  'preferred_locales', 'shipping', 'tax_exempt', 'test_clock',
];

/** Every field `Stripe.Card` declares as always present. */
const CARD_FIELDS = [
  'id', 'object', 'address_city', 'address_country', 'address_line1', 'address_line1_check', 'address_line2', 'address_state',
  'address_zip', 'address_zip_check', 'brand', 'country', 'cvc_check', 'dynamic_last4', 'exp_month', 'exp_year', 'funding',
  'last4', 'metadata', 'name', 'regulated_status', 'tokenization_method',
];

describe('customers through the official stripe SDK', () => {
  let server: TestServer;
  let stripe: Stripe;

  beforeAll(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  afterAll(() => server.close());

  it('creates, retrieves, updates (merging metadata) and deletes a customer', async () => {
    const created = await stripe.customers.create({
      email: 'ada@example.com',
      name: 'Ada',
      metadata: { plan: 'pro', team: 'core' },
      address: { city: 'London', country: 'GB' },
    });
    expect(created.id).toMatch(/^cus_[0-9A-Za-z]{14}$/);
    expect(created).toMatchObject({ object: 'customer', email: 'ada@example.com', livemode: false, balance: 0 });
    expect(created.address).toEqual({ city: 'London', country: 'GB', line1: null, line2: null, postal_code: null, state: null });

    const fetched = await stripe.customers.retrieve(created.id);
    expect(fetched).toEqual(created);

    const updated = await stripe.customers.update(created.id, { metadata: { team: '', region: 'eu' }, description: 'vip' });
    expect(updated.metadata).toEqual({ plan: 'pro', region: 'eu' });
    expect(updated.description).toBe('vip');

    const deleted = await stripe.customers.del(created.id);
    expect(deleted).toEqual({ id: created.id, object: 'customer', deleted: true });
    await expect(stripe.customers.retrieve(created.id)).resolves.toEqual({ id: created.id, object: 'customer', deleted: true });
    await expect(stripe.customers.update(created.id, { name: 'x' })).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('keeps numbered metadata keys (a year, an order line) as keys, on create and on update', async () => {
    const customer = await stripe.customers.create({ metadata: { '2024': 'joined', '0': 'first' } });
    expect(customer.metadata).toEqual({ '2024': 'joined', '0': 'first' });
    const updated = await stripe.customers.update(customer.id, { metadata: { '0': '', '7': 'seven' } });
    expect(updated.metadata).toEqual({ '2024': 'joined', '7': 'seven' });
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ metadata: { '2024': 'joined', '7': 'seven' } });
  });

  it('holds metadata to 50 keys across updates, as Stripe does: the update that would pass it is a 400 and changes nothing', async () => {
    const keys = (from: number, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${from + i}`, 'v']));
    const customer = await stripe.customers.create({ metadata: keys(0, 30) });
    await stripe.customers.update(customer.id, { metadata: keys(30, 20) });
    const error = await stripe.customers.update(customer.id, { metadata: { one: 'more' }, name: 'not saved' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400, param: 'metadata', message: 'Invalid metadata: metadata cannot have more than 50 keys.' });
    const after = await stripe.customers.retrieve(customer.id) as Stripe.Customer;
    expect([Object.keys(after.metadata).length, after.name]).toEqual([50, null]);
    // Replacing a key, or deleting one to make room, is fine.
    await stripe.customers.update(customer.id, { metadata: { k0: '', one: 'more', k1: 'changed' } });
    expect((await stripe.customers.retrieve(customer.id) as Stripe.Customer).metadata).toMatchObject({ one: 'more', k1: 'changed' });
    // Charges hold the same rule.
    const charge = await stripe.charges.create({ amount: 500, currency: 'usd', source: 'tok_visa', metadata: keys(0, 50) });
    const chargeError = await stripe.charges.update(charge.id, { metadata: { extra: 'x' } }).catch((e: unknown) => e);
    expect(chargeError).toMatchObject({ statusCode: 400, param: 'metadata' });
  });

  it('a declining test card cannot be attached (402, nothing saved); tok_chargeCustomerFail attaches and declines when charged', async () => {
    const account = server.stripe();
    await expect(account.customers.create({ name: 'declined', source: 'tok_chargeDeclined' })).rejects.toMatchObject({
      type: 'StripeCardError', statusCode: 402, code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.',
    });
    expect((await account.customers.list()).data).toEqual([]);

    const customer = await account.customers.create({ source: 'tok_visa' });
    await expect(account.customers.createSource(customer.id, { source: 'tok_chargeDeclinedInsufficientFunds' })).rejects.toMatchObject({
      statusCode: 402, code: 'card_declined', decline_code: 'insufficient_funds',
    });
    await expect(account.customers.update(customer.id, { source: 'tok_chargeDeclinedExpiredCard' })).rejects.toMatchObject({
      statusCode: 402, code: 'expired_card', param: 'exp_month',
    });
    expect((await account.customers.listSources(customer.id, { object: 'card' })).data.map((c) => c.id)).toEqual([customer.default_source]);

    const failsLater = await account.customers.create({ source: 'tok_chargeCustomerFail' });
    await expect(account.charges.create({ amount: 500, currency: 'usd', customer: failsLater.id })).rejects.toMatchObject({
      statusCode: 402, code: 'card_declined',
    });
  });

  it('emits the events Stripe does for sources: created with the customer, and customer.updated when the default changes', async () => {
    const account = server.stripe();
    const types = async () => (await account.events.list({ limit: 100 })).data.map((e) => e.type).reverse();

    const customer = await account.customers.create({ source: 'tok_visa' });
    expect(await types()).toEqual(['customer.created', 'customer.source.created']);
    const first = customer.default_source as string;

    const bare = await account.customers.create({});
    const card = await account.customers.createSource(bare.id, { source: 'tok_mastercard' });
    const events = (await account.events.list({ limit: 100 })).data;
    const becameDefault = events.find((e) => e.type === 'customer.updated' && (e.data.object as Stripe.Customer).id === bare.id)!;
    expect(becameDefault.data.object).toMatchObject({ id: bare.id, default_source: card.id });
    expect(becameDefault.data.previous_attributes).toEqual({ default_source: null });

    // A `source` update replaces the default: the old default card is deleted.
    await account.customers.update(customer.id, { source: 'tok_amex' });
    const second = (await account.customers.retrieve(customer.id) as Stripe.Customer).default_source as string;
    expect((await types()).slice(-3)).toEqual(['customer.source.created', 'customer.source.deleted', 'customer.updated']);

    const third = (await account.customers.createSource(customer.id, { source: 'tok_visa' })).id;
    await account.customers.deleteSource(customer.id, second);
    const afterDelete = (await account.events.list({ limit: 2 })).data;
    expect(afterDelete.map((e) => e.type)).toEqual(['customer.updated', 'customer.source.deleted']);
    expect(afterDelete[0].data).toMatchObject({ object: { default_source: third }, previous_attributes: { default_source: second } });
    expect(third).not.toBe(first);
  });

  it("keeps a source's metadata and a card hash's name; updateSource changes the card's holder details, expiry and metadata", async () => {
    const account = server.stripe();
    const customer = await account.customers.create({});
    const card = (await account.customers.createSource(customer.id, { source: 'tok_visa', metadata: { a: 'b' } })) as Stripe.Card;
    expect(card).toMatchObject({ object: 'card', customer: customer.id, metadata: { a: 'b' }, name: null, address_zip: null });
    for (const field of CARD_FIELDS) expect(Object.keys(card)).toContain(field);

    const newMonth = (card.exp_month % 12) + 1;
    const updated = (await account.customers.updateSource(customer.id, card.id, {
      name: 'Jenny Rosen', address_line1: '1 Main St', address_city: 'Springfield', address_zip: '94107', address_country: 'US',
      exp_month: String(newMonth), exp_year: String(card.exp_year + 1), metadata: { a: '', c: 'd' },
    })) as Stripe.Card;
    const expected = {
      id: card.id, name: 'Jenny Rosen', address_line1: '1 Main St', address_line2: null, address_city: 'Springfield',
      address_state: null, address_zip: '94107', address_country: 'US', exp_month: newMonth, exp_year: card.exp_year + 1, metadata: { c: 'd' },
      last4: '4242', brand: 'Visa', fingerprint: card.fingerprint,
    };
    expect(updated).toMatchObject(expected);
    expect(await account.customers.retrieveSource(customer.id, card.id)).toMatchObject(expected);
    expect((await account.customers.listSources(customer.id, { object: 'card' })).data).toMatchObject([expected]);

    const [event] = (await account.events.list({ type: 'customer.source.updated' })).data;
    expect(event.data.object).toMatchObject(expected);
    expect(event.data.previous_attributes).toEqual({
      name: null, address_line1: null, address_city: null, address_zip: null, address_country: null,
      // Checked once given (see the charge's card hash): they changed with the address.
      address_line1_check: null, address_zip_check: null,
      exp_month: card.exp_month, exp_year: card.exp_year, metadata: { a: 'b', c: null },
    });

    // A charge made with the card carries the updated details in its source.
    const charge = await account.charges.create({ amount: 500, currency: 'usd', customer: customer.id });
    expect(charge.source).toMatchObject({ id: card.id, name: 'Jenny Rosen', address_zip: '94107', exp_year: card.exp_year + 1 });
    expect(charge.billing_details).toEqual({
      address: { city: 'Springfield', country: 'US', line1: '1 Main St', line2: null, postal_code: '94107', state: null },
      email: null, name: 'Jenny Rosen', phone: null, tax_id: null,
    });

    const hashCharge = await account.charges.create({
      amount: 500, currency: 'usd',
      source: { object: 'card', number: '4242424242424242', exp_month: 12, exp_year: 2034, name: 'Pat Doe' } as never,
    });
    expect(hashCharge.source).toMatchObject({ name: 'Pat Doe', exp_year: 2034 });
    expect(hashCharge.billing_details.name).toBe('Pat Doe');
  });

  it('refuses a bad source update with a Stripe error and changes nothing', async () => {
    const account = server.stripe();
    const customer = await account.customers.create({ source: 'tok_visa' });
    const cardId = customer.default_source as string;
    const other = await account.customers.create({ source: 'tok_mastercard' });
    const refusals: Array<[() => Promise<unknown>, Record<string, unknown>]> = [
      [() => account.customers.updateSource(customer.id, 'card_nope', { name: 'x' }), { statusCode: 404, code: 'resource_missing', param: 'id' }],
      [() => account.customers.updateSource('cus_nope', cardId, { name: 'x' }), { statusCode: 404, code: 'resource_missing' }],
      [() => account.customers.updateSource(other.id, cardId, { name: 'x' }), { statusCode: 404, code: 'resource_missing', param: 'id' }],
      [() => account.customers.updateSource(customer.id, cardId, { exp_month: '13' }), { type: 'StripeCardError', statusCode: 402, code: 'invalid_expiry_month', param: 'exp_month', message: "Your card's expiration month is invalid." }],
      [() => account.customers.updateSource(customer.id, cardId, { number: '4000000000000002' } as never), { statusCode: 400, param: 'number' }],
    ];
    // An expiry in the past, as Stripe checks a card's: a card_error naming the field that makes it so.
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const pastInYear = lastMonth.getUTCFullYear() < now.getUTCFullYear();
    refusals.push(
      [() => account.customers.updateSource(customer.id, cardId, { exp_year: '5' }),
        { type: 'StripeCardError', statusCode: 402, code: 'invalid_expiry_year', param: 'exp_year', message: "Your card's expiration year is invalid." }],
      [() => account.customers.updateSource(customer.id, cardId, { exp_month: String(lastMonth.getUTCMonth() + 1), exp_year: String(lastMonth.getUTCFullYear()) }),
        pastInYear
          ? { type: 'StripeCardError', statusCode: 402, code: 'invalid_expiry_year', param: 'exp_year' }
          : { type: 'StripeCardError', statusCode: 402, code: 'invalid_expiry_month', param: 'exp_month', message: "Your card's expiration month is invalid." }],
    );
    const before = await account.customers.retrieveSource(customer.id, cardId);
    for (const [call, error] of refusals) await expect(call()).rejects.toMatchObject({ type: 'StripeInvalidRequestError', ...error });
    const { lastResponse: _before, ...unchanged } = before;
    expect(await account.customers.retrieveSource(customer.id, cardId)).toMatchObject(unchanged);
    expect((await account.events.list({ type: 'customer.source.updated' })).data).toHaveLength(0);

    // A card that is not this customer's (another's, or one a charge made with no customer) is not its source.
    const guestCard = (await account.charges.create({ amount: 500, currency: 'usd', source: 'tok_visa' })).payment_method as string;
    for (const card of [guestCard, other.default_source as string]) {
      const notLinked = { statusCode: 404, code: 'resource_missing', param: 'id', message: `Customer ${customer.id} does not have a linked source with ID ${card}.` };
      await expect(account.customers.retrieveSource(customer.id, card)).rejects.toMatchObject(notLinked);
      await expect(account.customers.updateSource(customer.id, card, { name: 'x' })).rejects.toMatchObject(notLinked);
      await expect(account.customers.deleteSource(customer.id, card)).rejects.toMatchObject(notLinked);
    }
    // An update that changes nothing emits nothing.
    await account.customers.updateSource(customer.id, cardId, { name: 'Same' });
    await account.customers.updateSource(customer.id, cardId, { name: 'Same' });
    expect((await account.events.list({ type: 'customer.source.updated' })).data).toHaveLength(1);
  });

  it('checks default_source also when a new source comes with it: a bad one refuses the update, a good one stays the default', async () => {
    const account = server.stripe();
    const customer = await account.customers.create({ source: 'tok_visa' });
    const first = customer.default_source as string;
    const stranger = (await account.customers.create({ source: 'tok_visa' })).default_source as string;

    for (const [defaultSource, status] of [['card_nope', 404], [stranger, 400]] as const) {
      await expect(account.customers.update(customer.id, { source: 'tok_mastercard', default_source: defaultSource })).rejects.toMatchObject({
        statusCode: status, param: 'default_source',
      });
    }
    expect((await account.customers.listSources(customer.id, { object: 'card' })).data.map((c) => c.id)).toEqual([first]);

    const kept = await account.customers.update(customer.id, { source: 'tok_mastercard', default_source: first });
    expect(kept.default_source).toBe(first);
    const sources = (await account.customers.listSources(customer.id, { object: 'card' })).data as Stripe.Card[];
    expect(sources.map((c) => c.brand)).toEqual(['MasterCard', 'Visa']);
  });

  it('replays the same Idempotency-Key without creating a second customer', async () => {
    const account = server.stripe();
    const first = await account.customers.create({ email: 'k@example.com' }, { idempotencyKey: 'once' });
    const again = await account.customers.create({ email: 'k@example.com' }, { idempotencyKey: 'once' });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(again.lastResponse.headers['original-request']).toBe(first.lastResponse.requestId);
    const list = await account.customers.list();
    expect(list.data.map((c) => c.id)).toEqual([first.id]);
  });

  it('serializes every Stripe.Customer field, null where unknown', async () => {
    const key = newKey();
    const before = Math.floor(Date.now() / 1000);
    const res = await send(server, 'POST', '/v1/customers', { key, form: {} });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual([...CUSTOMER_FIELDS].sort());
    expect(res.body).toMatchObject({
      object: 'customer',
      address: null,
      balance: 0,
      currency: null,
      default_source: null,
      description: null,
      email: null,
      livemode: false,
      metadata: {},
      name: null,
      phone: null,
      shipping: null,
    });
    expect(res.body.id).toMatch(/^cus_[0-9A-Za-z]+$/);
    expect(res.body.created).toBeGreaterThanOrEqual(before);
    expect(res.body.created).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(res.body.invoice_prefix).toMatch(/^[0-9A-Z]+$/);
  });

  it('stores every writable field, and unsets fields sent empty', async () => {
    const customer = await stripe.customers.create({
      email: 'grace@example.com',
      name: 'Grace',
      description: 'admiral',
      phone: '+15555550100',
      balance: -250,
      invoice_prefix: 'GRACE1',
      address: { line1: '1 Navy Way', city: 'Arlington', state: 'VA', postal_code: '22201', country: 'US' },
      shipping: { name: 'Grace H', address: { line1: '2 Dock St', city: 'Norfolk', country: 'US' }, phone: '+15555550101' },
      metadata: { rank: 'rear admiral' },
    });
    expect(customer).toMatchObject({
      email: 'grace@example.com',
      description: 'admiral',
      phone: '+15555550100',
      balance: -250,
      invoice_prefix: 'GRACE1',
      address: { line1: '1 Navy Way', line2: null, city: 'Arlington', state: 'VA', postal_code: '22201', country: 'US' },
      shipping: {
        name: 'Grace H',
        phone: '+15555550101',
        address: { line1: '2 Dock St', line2: null, city: 'Norfolk', state: null, postal_code: null, country: 'US' },
      },
    });

    const unset = await stripe.customers.update(customer.id, { email: '', description: '', address: '', shipping: '', metadata: '' });
    expect(unset).toMatchObject({ email: null, description: null, address: null, shipping: null, metadata: {}, name: 'Grace', balance: -250 });
    expect(await stripe.customers.retrieve(customer.id)).toEqual(unset);
  });

  it('keeps business_name and individual_name, shown only while set (Stripe.Customer\'s optional fields); sent empty, they go', async () => {
    const customer = await stripe.customers.create({ business_name: 'Acme Ltd', individual_name: 'Ada Lovelace' });
    expect(customer).toMatchObject({ business_name: 'Acme Ltd', individual_name: 'Ada Lovelace' });
    expect(await stripe.customers.retrieve(customer.id)).toEqual(customer);

    const renamed = await stripe.customers.update(customer.id, { business_name: 'Acme Inc' });
    expect(renamed).toMatchObject({ business_name: 'Acme Inc', individual_name: 'Ada Lovelace' });
    const unset = await stripe.customers.update(customer.id, { business_name: '', individual_name: '' });
    expect(Object.keys(unset)).not.toContain('business_name');
    expect(Object.keys(unset)).not.toContain('individual_name');
    expect(Object.keys(await stripe.customers.create({ name: 'plain' }))).not.toContain('business_name');

    expect(await stripe.customers.create({ business_name: 'x'.repeat(151) }).catch((e) => e)).toMatchObject({ statusCode: 400, param: 'business_name' });
  });

  it('stores preferred_locales in order, replaces them on update, clears them sent empty; a customer without them has []', async () => {
    const plain = await stripe.customers.create({ name: 'no locales' });
    expect(plain.preferred_locales).toEqual([]);

    const customer = await stripe.customers.create({ preferred_locales: ['fr-FR', 'en'] });
    expect(customer.preferred_locales).toEqual(['fr-FR', 'en']);
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ preferred_locales: ['fr-FR', 'en'] });

    const updated = await stripe.customers.update(customer.id, { preferred_locales: ['de'] });
    expect(updated.preferred_locales).toEqual(['de']);
    const [event] = (await stripe.events.list({ type: 'customer.updated', limit: 1 })).data;
    expect(event.data).toMatchObject({ object: { id: customer.id, preferred_locales: ['de'] }, previous_attributes: { preferred_locales: ['fr-FR', 'en'] } });

    // Stripe's way to clear a list is the empty string (this SDK's types only say string[], and it sends
    // nothing at all for an empty array).
    expect((await stripe.customers.update(customer.id, { preferred_locales: '' as unknown as string[] })).preferred_locales).toEqual([]);
    const refused = await stripe.customers.update(customer.id, { preferred_locales: { a: 'b' } as never }).catch((e) => e);
    expect(refused).toMatchObject({ statusCode: 400, param: 'preferred_locales' });
  });

  it('accepts the same params as a JSON body', async () => {
    const key = newKey();
    const res = await fetch(`${server.url}/v1/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Json', balance: 5, metadata: { a: '1' }, address: { city: 'Oslo' } }),
    });
    expect(res.status).toBe(200);
    const created = (await res.json()) as { id: string };
    expect(created).toMatchObject({ name: 'Json', balance: 5, metadata: { a: '1' }, address: { city: 'Oslo', country: null } });
    // null is JSON's empty value: it unsets, as `metadata[a]=` and `name=` do in a form.
    const updated = await fetch(`${server.url}/v1/customers/${created.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: null, metadata: { a: null, b: '2' } }),
    });
    expect([updated.status, await updated.json()]).toEqual([200, expect.objectContaining({ name: null, metadata: { b: '2' } })]);
  });

  it('finds customers by exact email', async () => {
    const account = server.stripe();
    const a = await account.customers.create({ email: 'same@example.com' });
    await account.customers.create({ email: 'other@example.com' });
    const b = await account.customers.create({ email: 'same@example.com' });
    expect((await account.customers.list({ email: 'same@example.com' })).data.map((c) => c.id)).toEqual([b.id, a.id]);
    expect((await account.customers.list({ email: 'SAME@example.com' })).data).toEqual([]);
  });

  it('deletes once: gone from lists, the stub on retrieve, 404 on update and on a second delete', async () => {
    const account = server.stripe();
    const keep = await account.customers.create({ name: 'keep' });
    const gone = await account.customers.create({ name: 'gone' });
    await account.customers.del(gone.id);

    expect((await account.customers.list()).data.map((c) => c.id)).toEqual([keep.id]);
    expect(await account.customers.retrieve(gone.id)).toMatchObject({ id: gone.id, object: 'customer', deleted: true });
    await expect(account.customers.update(gone.id, { name: 'back' })).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id' });
    await expect(account.customers.del(gone.id)).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id' });
  });

  it("takes a deleted customer's cards with it: charging one is a 404, with or without the customer", async () => {
    const account = server.stripe();
    const customer = await account.customers.create({ source: 'tok_visa' });
    const card = customer.default_source as string;
    expect((await account.charges.create({ amount: 500, currency: 'usd', customer: customer.id, source: card })).status).toBe('succeeded');
    await account.customers.del(customer.id);

    const noSuchSource = { statusCode: 404, code: 'resource_missing', param: 'source', message: `No such source: '${card}'` };
    await expect(account.charges.create({ amount: 500, currency: 'usd', source: card })).rejects.toMatchObject(noSuchSource);
    await expect(account.charges.create({ amount: 500, currency: 'usd', customer: customer.id, source: card })).rejects.toMatchObject({ statusCode: 404 });
    expect((await account.charges.list()).data).toHaveLength(1);
  });

  it('keeps accounts apart: another account cannot read, change or delete a customer', async () => {
    const owner = server.stripe();
    const intruder = server.stripe();
    const customer = await owner.customers.create({ name: 'private' });
    const missing = { statusCode: 404, code: 'resource_missing', message: `No such customer: '${customer.id}'` };

    await expect(intruder.customers.retrieve(customer.id)).rejects.toMatchObject(missing);
    await expect(intruder.customers.update(customer.id, { name: 'hacked' })).rejects.toMatchObject(missing);
    await expect(intruder.customers.del(customer.id)).rejects.toMatchObject(missing);
    expect((await intruder.customers.list()).data).toEqual([]);
    expect(await owner.customers.retrieve(customer.id)).toMatchObject({ name: 'private' });
  });
});
