import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/transaction-runner.js';
import { paginate } from '../common/pagination/paginate.js';
import type { ListParamsDto } from '../common/pagination/list-params.dto.js';
import type { CardEntity } from './card.entity.js';

const COLUMNS = [
  'id', 'account', 'customer_id', 'brand', 'last4', 'exp_month', 'exp_year', 'funding', 'country', 'fingerprint',
  'cvc_check', 'decline', 'created', 'deleted',
] as const;

@Injectable()
export class CardsRepository {
  insert(tx: Tx, card: Omit<CardEntity, 'seq'>): void {
    tx.run(
      `INSERT INTO cards (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
      ...COLUMNS.map((c) => (typeof card[c] === 'boolean' ? Number(card[c]) : card[c])),
    );
  }

  find(tx: Tx, account: string, id: string): CardEntity | undefined {
    const row = tx.get<CardEntity>('SELECT * FROM cards WHERE id = ? AND account = ?', id, account);
    if (row) row.deleted = Boolean(row.deleted);
    return row;
  }

  markDeleted(tx: Tx, account: string, id: string): void {
    tx.run('UPDATE cards SET deleted = 1 WHERE id = ? AND account = ?', id, account);
  }

  /** The newest remaining source of a customer: Stripe's next default when the default is removed. */
  newestOf(tx: Tx, account: string, customerId: string): CardEntity | undefined {
    return tx.get<CardEntity>(
      'SELECT * FROM cards WHERE account = ? AND customer_id = ? AND deleted = 0 ORDER BY seq DESC LIMIT 1',
      account, customerId,
    );
  }

  listForCustomer(tx: Tx, account: string, customerId: string, params: ListParamsDto) {
    return paginate<CardEntity>(
      tx,
      { table: 'cards', resource: 'source', account, where: [['customer_id = ?', customerId], ['deleted = 0']] },
      params,
    );
  }
}
