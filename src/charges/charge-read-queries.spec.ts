import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Database } from 'better-sqlite3';
import { connectDatabase, type SqliteConnection } from '../database/sqlite-connection.js';
import type { Tx } from '../database/transaction-runner.js';
import { RefundsRepository } from '../refunds/refunds.repository.js';
import { ChargeJsonCache } from './charge-json.cache.js';
import { ChargesRepository } from './charges.repository.js';
import type { ListChargesDto } from './dto/list-charges.dto.js';

/**
 * A list page fetches its charges and their refunds by key. Those lookups must search the right index:
 * SQLite, left to itself (no ANALYZE statistics), can pick the account's list index and read every
 * charge or refund of the account for each page, so a page cost O(account size) instead of O(page).
 */
describe('the queries behind a page of charges', () => {
  let connection: SqliteConnection;
  let raw: Database;

  beforeAll(async () => {
    connection = await connectDatabase({ databasePath: ':memory:', sqliteSynchronous: 'NORMAL' });
    raw = connection.db;
  });
  afterAll(() => connection.close());

  /** The query plan of every statement `use` runs (captured instead of executed). */
  function plansOf(use: (tx: Tx) => void): string[] {
    const plans: string[] = [];
    const capture = (sql: string, ...params: unknown[]) => {
      plans.push((raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((p) => p.detail).join(' | '));
      return [];
    };
    use({ all: capture, get: capture, run: capture } as unknown as Tx);
    return plans;
  }

  it("a page's charges are read by rowid", () => {
    const plans = plansOf((tx) => new ChargesRepository(new ChargeJsonCache()).findBySeq(tx, 'acct_1', [7, 8, 9]));
    expect(plans).toEqual([expect.stringMatching(/^SEARCH charges USING INTEGER PRIMARY KEY \(rowid=\?\)/)]);
  });

  it('a transfer_group filter searches the partial index charges_transfer_group_list', () => {
    const params = { transfer_group: 'group_1', limit: 10 } as ListChargesDto;
    const plans = plansOf((tx) => new ChargesRepository(new ChargeJsonCache()).listKeys(tx, 'acct_1', params));
    expect(plans).toEqual([expect.stringMatching(/^SEARCH charges USING (COVERING )?INDEX charges_transfer_group_list \(account=\? AND transfer_group=\?\)/)]);
  });

  it("an expanded page's refunds search refunds_charge by account and charge", () => {
    const plans = plansOf((tx) => new RefundsRepository().forCharges(tx, 'acct_1', ['ch_1', 'ch_2', 'ch_3']));
    expect(plans).toEqual([expect.stringMatching(/^SEARCH refunds USING INDEX refunds_charge \(account=\? AND charge_id=\?\)/)]);
  });
});
