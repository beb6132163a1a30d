import { Injectable } from '@nestjs/common';
import { BoundedCache } from '../common/cache/bounded-cache.js';
import type { ApiResponse } from '../common/http/api-response.js';

/**
 * The most recently read charges kept: more than a test suite or a workshop reads back, at about 3 KB
 * each (48 MB at most).
 */
const CHARGE_LIMITS = { entries: 16_000, size: Infinity, entrySize: Infinity };
/** List pages kept: 256 at most, within 16 MB of JSON; a page over 64 KB (more than ~25 charges) is not kept. */
const PAGE_LIMITS = { entries: 256, size: 16 * 1024 * 1024, entrySize: 64 * 1024 };
/**
 * Accounts whose version is kept. A test suite that uses a fresh key per test makes an account per test,
 * each of which would otherwise keep its version for the server's life.
 */
export const MAX_VERSIONED_ACCOUNTS = 10_000;

/**
 * The JSON text of charges as GET /v1/charges and GET /v1/charges/:id send them. Reading a charge from
 * its row means a wide row, four JSON.parse calls and a 3 KB JSON.stringify; a list page is ten of
 * those, which made listing charges five times slower than listing stored JSON. Kept here, a read
 * costs a map lookup.
 *
 * Correctness rests on two rules. Entries are filled only by reads, which run outside any write
 * transaction and so see committed rows only. Every write of a charge goes through ChargesRepository,
 * which forgets the entry (and a new charge marks its account changed) in the same unit of work; a
 * charge's JSON holds none of its refunds (they are shown only when expanded, never cached). Charges are deleted only by an
 * account's reset, which forgets the account's entries right after its commit, in the same turn, so no
 * read sees one in between. (Until it did, every
 * cached read also probed the `charges_id` index: ~7 % of a retrieve under load.)
 */
@Injectable()
export class ChargeJsonCache {
  private readonly entries = new BoundedCache<string>(CHARGE_LIMITS, () => 0);
  /**
   * List pages as answered, by account and list params, with the account's version when they were read.
   * The version moves with every write of a charge of the account (every `forget`, every new
   * charge) and its reset, so a page is served again only while none of its account's charges changed:
   * a page read twice costs a map lookup instead of its query and its join (about a fifth of a list).
   */
  private readonly pages = new BoundedCache<{ version: number; page: ApiResponse }>(PAGE_LIMITS, ({ page }) => page.body.length);
  private readonly versions = new Map<string, number>();

  get(account: string, id: string): string | undefined {
    return this.entries.get(cacheKey(account, id));
  }

  page(account: string, params: string): ApiResponse | undefined {
    const key = cacheKey(account, params);
    const cached = this.pages.get(key);
    if (!cached) return undefined;
    if (cached.version === this.versionOf(account)) return cached.page;
    this.pages.delete(key);
    return undefined;
  }

  /** Only for pages read outside any write transaction, as for charges. */
  setPage(account: string, params: string, page: ApiResponse): void {
    this.pages.set(cacheKey(account, params), { version: this.versionOf(account), page });
  }

  /** A charge of the account was made: its list pages are out of date. */
  changed(account: string): void {
    // Past the limit every version goes, and every page with them: an account starts again at version 0,
    // which a page read before its first change would otherwise match.
    if (this.versions.size >= MAX_VERSIONED_ACCOUNTS && !this.versions.has(account)) {
      this.versions.clear();
      this.pages.clear();
    }
    this.versions.set(account, this.versionOf(account) + 1);
  }

  private versionOf(account: string): number {
    return this.versions.get(account) ?? 0;
  }

  set(account: string, id: string, json: string): void {
    this.entries.set(cacheKey(account, id), json);
  }

  forget(account: string, id: string): void {
    this.entries.delete(cacheKey(account, id));
    this.changed(account);
  }

  /** After a reset: every entry of the account (at most 16,000 to look at). */
  forgetAccount(account: string): void {
    this.entries.deleteWithPrefix(cacheKey(account, ''));
    this.pages.deleteWithPrefix(cacheKey(account, ''));
    this.changed(account);
  }
}

const cacheKey = (account: string, id: string) => `${account} ${id}`;
