import { Injectable } from '@nestjs/common';

/**
 * The most recently read charges kept: more than a test suite or a workshop reads back, at about 3 KB
 * each (48 MB at most).
 */
const MAX_ENTRIES = 16_000;

/**
 * The JSON text of charges as GET /v1/charges and GET /v1/charges/:id send them. Reading a charge from
 * its row means a wide row, four JSON.parse calls and a 3 KB JSON.stringify; a list page is ten of
 * those, which made listing charges five times slower than listing stored JSON. Kept here, a read
 * costs a map lookup.
 *
 * Correctness rests on two rules. Entries are filled only by reads, which run outside any write
 * transaction and so see committed rows only. Every write of a charge, or of one of its refunds (the
 * charge embeds them), goes through ChargesRepository or RefundsRepository, which forget the entry in
 * the same unit of work. Charges are deleted only by an account's reset, which forgets the account's
 * entries right after its commit, in the same turn, so no read sees one in between. (Until it did, every
 * cached read also probed the `charges_id` index: ~7 % of a retrieve under load.)
 */
@Injectable()
export class ChargeJsonCache {
  private readonly entries = new Map<string, string>();

  get(account: string, id: string): string | undefined {
    return this.entries.get(cacheKey(account, id));
  }

  set(account: string, id: string, json: string): void {
    const key = cacheKey(account, id);
    this.entries.delete(key);
    this.entries.set(key, json);
    // Maps iterate in insertion order: the first key is the least recently stored.
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(account: string, id: string): void {
    this.entries.delete(cacheKey(account, id));
  }

  /** After a reset: every entry of the account (at most MAX_ENTRIES to look at). */
  forgetAccount(account: string): void {
    const prefix = cacheKey(account, '');
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}

const cacheKey = (account: string, id: string) => `${account} ${id}`;
