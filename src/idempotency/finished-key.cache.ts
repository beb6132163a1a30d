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

/** Replayed keys kept: more than a test suite or a workshop replays (a keyed charge's answer is ~3 KB)… */
const MAX_ENTRIES = 4_000;
/** …within this much text (params and answer), so that large answers (expanded lists) cannot grow it far. */
const MAX_CHARS = 16 * 1024 * 1024;
/** One answer larger than this is read from its row each time instead. */
const MAX_ENTRY_CHARS = 256 * 1024;

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
  private readonly entries = new Map<string, FinishedKey>();
  private chars = 0;

  get size(): number {
    return this.entries.size;
  }

  get(account: string, key: string): FinishedKey | undefined {
    const id = cacheKey(account, key);
    const finished = this.entries.get(id);
    if (finished) {
      // Moved to the end: Maps iterate in insertion order, so the first entry is the least recently replayed.
      this.entries.delete(id);
      this.entries.set(id, finished);
    }
    return finished;
  }

  set(account: string, key: string, finished: FinishedKey): void {
    if (sizeOf(finished) > MAX_ENTRY_CHARS) return;
    const id = cacheKey(account, key);
    this.forgetId(id);
    this.entries.set(id, finished);
    this.chars += sizeOf(finished);
    while (this.entries.size > MAX_ENTRIES || this.chars > MAX_CHARS) this.forgetId(this.entries.keys().next().value!);
  }

  forget(account: string, key: string): void {
    this.forgetId(cacheKey(account, key));
  }

  forgetAccount(account: string): void {
    const prefix = cacheKey(account, '');
    for (const id of this.entries.keys()) if (id.startsWith(prefix)) this.forgetId(id);
  }

  private forgetId(id: string): void {
    const finished = this.entries.get(id);
    if (!finished) return;
    this.entries.delete(id);
    this.chars -= sizeOf(finished);
  }
}

const sizeOf = (finished: FinishedKey): number => finished.params.length + finished.replay.body.length;

// Account ids are `acct_` and hex, so the prefix is unambiguous whatever the idempotency key holds.
const cacheKey = (account: string, key: string) => `${account}\n${key}`;
