import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/transaction-runner.js';
import { paginate } from '../common/pagination/paginate.js';
import type { ChargeEntity } from './charge.entity.js';
import { ChargeJsonCache } from './charge-json.cache.js';
import type { ListChargesDto } from './dto/list-charges.dto.js';

export type ChargeRow = Omit<ChargeEntity, 'seq'>;

const BOOLEANS = ['capture_requested', 'captured', 'keyed', 'unfinished'] as const;

/** Every write of a charge row goes through here: the JSON cache depends on it. */
@Injectable()
export class ChargesRepository {
  constructor(private readonly json: ChargeJsonCache) {}

  insert(tx: Tx, row: ChargeRow): void {
    this.json.changed(row.account);
    const columns = Object.keys(row) as Array<keyof ChargeRow>;
    tx.run(
      `INSERT INTO charges (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      ...columns.map((c) => toSql(row[c])),
    );
  }

  /** Writes only the given fields; returns whether a row was written (false: no such charge, or no fields). */
  update(tx: Tx, account: string, id: string, fields: Partial<ChargeRow>): boolean {
    const columns = Object.keys(fields) as Array<keyof ChargeRow>;
    if (!columns.length) return false;
    this.json.forget(account, id);
    return tx.run(
      `UPDATE charges SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ? AND account = ?`,
      ...columns.map((c) => toSql(fields[c])),
      id,
      account,
    ).changes === 1;
  }

  find(tx: Tx, account: string, id: string): ChargeEntity | undefined {
    const row = tx.get<ChargeEntity>('SELECT * FROM charges WHERE id = ? AND account = ?', id, account);
    return row && fromSql(row);
  }

  /**
   * Charges by `seq` (the rowid): a page's rows sit side by side in the table, where looking them up
   * by id would probe random pages of a large `charges_id` index, one per charge.
   */
  findBySeq(tx: Tx, account: string, seqs: number[]): ChargeEntity[] {
    const rows = tx.all<ChargeEntity>(`SELECT * FROM charges WHERE seq IN (${seqs.map(() => '?').join(', ')}) AND account = ?`, ...seqs, account);
    return rows.map(fromSql);
  }

  /** A page of charges as `seq` and id, newest first (the rows themselves usually come from the JSON cache). */
  listKeys(tx: Tx, account: string, params: ListChargesDto) {
    const where: Array<[string, ...unknown[]]> = params.customer ? [['customer_id = ?', params.customer]] : [];
    // An `=` comparison lets SQLite use the partial index charges_transfer_group_list (transfer_group IS NOT NULL).
    if (params.transfer_group) where.push(['transfer_group = ?', params.transfer_group]);
    // No charge here has a payment intent (always null): such a filter matches none.
    if (params.payment_intent) where.push(['0']);
    return paginate<{ seq: number; id: string }>(tx, { table: 'charges', resource: 'charge', account, where, columns: 'seq, id' }, params);
  }
}

const toSql = (value: unknown) => (typeof value === 'boolean' ? Number(value) : value);

function fromSql(row: ChargeEntity): ChargeEntity {
  for (const key of BOOLEANS) row[key] = Boolean(row[key]);
  return row;
}
