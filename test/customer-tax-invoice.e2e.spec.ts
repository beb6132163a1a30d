import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { accountIdForKey } from '../src/common/http/api-key.guard.js';
import { CustomerTaxInvoiceSettings1765300000000 } from '../src/database/migrations/1765300000000-customer-tax-invoice-settings.js';
import { newKey, startServer, type TestServer } from './support/server.js';
import { rejection } from './support/errors.js';
import { serverOnDatabaseBefore } from './support/old-database.js';
import { send } from './support/wire.js';

const NO_INVOICE_SETTINGS = { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null };

describe("customers' tax_exempt, next_invoice_sequence and invoice_settings, and refunds' instructions_email", () => {
  let server: TestServer;
  let stripe: Stripe;

  beforeAll(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  afterAll(() => server.close());

  it('are stored on create and shown by retrieve and list', async () => {
    const created = await stripe.customers.create({
      tax_exempt: 'reverse',
      next_invoice_sequence: 42,
      invoice_settings: {
        custom_fields: [{ name: 'VAT', value: 'GB123' }, { name: 'PO', value: '7' }],
        footer: 'Thanks!',
        rendering_options: { amount_tax_display: 'exclude_tax' },
      },
    });
    expect(created).toMatchObject({
      tax_exempt: 'reverse',
      next_invoice_sequence: 42,
      invoice_settings: {
        custom_fields: [{ name: 'VAT', value: 'GB123' }, { name: 'PO', value: '7' }],
        default_payment_method: null,
        footer: 'Thanks!',
        rendering_options: { amount_tax_display: 'exclude_tax', template: null },
      },
    });
    expect(await stripe.customers.retrieve(created.id)).toEqual(created);
    expect((await stripe.customers.list({ limit: 1 })).data[0]).toEqual(created);
    // What a customer that never set them shows, as Stripe does.
    expect(await stripe.customers.create({ name: 'plain' })).toMatchObject({ tax_exempt: 'none', next_invoice_sequence: 1, invoice_settings: NO_INVOICE_SETTINGS });
  });

  it('update changes only what is sent, unsets empty fields, and emits customer.updated with previous_attributes', async () => {
    const account = server.stripe();
    const customer = await account.customers.create({
      invoice_settings: { custom_fields: [{ name: 'VAT', value: 'GB123' }], footer: 'Old footer' },
    });
    const updated = await account.customers.update(customer.id, {
      tax_exempt: 'exempt',
      next_invoice_sequence: 7,
      invoice_settings: { footer: 'New footer' },
    });
    expect(updated).toMatchObject({
      tax_exempt: 'exempt',
      next_invoice_sequence: 7,
      invoice_settings: { custom_fields: [{ name: 'VAT', value: 'GB123' }], footer: 'New footer', rendering_options: null },
    });
    const [event] = (await account.events.list({ type: 'customer.updated' })).data;
    expect(event.data.object).toEqual(updated);
    expect(event.data.previous_attributes).toEqual({ tax_exempt: 'none', next_invoice_sequence: 1, invoice_settings: { footer: 'Old footer' } });

    // The SDK sends '' as `key=`: Stripe's way to unset. An unset tax status is `none` again.
    const unset = await account.customers.update(customer.id, { tax_exempt: '', invoice_settings: { custom_fields: '', footer: '' } });
    expect(unset).toMatchObject({ tax_exempt: 'none', next_invoice_sequence: 7, invoice_settings: NO_INVOICE_SETTINGS });
    expect(await account.customers.retrieve(customer.id)).toEqual(unset);
    const [second] = (await account.events.list({ type: 'customer.updated', limit: 1 })).data;
    expect(second.data.previous_attributes).toEqual({
      tax_exempt: 'exempt',
      invoice_settings: { custom_fields: [{ name: 'VAT', value: 'GB123' }], footer: 'New footer' },
    });

    // Sending the values it already has changes nothing, and tells no one.
    await account.customers.update(customer.id, { tax_exempt: 'none', next_invoice_sequence: 7 });
    expect((await account.events.list({ type: 'customer.updated' })).data).toHaveLength(2);
  });

  it('refuses values Stripe refuses, naming the param, and saves nothing', async () => {
    const customer = await stripe.customers.create({ name: 'unchanged' });
    const cases: Array<[Stripe.CustomerUpdateParams, string, string]> = [
      [{ tax_exempt: 'sometimes' }, 'tax_exempt', 'Invalid tax_exempt: must be one of none, exempt, reverse'],
      [
        { invoice_settings: { rendering_options: { amount_tax_display: 'sideways' } } },
        'invoice_settings[rendering_options][amount_tax_display]',
        'Invalid invoice_settings[rendering_options][amount_tax_display]: must be one of exclude_tax, include_inclusive_tax',
      ],
      [{ next_invoice_sequence: 0 }, 'next_invoice_sequence', 'Invalid positive integer'],
      [
        { invoice_settings: { custom_fields: Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, value: 'v' })) } },
        'invoice_settings[custom_fields]',
        'Invalid array: invoice_settings[custom_fields] can have at most 4 elements (got 5).',
      ],
      [
        { invoice_settings: { custom_fields: [{ name: 'n'.repeat(41), value: 'v' }] } },
        'invoice_settings[custom_fields][0][name]',
        'Invalid invoice_settings[custom_fields][0][name]: must be at most 40 characters',
      ],
      [
        { invoice_settings: { custom_fields: [{ name: 'ok', value: 'v' }, { name: 'long', value: 'v'.repeat(141) }] } },
        'invoice_settings[custom_fields][1][value]',
        'Invalid invoice_settings[custom_fields][1][value]: must be at most 140 characters',
      ],
      [
        { invoice_settings: { custom_fields: [{ name: 'no value' } as Stripe.CustomerUpdateParams.InvoiceSettings.CustomField] } },
        'invoice_settings[custom_fields][0][value]',
        'Missing required param: invoice_settings[custom_fields][0][value].',
      ],
    ];
    for (const [params, param, message] of cases) {
      const error = await rejection(stripe.customers.update(customer.id, { ...params, name: 'changed' }));
      expect({ status: error.statusCode, param: error.param, message: error.message }).toEqual({ status: 400, param, message });
      // On create too: the same DTO.
      expect((await rejection(stripe.customers.create(params as Stripe.CustomerCreateParams))).param).toBe(param);
    }
    // Four custom fields at the limits are fine.
    const four = Array.from({ length: 4 }, (_, i) => ({ name: `${i}`.padEnd(40, 'n'), value: 'v'.repeat(140) }));
    expect((await stripe.customers.update(customer.id, { invoice_settings: { custom_fields: four } })).invoice_settings.custom_fields).toEqual(four);
    expect(await stripe.customers.retrieve(customer.id)).toMatchObject({ name: 'unchanged', tax_exempt: 'none', next_invoice_sequence: 1 });
  });

  it('next_invoice_sequence and invoice_settings cannot be unset (Stripe has no empty form for them); custom fields must be a list of hashes', async () => {
    const key = newKey();
    const customer = await server.stripe(key).customers.create();
    for (const param of ['next_invoice_sequence', 'invoice_settings']) {
      const res = await send(server, 'POST', `/v1/customers/${customer.id}`, { key, form: `${param}=` });
      expect([res.status, res.body.error.param, res.body.error.code]).toEqual([400, param, 'parameter_invalid_empty']);
    }
    // Custom fields are a list of hashes.
    const notList = await send(server, 'POST', `/v1/customers/${customer.id}`, { key, form: 'invoice_settings[custom_fields]=VAT' });
    expect([notList.status, notList.body.error.message]).toEqual([400, 'Invalid array: invoice_settings[custom_fields] must be an array.']);
    const notHash = await send(server, 'POST', `/v1/customers/${customer.id}`, { key, form: 'invoice_settings[custom_fields][0]=VAT' });
    expect([notHash.status, notHash.body.error.param, notHash.body.error.message]).toEqual([
      400,
      'invoice_settings[custom_fields]',
      'Invalid object: invoice_settings[custom_fields][0] must be a hash.',
    ]);
  });

  it("invoice_settings[default_payment_method] takes one of the customer's cards, and is cleared when that card is detached", async () => {
    const customer = await stripe.customers.create({ source: 'tok_visa' });
    const card = customer.default_source as string;
    const other = await stripe.customers.create({ source: 'tok_mastercard' });
    for (const id of [other.default_source as string, 'pm_card_visa', 'card_nope']) {
      const error = await rejection(stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: id } }));
      expect({ status: error.statusCode, param: error.param, message: error.message }).toEqual({
        status: 400,
        param: 'invoice_settings[default_payment_method]',
        message: `The customer does not have a payment method with the ID ${id}. The payment method must be attached to the customer.`,
      });
    }
    // A new customer has no cards yet to name.
    expect((await rejection(stripe.customers.create({ invoice_settings: { default_payment_method: card } }))).param).toBe('invoice_settings[default_payment_method]');

    const chosen = await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card } });
    expect(chosen.invoice_settings.default_payment_method).toBe(card);

    await stripe.customers.deleteSource(customer.id, card);
    const after = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    expect([after.default_source, after.invoice_settings.default_payment_method]).toEqual([null, null]);
    const [event] = (await stripe.events.list({ type: 'customer.updated', limit: 1 })).data;
    expect(event.data.previous_attributes).toEqual({ default_source: card, invoice_settings: { default_payment_method: card } });
  });

  it('a refund keeps its instructions_email and shows it; a malformed one is refused', async () => {
    const charge = await stripe.charges.create({ amount: 2000, currency: 'usd', source: 'tok_visa' });
    const refund = await stripe.refunds.create({ charge: charge.id, amount: 500, instructions_email: 'ada@example.com' });
    expect(refund.instructions_email).toBe('ada@example.com');
    expect((await stripe.refunds.retrieve(refund.id)).instructions_email).toBe('ada@example.com');
    const [event] = (await stripe.events.list({ type: 'refund.created', limit: 1 })).data;
    expect((event.data.object as Stripe.Refund).instructions_email).toBe('ada@example.com');

    // Stripe's Refund has the field only when one was given.
    expect(await stripe.refunds.create({ charge: charge.id, amount: 500 })).not.toHaveProperty('instructions_email');

    const error = await rejection(stripe.refunds.create({ charge: charge.id, amount: 500, instructions_email: 'not-an-email' }));
    expect({ status: error.statusCode, param: error.param, code: error.code }).toEqual({ status: 400, param: 'instructions_email', code: 'email_invalid' });

    // The charge-scoped form takes it too.
    const key = newKey();
    const own = await server.stripe(key).charges.create({ amount: 2000, currency: 'usd', source: 'tok_visa' });
    const res = await send(server, 'POST', `/v1/charges/${own.id}/refunds`, { key, form: { amount: 100, instructions_email: 'bo@example.com' } });
    expect([res.status, res.body.instructions_email]).toEqual([200, 'bo@example.com']);
    expect((await server.stripe(key).refunds.list()).data.map((r) => r.amount)).toEqual([100]);
  });
});

describe('a database from before these fields', () => {
  let server: TestServer | undefined;

  afterAll(() => server?.close());

  it('is migrated on start: its customers show what Stripe shows for a new one, and can be given values', async () => {
    const key = newKey();
    server = await serverOnDatabaseBefore(CustomerTaxInvoiceSettings1765300000000, (db) =>
      db.query(`INSERT INTO customers (id, account, created, invoice_prefix) VALUES ('cus_old', ?, 1700000000, 'OLDPREFIX')`, [accountIdForKey(key)]),
    );
    const stripe = server.stripe(key);
    expect(await stripe.customers.retrieve('cus_old')).toMatchObject({ tax_exempt: 'none', next_invoice_sequence: 1, invoice_settings: NO_INVOICE_SETTINGS });
    expect(await stripe.customers.update('cus_old', { tax_exempt: 'exempt', invoice_settings: { footer: 'f' } })).toMatchObject({
      tax_exempt: 'exempt',
      invoice_settings: { footer: 'f' },
    });
  });
});
