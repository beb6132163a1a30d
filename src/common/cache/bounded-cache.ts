export interface CacheLimits {
  /** Entries kept at most. */
  entries: number;
  /** Total size kept at most, in the units `sizeOf` counts (characters of text, say). */
  size: number;
  /** An entry larger than this is not kept at all. */
  entrySize: number;
}

/**
 * A map that keeps the most recently used entries within a count and a total size: what the in-memory
 * caches of answers share. Maps iterate in insertion order, so moving an entry to the end on every use
 * leaves the least recently used one first, to be evicted.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();
  private total = 0;

  constructor(
    private readonly limits: CacheLimits,
    private readonly sizeOf: (value: V) => number,
  ) {}

  get count(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    const size = this.sizeOf(value);
    if (size > this.limits.entrySize) return;
    this.entries.set(key, value);
    this.total += size;
    while (this.entries.size > this.limits.entries || this.total > this.limits.size) this.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    this.total -= this.sizeOf(value);
  }

  /** Every entry whose key starts with `prefix` (an account's, when keys start with the account). */
  deleteWithPrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.delete(key);
  }
}
