/** Bytes a held session may queue before its client is paused (back-pressure, not buffering). */
const HELD_BYTES_LIMIT = 1 << 20;

/**
 * What a client sends while one of its statements waits for approval: kept in order, to be
 * handled once the decision is in. Past HELD_BYTES_LIMIT the client socket is paused; it is still
 * watched for a disconnect.
 */
export class HeldInput<Item extends { readonly bytes: Buffer }> {
  private items: Item[] | null = null;
  private bytes = 0;

  constructor(
    private readonly pauseClient: () => void,
    private readonly resumeClient: () => void,
  ) {}

  get holding(): boolean {
    return this.items !== null;
  }

  start(): void {
    this.items ??= [];
  }

  /** Keeps a copy: the splitter may reuse the buffer the item points into. */
  keep(item: Item, copy: (item: Item) => Item): void {
    if (!this.items) return;
    this.items.push(copy(item));
    this.bytes += item.bytes.length;
    if (this.bytes > HELD_BYTES_LIMIT) this.pauseClient();
  }

  /** Ends the hold and hands back what was kept, oldest first. */
  release(): Item[] {
    const items = this.items ?? [];
    const paused = this.bytes > HELD_BYTES_LIMIT;
    this.items = null;
    this.bytes = 0;
    if (paused) this.resumeClient();
    return items;
  }
}
