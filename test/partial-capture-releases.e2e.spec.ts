import { afterAll, describe, expect, it } from '@jest/globals';
import { accountIdForKey } from '../src/common/http/api-key.guard.js';
import { PartialCaptureReleases1766100000000 } from '../src/database/migrations/1766100000000-partial-capture-releases.js';
import { serverOnDatabaseBefore } from './support/old-database.js';
import { newKey, type TestServer } from './support/server.js';

/**
 * The build before migration 1766100000000 showed a partial capture's released rest only in
 * `amount_refunded`. What is left to refund is now the charge's amount less its refunds, the release
 * among them: a charge that build captured in part must get its release, or it could be refunded past
 * what was captured.
 */
describe('a charge an older build captured in part', () => {
  let server: TestServer | undefined;
  afterAll(() => server?.close());

  it('shows the released rest as a refund and can be refunded only up to what was captured', async () => {
    const key = newKey();
    server = await serverOnDatabaseBefore(PartialCaptureReleases1766100000000, async (db) => {
      const account = accountIdForKey(key);
      const charge = (id: string, captured: number, refunded: number) =>
        db.query(
          `INSERT INTO charges (id, account, created, amount, amount_captured, amount_refunded, currency, card_id, card, status, capture_requested, captured)
           VALUES (?, ?, 1700000000, 1000, ?, ?, 'usd', 'card_old', '{"source":{"id":"card_old","object":"card"},"details":{}}', 'succeeded', 0, 1)`,
          [id, account, captured, refunded],
        );
      await charge('ch_part', 600, 400);
      // Its capture, as that build announced it: the release is dated then.
      await db.query(`INSERT INTO events (id, account, created, type, data) VALUES ('evt_cap', ?, 1700000050, 'charge.captured', ?)`, [account, JSON.stringify({ object: { id: 'ch_part' } })]);
      await charge('ch_whole', 1000, 0);
      // Captured in part and then refunded 100 of the 600.
      await charge('ch_part_refunded', 600, 500);
      await db.query(
        `INSERT INTO refunds (id, account, created, charge_id, amount, currency, status, balance_transaction) VALUES ('re_old', ?, 1700000100, 'ch_part_refunded', 100, 'usd', 'succeeded', 'txn_old')`,
        [account],
      );
    });
    const stripe = server.stripe(key);

    const part = await stripe.charges.retrieve('ch_part', { expand: ['refunds'] });
    expect(part.refunds!.data).toEqual([expect.objectContaining({ amount: 400, status: 'succeeded', balance_transaction: null, charge: 'ch_part', created: 1700000050 })]);
    expect((await stripe.charges.retrieve('ch_whole', { expand: ['refunds'] })).refunds!.data).toEqual([]);
    // With no capture event left, dated when the charge was created; listed first, as the newest row.
    const partRefunded = (await stripe.charges.retrieve('ch_part_refunded', { expand: ['refunds'] })).refunds!.data;
    expect(partRefunded.map((r) => [r.amount, r.created])).toEqual([[400, 1700000000], [100, 1700000100]]);

    // Left: 600 and 500, not 1000 and 900.
    expect(await stripe.refunds.create({ charge: 'ch_part', amount: 601 }).catch((e) => e)).toMatchObject({ statusCode: 400, code: 'amount_too_large' });
    expect(await stripe.refunds.create({ charge: 'ch_part_refunded', amount: 501 }).catch((e) => e)).toMatchObject({ statusCode: 400, code: 'amount_too_large' });
    expect((await stripe.refunds.create({ charge: 'ch_part_refunded' })).amount).toBe(500);
    expect(await stripe.charges.retrieve('ch_part_refunded')).toMatchObject({ amount_refunded: 1000, refunded: true });
  });
});
