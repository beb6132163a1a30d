import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { TransactionRunner } from '../src/database/transaction-runner.js';
import { Api } from './support/api.js';
import { newKey, startServer, type TestServer } from './support/server.js';

/**
 * The balance transaction a captured charge or a refund names: retrieved by its id, or expanded in place
 * of it, as reconciliation code reads `fee` and `net`.
 */
describe('balance transactions through the official stripe SDK', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it("a charge's: its captured amount, the processing fee and the net, retrieved by id or expanded on the charge", async () => {
    const stripe = server.stripe();
    const charge = await stripe.charges.create({ amount: 2000, currency: 'usd', source: 'tok_visa', description: 'order 7' });
    const txn = await stripe.balanceTransactions.retrieve(charge.balance_transaction as string);
    expect(txn).toMatchObject({
      id: charge.balance_transaction, object: 'balance_transaction', amount: 2000, currency: 'usd', created: charge.created,
      // Available at midnight UTC two days on, Stripe's standard schedule.
      available_on: (Math.floor(charge.created / 86_400) + 2) * 86_400, status: 'pending', description: 'order 7', exchange_rate: null, balance_type: 'payments',
      fee: 88, net: 1912, reporting_category: 'charge', source: charge.id, type: 'charge',
      fee_details: [{ amount: 88, application: null, currency: 'usd', description: 'Stripe processing fees', type: 'stripe_fee' }],
    });
    const { lastResponse: _r, ...shown } = txn;
    expect((await stripe.charges.retrieve(charge.id, { expand: ['balance_transaction'] })).balance_transaction).toEqual(shown);
    const created = await stripe.charges.create({ amount: 1000, currency: 'usd', source: 'tok_visa', expand: ['balance_transaction'] });
    expect(created.balance_transaction).toMatchObject({ object: 'balance_transaction', amount: 1000, fee: 59, net: 941, source: created.id });
    const listed = await stripe.charges.list({ expand: ['data.balance_transaction'] });
    expect(listed.data.map((c) => (c.balance_transaction as Stripe.BalanceTransaction).source)).toEqual([created.id, charge.id]);
    // The plain charge still names it by id.
    expect((await stripe.charges.retrieve(charge.id)).balance_transaction).toBe(charge.balance_transaction);
  });

  it('an uncaptured charge has none until captured, and then for what was captured', async () => {
    const stripe = server.stripe();
    const held = await stripe.charges.create({ amount: 1000, currency: 'usd', source: 'tok_visa', capture: false, expand: ['balance_transaction'] });
    expect(held.balance_transaction).toBeNull();
    const captured = await stripe.charges.capture(held.id, { amount: 600, expand: ['balance_transaction'] });
    expect(captured.balance_transaction).toMatchObject({ amount: 600, fee: 47, net: 553, source: held.id });
  });

  it("a refund's: the amount going back, with no fee, described as a refund of the charge", async () => {
    const stripe = server.stripe();
    const charge = await stripe.charges.create({ amount: 2000, currency: 'usd', source: 'tok_visa', description: 'order 9' });
    const refund = await stripe.refunds.create({ charge: charge.id, amount: 500, expand: ['balance_transaction'] });
    const txn = refund.balance_transaction as Stripe.BalanceTransaction;
    expect(txn).toMatchObject({
      object: 'balance_transaction', amount: -500, fee: 0, net: -500, fee_details: [], reporting_category: 'refund', type: 'refund',
      source: refund.id, currency: 'usd', description: 'REFUND FOR CHARGE (order 9)', available_on: refund.created, status: 'available', balance_type: 'payments',
    });
    const plain = await stripe.charges.create({ amount: 2000, currency: 'usd', source: 'tok_visa' });
    const plainRefund = await stripe.refunds.create({ charge: plain.id });
    expect((await stripe.balanceTransactions.retrieve(plainRefund.balance_transaction as string)).description).toBe('REFUND FOR CHARGE');
    const { lastResponse: _r, ...byId } = await stripe.balanceTransactions.retrieve(txn.id);
    expect(byId).toEqual(txn);
    expect((await stripe.refunds.retrieve(refund.id, { expand: ['balance_transaction'] })).balance_transaction).toEqual(txn);
  });

  it('one whose id an older build made at random is expanded on its charge or refund, and not found by id (that would take a scan)', async () => {
    const stripe = server.stripe();
    const charge = await stripe.charges.create({ amount: 3000, currency: 'usd', source: 'tok_visa' });
    const refund = await stripe.refunds.create({ charge: charge.id, amount: 1000 });
    const db = server.app.get(TransactionRunner);
    await db.run((tx) => {
      tx.run("UPDATE charges SET balance_transaction = 'txn_older_charge' WHERE id = ?", charge.id);
      tx.run("UPDATE refunds SET balance_transaction = 'txn_older_refund' WHERE id = ?", refund.id);
    });
    const expanded = await stripe.charges.retrieve(charge.id, { expand: ['balance_transaction'] });
    expect(expanded.balance_transaction).toMatchObject({ id: 'txn_older_charge', amount: 3000, fee: 117, source: charge.id });
    expect((await stripe.refunds.retrieve(refund.id, { expand: ['balance_transaction'] })).balance_transaction).toMatchObject({ id: 'txn_older_refund', amount: -1000 });
    await expect(stripe.balanceTransactions.retrieve('txn_older_charge')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('is a 404 for an id that is no balance transaction of the account, another account\'s included', async () => {
    const stripe = server.stripe();
    const charge = await stripe.charges.create({ amount: 2000, currency: 'usd', source: 'tok_visa' });
    await expect(server.stripe(newKey()).balanceTransactions.retrieve(charge.balance_transaction as string)).rejects.toMatchObject({
      statusCode: 404, code: 'resource_missing', param: 'id', message: `No such balance_transaction: '${charge.balance_transaction}'`,
    });
    await expect(stripe.balanceTransactions.retrieve('txn_missing')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    expect((await new Api(server).get('/v1/balance_transactions/txn_x', { bogus: 1 })).body.error).toMatchObject({ code: 'parameter_unknown', param: 'bogus' });
  });
});
