import type { ForwardTarget } from '@sluice/config';
import { Journal } from '@sluice/journal';
import { cursorPath, readCursor, writeCursor } from './cursor.js';
import { type Transport, transportFor } from './transports.js';

export interface ForwarderOptions {
  /** How often the journal is read for new records; 1 s by default. */
  readonly pollMs?: number;
  /** Records per batch; 500 by default. */
  readonly batchSize?: number;
  /** Longest wait between retries while the receiver is down; 30 s by default. */
  readonly maxBackoffMs?: number;
  /** Told of each failure and of the recovery (for logs); never throws into the forwarder. */
  readonly onState?: (state: {
    readonly ok: boolean;
    readonly cursor: number;
    readonly error?: unknown;
  }) => void;
  /** The transport, for tests; made from the target otherwise. */
  readonly transport?: Transport;
  /**
   * On a shared store, this gateway's id: its replica holds every gateway's records, and each
   * gateway forwards only its own, so a SIEM receives every record once.
   */
  readonly gateway?: string;
}

/**
 * Sends every journal record to one SIEM destination, in order, at least once. It reads the
 * journal file through its own read-only connection, so the gateway's writes never wait for it;
 * the cursor (the last acknowledged seq) is persisted after each acknowledged batch, so a
 * receiver that was down, or a restart, resumes exactly after what was delivered. A crash
 * between delivery and the cursor's write sends that batch again: receivers deduplicate by seq.
 */
export class JournalForwarder {
  private readonly cursorFile: string;
  private readonly transport: Transport;
  private cursor: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failures = 0;
  private journal: Journal | null = null;

  constructor(
    private readonly journalPath: string,
    target: ForwardTarget,
    private readonly options: ForwarderOptions = {},
  ) {
    this.cursorFile = cursorPath(journalPath, target.url);
    this.cursor = readCursor(this.cursorFile);
    this.transport = options.transport ?? transportFor(target);
  }

  /** The seq of the last record delivered. */
  get delivered(): number {
    return this.cursor;
  }

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.transport.close();
    this.journal?.close();
    this.journal = null;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.round(), delayMs);
    this.timer.unref();
  }

  /** Sends batches until the journal has nothing newer, then waits for the next poll. */
  private async round(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        this.journal ??= Journal.open(this.journalPath, { readonly: true });
        const batch = this.journal.records.after(
          this.cursor,
          this.options.batchSize ?? 500,
          this.options.gateway,
        );
        if (batch.length === 0) break;
        await this.transport.send(batch);
        this.cursor = batch[batch.length - 1]?.seq ?? this.cursor;
        writeCursor(this.cursorFile, this.cursor);
        if (this.failures > 0) this.options.onState?.({ ok: true, cursor: this.cursor });
        this.failures = 0;
      }
      this.schedule(this.options.pollMs ?? 1000);
    } catch (error) {
      this.failures += 1;
      this.options.onState?.({ ok: false, cursor: this.cursor, error });
      const backoff = Math.min(
        this.options.maxBackoffMs ?? 30_000,
        (this.options.pollMs ?? 1000) * 2 ** Math.min(this.failures, 10),
      );
      this.schedule(backoff);
    }
  }
}

/** One forwarder per `journal.forward` target, started; returns a function that stops them. */
export function startForwarding(
  journalPath: string,
  targets: readonly ForwardTarget[],
  onState: (
    url: string,
    state: { readonly ok: boolean; readonly cursor: number; readonly error?: unknown },
  ) => void,
  gateway?: string,
): () => void {
  const forwarders = targets.map(
    (target) =>
      new JournalForwarder(journalPath, target, {
        onState: (state) => onState(target.url, state),
        ...(gateway === undefined ? {} : { gateway }),
      }),
  );
  for (const forwarder of forwarders) forwarder.start();
  return () => {
    for (const forwarder of forwarders) forwarder.stop();
  };
}
