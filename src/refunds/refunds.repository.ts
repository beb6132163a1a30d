import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/transaction-runner.js';
import { paginate } from '../common/pagination/paginate.js';
import { newId, nowSeconds } from '../common/ids.js';
import type { ChargeEntity } from '../charges/charge.entity.js';
import type { RefundEntity } from './refund.entity.js';
import type { ListRefundsDto } from './dto/list-refunds.dto.js';

export type RefundRow = Omit<RefundEntity, 'seq'>;

/** A new refund of `charge`: its customer, card and currency, no balance transaction yet, and the rest as given. */
export function refundOf(
  charge: ChargeEntity,
  amount: number,
  rest: Pick<RefundRow, 'status' | 'reason' | 'metadata' | 'instructions_email' | 'keyed' | 'unfinished'>,
): RefundRow {
  return {
    id: newId('re', 24),
    account: charge.account,
    created: nowSeconds(),
    charge_id: charge.id,
    customer_id: charge.customer_id,
    payment_method: charge.card_id,
    amount,
    currency: charge.currency,
    balance_transaction: null,
    events_owed: false,
    ...rest,
  };
}

@Injectable()
export class RefundsRepository {
  /**
   * The part of an authorization a partial capture released, recorded as Stripe shows it: a refund of
   * the charge, succeeded at once, that moved no money (no balance transaction, as for any refund of an
   * uncaptured charge). It counts against the charge's amount like every other refund.
   */
  insertRelease(tx: Tx, charge: ChargeEntity, amount: number, keyed: boolean): void {
    this.insert(tx, refundOf(charge, amount, { status: 'succeeded', reason: null, metadata: '{}', instructions_email: null, keyed, unfinished: false }));
  }

  insert(tx: Tx, row: RefundRow): void {
    const columns = Object.keys(row) as Array<keyof RefundRow>;
    tx.run(
      `INSERT INTO refunds (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      ...columns.map((c) => (typeof row[c] === 'boolean' ? Number(row[c]) : row[c])),
    );
  }

  update(tx: Tx, account: string, id: string, fields: Partial<RefundRow>): void {
    const columns = Object.keys(fields) as Array<keyof RefundRow>;
    tx.run(
      `UPDATE refunds SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ? AND account = ?`,
      ...columns.map((c) => (typeof fields[c] === 'boolean' ? Number(fields[c]) : fields[c])),
      id,
      account,
    );
  }

  find(tx: Tx, account: string, id: string): RefundEntity | undefined {
    return tx.get<RefundEntity>('SELECT * FROM refunds WHERE id = ? AND account = ?', id, account);
  }

  /** Newest first, as Stripe lists a charge's refunds. */
  forCharge(tx: Tx, account: string, chargeId: string): RefundEntity[] {
    return tx.all<RefundEntity>('SELECT * FROM refunds WHERE account = ? AND charge_id = ? ORDER BY seq DESC', account, chargeId);
  }

  /** The refunds of a page of charges in one query, grouped by charge, newest first. */
  forCharges(tx: Tx, account: string, chargeIds: string[]): Map<string, RefundEntity[]> {
    const byCharge = new Map<string, RefundEntity[]>(chargeIds.map((id) => [id, []]));
    if (!chargeIds.length) return byCharge;
    const rows = tx.all<RefundEntity>(
      // Without INDEXED BY, SQLite prefers refunds_account_list for its order and scans every refund of the account.
      `SELECT * FROM refunds INDEXED BY refunds_charge WHERE account = ? AND charge_id IN (${chargeIds.map(() => '?').join(', ')}) ORDER BY seq DESC`,
      account, ...chargeIds,
    );
    for (const row of rows) byCharge.get(row.charge_id)!.push(row);
    return byCharge;
  }

  /** What refunds have taken or reserved of a charge: pending ones count, so concurrent refunds cannot overdraw. */
  committedAmount(tx: Tx, account: string, chargeId: string): number {
    return tx.get<{ total: number }>(
      "SELECT coalesce(sum(amount), 0) AS total FROM refunds WHERE account = ? AND charge_id = ? AND status <> 'failed'",
      account, chargeId,
    )!.total;
  }

  list(tx: Tx, account: string, params: ListRefundsDto) {
    const where: Array<[string, ...unknown[]]> = params.charge ? [['charge_id = ?', params.charge]] : [];
    if (params.payment_intent) where.push(['0']);
    return paginate<RefundEntity>(tx, { table: 'refunds', resource: 'refund', account, where }, params);
  }
}
