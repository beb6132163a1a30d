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
    if (this.entries.size > this.limits.entries || this.total > this.limits.size) this.evict();
  }

  delete(key: string): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    this.total -= this.sizeOf(value);
  }

  /**
   * Evicts the least recently used entries down to a sixteenth under the limits, in one pass. Not one
   * entry per `set`: V8 leaves a deleted Map entry as a hole until the table is rebuilt, and a new
   * iterator steps over every hole before the first live entry, so evicting the oldest entry one call at
   * a time scanned up to the whole table each time (a full 16,000-entry cache: ~8 µs a `set`, against
   * ~1 µs in batches; docs/performance.md).
   */
  private evict(): void {
    const entries = this.limits.entries - Math.floor(this.limits.entries / EVICTION_SLACK);
    const size = (this.limits.size * (EVICTION_SLACK - 1)) / EVICTION_SLACK;
    for (const key of this.entries.keys()) {
      if (this.entries.size <= entries && this.total <= size) return;
      this.delete(key);
    }
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  /** Every entry whose key starts with `prefix` (an account's, when keys start with the account). */
  deleteWithPrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.delete(key);
  }
}

/** An eviction frees a sixteenth of the limits (nothing more for caches of under 16 entries). */
const EVICTION_SLACK = 16;
