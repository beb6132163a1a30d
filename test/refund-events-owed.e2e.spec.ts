import { afterAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { accountIdForKey } from '../src/common/http/api-key.guard.js';
import { RefundEventsOwed1766000000000 } from '../src/database/migrations/1766000000000-refund-events-owed.js';
import { serverOnDatabaseBefore } from './support/old-database.js';
import { newKey, type TestServer } from './support/server.js';

/**
 * The build before migration 1766000000000 staged a refund's events in its finishing phase. A refund it
 * left processed but unfinished (its request crashed after refund_processed) is finished by this build,
 * which stages them as a refund is processed: they must still be sent, once.
 */
describe('a refund an older build processed but did not finish', () => {
  let server: TestServer | undefined;
  afterAll(() => server?.close());

  it('is finished by the completer with its refund.created and charge.refunded, once; one whose events were already staged gets none again', async () => {
    const key = newKey();
    server = await serverOnDatabaseBefore(
      RefundEventsOwed1766000000000,
      async (db) => {
        const account = accountIdForKey(key);
        /** A captured charge and a refund of it, processed (succeeded, counted in amount_refunded) but not finished; no key: the completer's. */
        const processedRefund = async (charge: string, refund: string, amount: number, refunded: number) => {
          await db.query(
            `INSERT INTO charges (id, account, created, amount, amount_captured, amount_refunded, currency, card_id, card, status, capture_requested, captured)
             VALUES (?, ?, 1700000000, ?, ?, ?, 'usd', 'card_old', '{"source":{"id":"card_old","object":"card"},"details":{}}', 'succeeded', 1, 1)`,
            [charge, account, amount, amount, refunded],
          );
          await db.query(
            `INSERT INTO refunds (id, account, created, charge_id, amount, currency, status, balance_transaction, keyed, unfinished)
             VALUES (?, ?, 1700000000, ?, ?, 'usd', 'succeeded', 'txn_old', 0, 1)`,
            [refund, account, charge, refunded],
          );
        };
        await processedRefund('ch_old', 're_old', 2000, 500);
        // The same state, left by a build that already staged its events at refund_processed: it owes none.
        await processedRefund('ch_staged', 're_staged', 1000, 200);
        for (const [id, type, object] of [['evt_staged_1', 'refund.created', 're_staged'], ['evt_staged_2', 'charge.refunded', 'ch_staged']]) {
          await db.query(`INSERT INTO events (id, account, created, type, data) VALUES (?, ?, 1700000000, ?, ?)`, [id, account, type, JSON.stringify({ object: { id: object } })]);
        }
      },
      { COMPLETER_AFTER_MS: '0', COMPLETER_INTERVAL_MS: '50' },
    );
    const stripe = server.stripe(key);
    const refundEvents = async () => (await stripe.events.list({ types: ['refund.created', 'charge.refunded'] })).data;
    for (let waited = 0; (await refundEvents()).length < 4 && waited < 5000; waited += 50) await sleep(50);
    await sleep(300); // a second sweep, which must stage nothing more

    const all = await refundEvents();
    // re_staged's two, already there, and re_old's two, staged once: none twice.
    expect(all.map((e) => e.id).filter((id) => id.startsWith('evt_staged'))).toHaveLength(2);
    const events = all.filter((e) => !e.id.startsWith('evt_staged'));
    expect(events.map((e) => e.type).sort()).toEqual(['charge.refunded', 'refund.created']);
    const refunded = events.find((e) => e.type === 'charge.refunded')!;
    expect(refunded.data.object).toMatchObject({ id: 'ch_old', amount_refunded: 500, refunded: false });
    expect(refunded.data.previous_attributes).toMatchObject({ amount_refunded: 0 });
    expect(events.find((e) => e.type === 'refund.created')!.data.object).toMatchObject({ id: 're_old', status: 'succeeded', amount: 500 });
    // Finished, both: they can be updated now (an unfinished refund is a 429).
    for (const id of ['re_old', 're_staged']) {
      expect(await stripe.refunds.update(id, { metadata: { after: 'upgrade' } })).toMatchObject({ metadata: { after: 'upgrade' } });
    }
  });
});
