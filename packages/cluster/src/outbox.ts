/**
 * Changes made here that the store has not taken yet, newest state per key (`approval:<id>`,
 * `grant:<id>`): while the store is unreachable a request's ten updates wait as one write.
 */
export class Outbox {
  private readonly waiting = new Map<string, () => Promise<void>>();
  private flushing: Promise<void> | undefined;
  private again = false;

  get size(): number {
    return this.waiting.size;
  }

  put(key: string, write: () => Promise<void>): void {
    this.waiting.delete(key);
    this.waiting.set(key, write);
  }

  /** Writes what waits, in the order it was made; stops at the first failure (the rest waits). */
  flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      for (const [key, write] of [...this.waiting]) {
        try {
          await write();
        } catch {
          return;
        }
        if (this.waiting.get(key) === write) this.waiting.delete(key);
      }
    } while (this.again);
  }
}
