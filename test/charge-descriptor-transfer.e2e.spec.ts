import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import BetterSqlite3 from 'better-sqlite3';
import Stripe from 'stripe';
import { accountIdForKey } from '../src/common/http/api-key.guard.js';
import { ChargeDescriptorSuffixTransferGroup1765200000000 } from '../src/database/migrations/1765200000000-charge-descriptor-suffix-transfer-group.js';
import { newKey, startServer, type TestServer } from './support/server.js';
import { rejection } from './support/errors.js';
import { serverOnDatabaseBefore } from './support/old-database.js';

const RULES = `must contain at least one letter, only Latin characters, and none of the characters < > \\ ' " *`;

describe('statement_descriptor_suffix and transfer_group on charges, through the official SDK', () => {
  let server: TestServer;
  let network: BetterSqlite3.Database;

  beforeAll(async () => {
    server = await startServer();
    // The simulated network's own records, read beside the server: what money it actually moved.
    network = new BetterSqlite3(server.dbPath, { readonly: true });
  });
  afterAll(async () => {
    network.close();
    await server.close();
  });

  const networkOperations = (kind: 'authorize' | 'capture', key: string): number =>
    (network.prepare('SELECT count(*) AS n FROM card_network_operations WHERE kind = ? AND account = ?').get(kind, accountIdForKey(key)) as { n: number }).n;

  it('creates a charge with both, answers them, and keeps them for a later read', async () => {
    const stripe = server.stripe();
    const charge = await stripe.charges.create({
      amount: 2000, currency: 'usd', source: 'tok_visa', statement_descriptor_suffix: 'ORDER 42', transfer_group: 'group_1',
    });

    expect(charge).toMatchObject({
      status: 'succeeded',
      captured: true,
      statement_descriptor_suffix: 'ORDER 42',
      transfer_group: 'group_1',
      // Stripe's statement line: the account's prefix, `* `, the suffix.
      calculated_statement_descriptor: 'ONCEPAY* ORDER 42',
      statement_descriptor: null,
    });
    expect(await stripe.charges.retrieve(charge.id)).toEqual(charge);
  });

  it('cuts the statement line at 22 characters when prefix and suffix are longer together', async () => {
    const charge = await server.stripe().charges.create({ amount: 2000, currency: 'usd', source: 'tok_visa', statement_descriptor_suffix: 'SPRING SALE ORDER 1234' });
    expect(charge.statement_descriptor_suffix).toBe('SPRING SALE ORDER 1234');
    expect(charge.calculated_statement_descriptor).toBe('ONCEPAY* SPRING SALE O');
  });

  it('sets the suffix (and a first transfer group) when capturing', async () => {
    const stripe = server.stripe();
    const authorized = await stripe.charges.create({ amount: 3000, currency: 'usd', source: 'tok_visa', capture: false, statement_descriptor_suffix: 'HELD' });
    expect(authorized).toMatchObject({ captured: false, calculated_statement_descriptor: 'ONCEPAY* HELD', transfer_group: null });

    const captured = await stripe.charges.capture(authorized.id, { statement_descriptor_suffix: 'SHIPPED 7', transfer_group: 'group_cap' });
    expect(captured).toMatchObject({
      captured: true,
      amount_captured: 3000,
      statement_descriptor_suffix: 'SHIPPED 7',
      calculated_statement_descriptor: 'ONCEPAY* SHIPPED 7',
      transfer_group: 'group_cap',
    });
    expect(await stripe.charges.retrieve(authorized.id)).toEqual(captured);
  });

  it('sets a transfer group by update only while the charge has none', async () => {
    const stripe = server.stripe();
    const charge = await stripe.charges.create({ amount: 2000, currency: 'usd', source: 'tok_visa' });
    expect(charge.transfer_group).toBeNull();

    expect((await stripe.charges.update(charge.id, { transfer_group: 'group_late' })).transfer_group).toBe('group_late');
    // The group it already has changes nothing.
    expect((await stripe.charges.update(charge.id, { transfer_group: 'group_late' })).transfer_group).toBe('group_late');

    const error = await rejection(stripe.charges.update(charge.id, { transfer_group: 'group_other' }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, param: 'transfer_group' });
    expect(error.message).toContain('group_late');
    expect((await stripe.charges.retrieve(charge.id)).transfer_group).toBe('group_late');

    // charge.updated tells a listener what the group was.
    const events = await stripe.events.list({ type: 'charge.updated' });
    expect(events.data.map((e) => e.data.previous_attributes)).toEqual([{ transfer_group: null }]);
  });

  it('lists exactly the charges of a transfer group, newest first, across pages', async () => {
    const stripe = server.stripe();
    const make = (transfer_group?: string) => stripe.charges.create({ amount: 1000, currency: 'usd', source: 'tok_visa', ...(transfer_group && { transfer_group }) });
    const a1 = await make('group_a');
    await make('group_b');
    await make();
    const a2 = await make('group_a');
    const late = await make();
    await stripe.charges.update(late.id, { transfer_group: 'group_a' });

    const page = await stripe.charges.list({ transfer_group: 'group_a' });
    expect(page.data.map((c) => c.id)).toEqual([late.id, a2.id, a1.id]);
    expect(page.has_more).toBe(false);
    const paged = await stripe.charges.list({ transfer_group: 'group_a', limit: 1 }).autoPagingToArray({ limit: 10 });
    expect(paged.map((c) => c.id)).toEqual([late.id, a2.id, a1.id]);
    expect((await stripe.charges.list({ transfer_group: 'group_none' })).data).toEqual([]);
    // Groups are per account: another account's group of the same name is not listed.
    expect((await server.stripe().charges.list({ transfer_group: 'group_a' })).data).toEqual([]);
  });

  it.each([
    ['too long', 'ORDER NUMBER 1234567890', 'Invalid statement_descriptor_suffix: must be at most 22 characters'],
    ['a forbidden character', 'ORDER*42', `Invalid statement_descriptor_suffix: ORDER*42 (it ${RULES}).`],
    ['no letter', '12345', `Invalid statement_descriptor_suffix: 12345 (it ${RULES}).`],
  ])('refuses a suffix with %s, naming the param, and charges nothing', async (_case, suffix, message) => {
    const key = newKey();
    const stripe = server.stripe(key);
    const error = await rejection(stripe.charges.create({ amount: 2000, currency: 'usd', source: 'tok_visa', statement_descriptor_suffix: suffix }));

    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, param: 'statement_descriptor_suffix', message });
    expect((await stripe.charges.list()).data).toEqual([]);
    expect(networkOperations('authorize', key)).toBe(0);
  });

  it('refuses a bad suffix or a second transfer group on capture before capturing anything', async () => {
    const key = newKey();
    const stripe = server.stripe(key);
    const authorized = await stripe.charges.create({ amount: 2000, currency: 'usd', source: 'tok_visa', capture: false, transfer_group: 'group_1' });

    const badSuffix = await rejection(stripe.charges.capture(authorized.id, { statement_descriptor_suffix: 'SHIPPED "7"' }));
    expect(badSuffix).toMatchObject({ statusCode: 400, param: 'statement_descriptor_suffix' });
    const secondGroup = await rejection(stripe.charges.capture(authorized.id, { transfer_group: 'group_2' }));
    expect(secondGroup).toMatchObject({ statusCode: 400, param: 'transfer_group' });

    expect(await stripe.charges.retrieve(authorized.id)).toMatchObject({ captured: false, amount_captured: 0, transfer_group: 'group_1', statement_descriptor_suffix: null });
    expect(networkOperations('capture', key)).toBe(0);
  });

  it('answers a keyed retry with another suffix with idempotency_error, and charges once', async () => {
    const stripe = server.stripe();
    const params = { amount: 2000, currency: 'usd', source: 'tok_visa', statement_descriptor_suffix: 'ORDER 42' };
    const first = await stripe.charges.create(params, { idempotencyKey: 'suffix-key' });
    const error = await rejection(stripe.charges.create({ ...params, statement_descriptor_suffix: 'ORDER 43' }, { idempotencyKey: 'suffix-key' }));

    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error).toMatchObject({
      statusCode: 400,
      type: 'StripeIdempotencyError',
      message: "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'suffix-key' if you meant to execute a different request.",
    });
    expect((await stripe.charges.list()).data.map((c) => c.id)).toEqual([first.id]);
  });
});

