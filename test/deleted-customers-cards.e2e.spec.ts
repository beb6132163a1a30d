import { afterAll, describe, expect, it } from '@jest/globals';
import { accountIdForKey } from '../src/common/http/api-key.guard.js';
import { DeletedCustomersCards1765700000000 } from '../src/database/migrations/1765700000000-deleted-customers-cards.js';
import { serverOnDatabaseBefore } from './support/old-database.js';
import { newKey, type TestServer } from './support/server.js';

describe('a database from before deleting a customer deleted its cards', () => {
  let server: TestServer | undefined;
  afterAll(() => server?.close());

  it('is migrated on start: a deleted customer\'s cards are gone, a live customer\'s still charge', async () => {
    const key = newKey();
    const account = accountIdForKey(key);
    server = await serverOnDatabaseBefore(DeletedCustomersCards1765700000000, async (db) => {
      await db.query(`INSERT INTO customers (id, account, created, invoice_prefix, deleted) VALUES ('cus_gone', ?, 1700000000, 'GONE0001', 1)`, [account]);
      await db.query(`INSERT INTO customers (id, account, created, invoice_prefix, default_source) VALUES ('cus_live', ?, 1700000000, 'LIVE0001', 'card_live')`, [account]);
      for (const [id, customer] of [['card_gone', 'cus_gone'], ['card_live', 'cus_live']]) {
        await db.query(
          `INSERT INTO cards (id, account, customer_id, brand, last4, exp_month, exp_year, funding, country, fingerprint, created)
           VALUES (?, ?, ?, 'Visa', '4242', 12, 2040, 'credit', 'US', 'Xt5EWLLDS7FJjR1c', 1700000000)`,
          [id, account, customer],
        );
      }
    });
    const stripe = server.stripe(key);
    await expect(stripe.charges.create({ amount: 500, currency: 'usd', source: 'card_gone' })).rejects.toMatchObject({
      statusCode: 404, code: 'resource_missing', param: 'source', message: "No such source: 'card_gone'",
    });
    expect(await stripe.charges.create({ amount: 500, currency: 'usd', customer: 'cus_live' })).toMatchObject({ status: 'succeeded', source: { id: 'card_live' } });
  });
});
