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
 * the same unit of work. A deleted charge (a reset) may leave an entry behind: readers check that the
 * charge still exists, which is one lookup in the `charges_id` index.
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
}

const cacheKey = (account: string, id: string) => `${account} ${id}`;
