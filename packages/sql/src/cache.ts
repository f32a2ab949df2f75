interface Entry<V> {
  readonly value: V;
  /** The insertion count when the entry was last (re)inserted. */
  stamp: number;
}

/**
 * A bounded map that forgets the least recently used entries first. A Map iterates in insertion
 * order, so evicting its first key evicts the oldest insertion; a hit re-inserts its entry only
 * when it is older than half the capacity, which keeps a hit to one lookup (re-inserting on every
 * hit costs more than the lookup) while anything used within the last capacity/2 insertions stays.
 */
export class LruCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private insertions = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
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

  set(key: string, value: V): void {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.insertions += 1;
    this.entries.set(key, { value, stamp: this.insertions });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }
}
