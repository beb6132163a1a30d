/** A finished key's stored answer, as the key phase replays it. */
export interface Replay {
  kind: 'replay';
  status: number;
  body: string;
  originalRequestId: string;
}

/** What a replay needs of a finished key: the request it answered (to refuse another), and its answer. */
export interface FinishedKey {
  method: string;
  path: string;
  params: string;
  replay: Replay;
}

/** Replayed keys kept: more than a test suite or a workshop replays, at about 3 KB each (12 MB at most). */
const MAX_ENTRIES = 4_000;

/**
 * Finished idempotency keys that have been replayed, so that the next replay of one costs a map lookup
 * instead of reading its row (its stored response is a 2–3 KB column): under load the read was a ninth
 * of a replay.
 *
 * Correctness rests on two rules. Entries are filled only by reads outside any write transaction, which
 * see committed rows only. A finished key never changes again until it is deleted, and keys are deleted
 * only by the reaper, which forgets each key it deletes, and by an account's reset, which forgets the
 * account's entries right after its commit, in the same turn, so no read finds one in between.
 */
export class FinishedKeyCache {
  private readonly entries = new Map<string, FinishedKey>();

  get(account: string, key: string): FinishedKey | undefined {
    return this.entries.get(cacheKey(account, key));
  }

  set(account: string, key: string, finished: FinishedKey): void {
    const id = cacheKey(account, key);
    this.entries.delete(id);
    this.entries.set(id, finished);
    // Maps iterate in insertion order: the first key is the least recently stored.
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(account: string, key: string): void {
    this.entries.delete(cacheKey(account, key));
  }

  forgetAccount(account: string): void {
    const prefix = cacheKey(account, '');
    for (const id of this.entries.keys()) if (id.startsWith(prefix)) this.entries.delete(id);
  }
}

// Account ids are `acct_` and hex, so the prefix is unambiguous whatever the idempotency key holds.
const cacheKey = (account: string, key: string) => `${account}\n${key}`;
