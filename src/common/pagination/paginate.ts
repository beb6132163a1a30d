import type { Tx } from '../../database/transaction-runner.js';
import { ResourceMissingError } from '../errors/stripe-error.js';
import type { ListParamsDto } from './list-params.dto.js';

export interface StripeList<T> {
  object: 'list';
  url: string;
  has_more: boolean;
  data: T[];
}

export interface PageQuery {
  /** Table with `seq` (insertion order), `id` and `account` columns. */
  table: string;
  /** Resource name for a missing cursor's message (`No such customer: 'cus_x'`). */
  resource: string;
  account: string;
  /** Extra conditions, e.g. `deleted = 0` or `customer_id = ?`, ANDed together. */
  where?: Array<[string, ...unknown[]]>;
  /** The columns to read (default: all). */
  columns?: string;
  /**
   * Conditions a cursor must meet too, for lists of a parent's objects: a customer's cards are its own,
   * and another customer's card is no such source there, as retrieving it through this customer says.
   */
  cursorWhere?: Array<[string, ...unknown[]]>;
}

export const DEFAULT_LIMIT = 10;

/**
 * Keyset pagination on `seq`: a cursor id is resolved to its `seq` once, then the page is an index
 * range scan, so page 10,000 costs what page 1 costs (no OFFSET).
 */
export function paginate<Row>(tx: Tx, query: PageQuery, params: ListParamsDto): { rows: Row[]; hasMore: boolean } {
  const limit = params.limit ?? DEFAULT_LIMIT;
  const conditions = ['account = ?'];
  const args: unknown[] = [query.account];
  for (const [condition, ...values] of query.where ?? []) {
    conditions.push(condition);
    args.push(...values);
  }
  const created = params.created;
  if (created) {
    for (const [op, sql] of [['gt', '>'], ['gte', '>='], ['lt', '<'], ['lte', '<=']] as const) {
      // `created[gte]=` (empty, null after parsing) means no bound, as every other empty param means unset.
      if (created[op] !== undefined && created[op] !== null) {
        conditions.push(`created ${sql} ?`);
        args.push(created[op]);
      }
    }
  }

  const backwards = !params.starting_after && !!params.ending_before;
  const cursorId = params.starting_after ?? params.ending_before;
  if (cursorId) {
    const scope = query.cursorWhere ?? [];
    const cursor = tx.get<{ seq: number }>(
      `SELECT seq FROM ${query.table} WHERE id = ? AND account = ?${scope.map(([condition]) => ` AND ${condition}`).join('')}`,
      cursorId, query.account, ...scope.flatMap(([, ...values]) => values),
    );
    if (!cursor) throw new ResourceMissingError(query.resource, cursorId, params.starting_after ? 'starting_after' : 'ending_before');
    conditions.push(backwards ? 'seq > ?' : 'seq < ?');
    args.push(cursor.seq);
  }

  // The limit is written into the SQL, not bound: with a bound LIMIT the same page query costs ~7 µs
  // more per run (20 against 13 µs here; the bytecode is identical, so SQLite seemingly re-prepares it
  // for each new binding). Lists allow 1–100: at most a hundred statements per query shape.
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new Error(`page limit out of range: ${limit}`);
  const rows = tx.all<Row>(
    `SELECT ${query.columns ?? '*'} FROM ${query.table} WHERE ${conditions.join(' AND ')} ORDER BY seq ${backwards ? 'ASC' : 'DESC'} LIMIT ${limit + 1}`,
    ...args,
  );
  const hasMore = rows.length > limit;
  if (hasMore) rows.pop();
  if (backwards) rows.reverse();
  return { rows, hasMore };
}

export function toList<T>(url: string, data: T[], hasMore: boolean): StripeList<T> {
  return { object: 'list', url, has_more: hasMore, data };
}

/** `JSON.stringify(toList(url, data, hasMore))`, for items that are JSON text already. */
export function toListJson(url: string, items: string[], hasMore: boolean): string {
  return `{"object":"list","url":${JSON.stringify(url)},"has_more":${hasMore},"data":[${items.join(',')}]}`;
}
