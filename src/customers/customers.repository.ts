import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/transaction-runner.js';
import { paginate } from '../common/pagination/paginate.js';
import type { ListCustomersDto } from './dto/list-customers.dto.js';
import type { CustomerEntity } from './customer.entity.js';

const COLUMNS = [
  'id', 'account', 'created', 'email', 'name', 'description', 'phone', 'metadata', 'address', 'shipping',
  'balance', 'currency', 'default_source', 'invoice_prefix', 'deleted', 'preferred_locales',
  'tax_exempt', 'next_invoice_sequence', 'invoice_custom_fields', 'invoice_default_payment_method', 'invoice_footer',
  'invoice_rendering_options', 'business_name', 'individual_name',
] as const;

export type CustomerRow = Omit<CustomerEntity, 'seq'>;

// Every column of the entity is written: one left out of COLUMNS fails to compile here, rather than
// being silently never stored.
type Unwritten = Exclude<keyof CustomerRow, (typeof COLUMNS)[number]>;
const EVERY_COLUMN_WRITTEN: [Unwritten] extends [never] ? true : Unwritten = true;
void EVERY_COLUMN_WRITTEN;

/** SQL for customers. Rows come back as stored (JSON columns as text, booleans as 0/1). */
@Injectable()
export class CustomersRepository {
  insert(tx: Tx, row: CustomerRow): void {
    tx.run(
      `INSERT INTO customers (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
      ...COLUMNS.map((c) => toSql(row[c])),
    );
  }

  update(tx: Tx, row: CustomerRow): void {
    const fields = COLUMNS.filter((c) => c !== 'id' && c !== 'account');
    tx.run(
      `UPDATE customers SET ${fields.map((c) => `${c} = ?`).join(', ')} WHERE id = ? AND account = ?`,
      ...fields.map((c) => toSql(row[c])),
      row.id,
      row.account,
    );
  }

  /** Includes deleted customers: callers decide what a tombstone means for them. */
  find(tx: Tx, account: string, id: string): CustomerEntity | undefined {
    const row = tx.get<CustomerEntity>('SELECT * FROM customers WHERE id = ? AND account = ?', id, account);
    if (row) row.deleted = Boolean(row.deleted);
    return row;
  }

  list(tx: Tx, account: string, params: ListCustomersDto) {
    const where: Array<[string, ...unknown[]]> = [['deleted = 0']];
    if (params.email) where.push(['email = ?', params.email]);
    return paginate<CustomerEntity>(tx, { table: 'customers', resource: 'customer', account, where }, params);
  }
}

const toSql = (value: unknown) => (typeof value === 'boolean' ? Number(value) : value);
