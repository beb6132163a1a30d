import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/transaction-runner.js';
import { paginate } from '../common/pagination/paginate.js';
import type { ListParamsDto } from '../common/pagination/list-params.dto.js';
import type { CardEntity } from './card.entity.js';

const COLUMNS = [
  'id', 'account', 'customer_id', 'brand', 'last4', 'exp_month', 'exp_year', 'funding', 'country', 'fingerprint',
  'cvc_check', 'decline', 'name', 'address_line1', 'address_line2', 'address_city', 'address_state', 'address_zip',
  'address_country', 'metadata', 'created', 'deleted',
] as const;

/** What a source update may change (column names come only from here, never from the request). */
export const UPDATABLE_COLUMNS = [
  'name', 'address_line1', 'address_line2', 'address_city', 'address_state', 'address_zip', 'address_country',
  'exp_month', 'exp_year', 'metadata',
] as const;
type UpdatableColumn = (typeof UPDATABLE_COLUMNS)[number];

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

  update(tx: Tx, account: string, id: string, fields: Partial<Pick<CardEntity, UpdatableColumn>>): void {
    const columns = Object.keys(fields) as UpdatableColumn[];
    if (!columns.length) return;
    tx.run(
      `UPDATE cards SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ? AND account = ?`,
      ...columns.map((c) => fields[c]), id, account,
    );
  }

  markDeleted(tx: Tx, account: string, id: string): void {
    tx.run('UPDATE cards SET deleted = 1 WHERE id = ? AND account = ?', id, account);
  }

  /** A deleted customer's cards go with it, as on Stripe: no charge can name them again. */
  markCustomersDeleted(tx: Tx, account: string, customerId: string): void {
    tx.run('UPDATE cards SET deleted = 1 WHERE account = ? AND customer_id = ? AND deleted = 0', account, customerId);
  }

  /** The newest remaining source of a customer: Stripe's next default when the default is removed. */
  newestOf(tx: Tx, account: string, customerId: string): CardEntity | undefined {
    return tx.get<CardEntity>(
      'SELECT * FROM cards WHERE account = ? AND customer_id = ? AND deleted = 0 ORDER BY seq DESC LIMIT 1',
      account, customerId,
    );
  }

  listForCustomer(tx: Tx, account: string, customerId: string, params: ListParamsDto) {
    const customersLiveCards: Array<[string, ...unknown[]]> = [['customer_id = ?', customerId], ['deleted = 0']];
    return paginate<CardEntity>(tx, { table: 'cards', resource: 'source', account, where: customersLiveCards, cursorWhere: customersLiveCards }, params);
  }
}
