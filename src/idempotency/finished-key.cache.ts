import { BoundedCache } from '../common/cache/bounded-cache.js';

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

/**
 * Replayed keys kept: more than a test suite or a workshop replays (a keyed charge's answer is ~3 KB),
 * within 16 MB of text (params and answer); one answer over 256 KB is read from its row each time.
 */
const LIMITS = { entries: 4_000, size: 16 * 1024 * 1024, entrySize: 256 * 1024 };

/**
 * Finished idempotency keys that have been replayed, most recently replayed kept, so that the next replay of one costs a map lookup
 * instead of reading its row (its stored response is a 2–3 KB column): under load the read was a ninth
 * of a replay.
 *
 * Correctness rests on two rules. Entries are filled only by reads outside any write transaction, which
 * see committed rows only. A finished key never changes again until it is deleted, and keys are deleted
 * only by the reaper, which forgets each key it deletes, and by an account's reset, which forgets the
 * account's entries right after its commit, in the same turn, so no read finds one in between.
 */
export class FinishedKeyCache {
  private readonly entries = new BoundedCache<FinishedKey>(LIMITS, (finished) => finished.params.length + finished.replay.body.length);

  get size(): number {
    return this.entries.count;
  }

  get(account: string, key: string): FinishedKey | undefined {
    return this.entries.get(cacheKey(account, key));
  }

  set(account: string, key: string, finished: FinishedKey): void {
    this.entries.set(cacheKey(account, key), finished);
  }

  forget(account: string, key: string): void {
    this.entries.delete(cacheKey(account, key));
  }

  forgetAccount(account: string): void {
    this.entries.deleteWithPrefix(cacheKey(account, ''));
  }
}

// Account ids are `acct_` and hex, so the prefix is unambiguous whatever the idempotency key holds.
const cacheKey = (account: string, key: string) => `${account}\n${key}`;