describe('a database made before charges had a suffix or a transfer group', () => {
  let server: TestServer | undefined;

  afterAll(() => server?.close());

  it('is migrated on start, and its charges have neither', async () => {
    const key = newKey();
    server = await serverOnDatabaseBefore(ChargeDescriptorSuffixTransferGroup1765200000000, (db) =>
      db.query(
        `INSERT INTO charges (id, account, created, amount, amount_captured, currency, card_id, card, status, capture_requested, captured, statement_descriptor)
         VALUES ('ch_old', ?, 1700000000, 2000, 2000, 'usd', 'card_old', '{"source":{"id":"card_old","object":"card"},"details":{}}', 'succeeded', 1, 1, 'OLD SHOP')`,
        [accountIdForKey(key)],
      ),
    );
    const stripe = server.stripe(key);
    expect(await stripe.charges.retrieve('ch_old')).toMatchObject({
      statement_descriptor: 'OLD SHOP',
      statement_descriptor_suffix: null,
      calculated_statement_descriptor: 'OLD SHOP',
      transfer_group: null,
    });
    expect((await stripe.charges.list({ transfer_group: 'group_1' })).data).toEqual([]);
    // And a group can be given to it now.
    expect((await stripe.charges.update('ch_old', { transfer_group: 'group_1' })).transfer_group).toBe('group_1');
    expect((await stripe.charges.list({ transfer_group: 'group_1' })).data.map((c) => c.id)).toEqual(['ch_old']);
  });
});
