interface Entry<V> {
  readonly value: V;
  /** What the entry counts for against `maxBytes`. */
  readonly bytes: number;
  /** The insertion count when the entry was last (re)inserted. */
  stamp: number;
}

/**
 * A bounded map that forgets the least recently used entries first. A Map iterates in insertion
 * order, so evicting its first key evicts the oldest insertion; a hit re-inserts its entry only
 * when it is older than half the capacity, which keeps a hit to one lookup (re-inserting on every
 * hit costs more than the lookup) while anything used within the last capacity/2 insertions stays.
 * Bounded by entries and, when entries are given a size, by their total size.
 */
export class LruCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private insertions = 0;
  private totalBytes = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.insertions - entry.stamp > this.capacity / 2) {
      this.entries.delete(key);
      this.insertions += 1;
      entry.stamp = this.insertions;
      this.entries.set(key, entry);
    }
    return entry.value;
  }

  set(key: string, value: V, bytes = 0): void {
    if (this.capacity <= 0 || bytes > this.maxBytes) return;
    this.forget(key);
    this.insertions += 1;
    this.entries.set(key, { value, bytes, stamp: this.insertions });
    this.totalBytes += bytes;
    if (this.entries.size > this.capacity || this.totalBytes > this.maxBytes) this.evict();
  }

  /**
   * Forgets the oldest entries until a sixteenth of the room is free again. In batches because
   * finding a Map's first key walks past every key deleted before it until V8 next compacts the
   * table: evicting one entry per insertion made a cache that misses every time (pgbench's
   * literals) spend microseconds per insertion walking.
   */
  private evict(): void {
    const entries = this.capacity - Math.floor(this.capacity / 16);
    // Infinity less a sixteenth of it is NaN: with no limit on bytes, bytes never evict.
    const bytes = Number.isFinite(this.maxBytes) ? this.maxBytes - this.maxBytes / 16 : this.maxBytes;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= entries && this.totalBytes <= bytes) return;
      this.entries.delete(key);
      this.totalBytes -= entry.bytes;
    }
  }

  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }
}
