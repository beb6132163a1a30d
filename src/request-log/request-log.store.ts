import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ResourceMissingError } from '../common/errors/stripe-error.js';
import type { ListRequestsDto } from './dto/list-requests.dto.js';
import { maskPans, maskPath } from './mask.js';

export interface RequestLogEntry {
  /** Process-wide order, newest highest. */
  seq: number;
  /** The request's Request-Id. */
  id: string;
  account: string;
  method: string;
  path: string;
  /** Null when the connection closed with no response (drop_response, crash_after_phase). */
  status: number | null;
  idempotency_key: string | null;
  replayed: boolean;
  original_request: string | null;
  duration_ms: number;
  /** The params as parsed, card numbers masked. */
  params: unknown;
  /**
   * The response text, capped in size; or a function that rebuilds it from parts kept anyway (a list
   * page from cached JSON), so that the log holds no copy. Card-like numbers are masked when read.
   */
  response_body: string | (() => string) | null;
  created_at: number;
}

/** Stored response bodies are capped: a 100-item list is useful to see, a megabyte is not. */
const MAX_BODY_CHARS = 64 * 1024;

export const capBody = (text: string): string => text.slice(0, MAX_BODY_CHARS);

/** An entry's response text, rebuilt if it was kept as parts. */
export function responseText(entry: RequestLogEntry): string | null {
  return typeof entry.response_body === 'function' ? capBody(entry.response_body()) : entry.response_body;
}

/**
 * The request log lives in memory, newest `REQUEST_LOG_LIMIT` entries per account, and at most
 * `REQUEST_LOG_TOTAL_LIMIT` for all accounts together: a test suite that uses a fresh key per test makes
 * an account per test, and the log must not grow with them. Past the total, the accounts idle longest
 * lose their oldest entries first. It is a window on what clients just did, not a record to keep:
 * writing every response body to SQLite cost a third of the throughput of reads and replays
 * (docs/performance-history.md), and a restart is a fine moment to forget.
 */
@Injectable()
export class RequestLogStore {
  /** In order of last activity, idlest first (a Map keeps insertion order; `add` re-inserts). */
  private readonly byAccount = new Map<string, RequestLogEntry[]>();
  private lastAccount: string | null = null;
  private total = 0;
  private seq = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  add(entry: Omit<RequestLogEntry, 'seq'>): void {
    let entries = this.byAccount.get(entry.account);
    if (entry.account !== this.lastAccount) {
      this.byAccount.delete(entry.account);
      this.byAccount.set(entry.account, (entries ??= []));
      this.lastAccount = entry.account;
    }
    entries!.push({ seq: ++this.seq, ...entry });
    this.total++;
    // One at a time: V8 drops an array's first element in place, where splice(0, 1) moves all 1,000.
    while (entries!.length > this.config.requestLogLimit) {
      entries!.shift();
      this.total--;
    }
    while (this.total > this.config.requestLogTotalLimit) this.forgetIdlest();
  }

  private forgetIdlest(): void {
    const [account, entries] = this.byAccount.entries().next().value as [string, RequestLogEntry[]];
    if (entries.shift()) this.total--;
    if (entries.length === 0) this.clear(account);
  }

  /** Newest first, filtered, paged by request id like any Stripe list. */
  list(account: string, query: ListRequestsDto): { rows: RequestLogEntry[]; hasMore: boolean } {
    const limit = query.limit ?? 10;
    const created = query.created;
    // Keys and paths are stored masked: a filter naming one as the client sent it matches that.
    const key = query.idempotency_key ? maskPans(query.idempotency_key.slice(0, 255)) : null;
    const path = query.path ? maskPath(query.path) : null;
    const matches = (e: RequestLogEntry): boolean =>
      (!path || e.path === path) &&
      (query.status === undefined || query.status === null || e.status === query.status) &&
      (!key || e.idempotency_key === key) &&
      (!created ||
        ((created.gt === undefined || e.created_at > created.gt * 1000 + 999) &&
          (created.gte === undefined || e.created_at >= created.gte * 1000) &&
          (created.lt === undefined || e.created_at < created.lt * 1000) &&
          (created.lte === undefined || e.created_at <= created.lte * 1000 + 999)));

    const newestFirst = [...(this.byAccount.get(account) ?? [])].reverse();
    let candidates = newestFirst;
    const cursor = query.starting_after ?? query.ending_before;
    if (cursor) {
      const at = newestFirst.findIndex((e) => e.id === cursor);
      if (at < 0) throw new ResourceMissingError('request', cursor, query.starting_after ? 'starting_after' : 'ending_before');
      candidates = query.starting_after ? newestFirst.slice(at + 1) : newestFirst.slice(0, at).reverse();
    }
    const found = candidates.filter(matches);
    const rows = found.slice(0, limit);
    return { rows: query.starting_after || !query.ending_before ? rows : rows.reverse(), hasMore: found.length > limit };
  }

  clear(account: string): number {
    const n = this.byAccount.get(account)?.length ?? 0;
    this.byAccount.delete(account);
    if (account === this.lastAccount) this.lastAccount = null;
    this.total -= n;
    return n;
  }
}
