import type { ApprovalStep, RefusalCause } from './approval-gate.js';
import type { RunVerdict } from './statement-journal.js';

/** Bytes a held session may queue before its client is paused (back-pressure, not buffering). */
const HELD_BYTES_LIMIT = 1 << 20;

/** What holding needs from a protocol's client-side handler. */
export interface HoldHooks<Item> {
  /** A copy that outlives the splitter's buffer. */
  copy(item: Item): Item;
  /** Handles a kept item once the hold is over, as if it had just arrived. */
  replay(item: Item): void;
  /** Tells the client why it waits, where the protocol can (a PostgreSQL notice). */
  notify(notice: string): void;
  /** False once the session has ended: a decision arriving then changes nothing. */
  active(): boolean;
  /** Flushes what handling the decision queued. */
  resumed(): void;
  pauseClient(): void;
  resumeClient(): void;
}

/**
 * Carries out what the approval gate says about a statement: run it now, refuse it now, or hold
 * it, keeping everything the client sends meanwhile in order, to be handled once the decision
 * is in. Past HELD_BYTES_LIMIT the client socket is paused; it is still watched for a
 * disconnect. Protocol-independent: the hooks and callbacks do what is protocol-specific.
 */
export class ApprovalHold<Item extends { readonly bytes: Buffer }> {
  private items: Item[] | null = null;
  private bytes = 0;

  constructor(private readonly hooks: HoldHooks<Item>) {}

  get holding(): boolean {
    return this.items !== null;
  }

  keep(item: Item): void {
    if (!this.items) return;
    this.items.push(this.hooks.copy(item));
    this.bytes += item.bytes.length;
    if (this.bytes > HELD_BYTES_LIMIT) this.hooks.pauseClient();
  }

  follow(
    step: ApprovalStep,
    run: (verdict: RunVerdict) => void,
    refuse: (cause: RefusalCause, message: string) => void,
  ): void {
    if (step.kind === 'run') {
      run(step.verdict);
      return;
    }
    if (step.kind === 'refuse') {
      refuse(step.cause, step.message);
      return;
    }
    this.items ??= [];
    this.hooks.notify(step.notice);
    void step.settled.then((next) => {
      const kept = this.release();
      if (!this.hooks.active()) return;
      this.follow(next, run, refuse);
      for (const item of kept) this.hooks.replay(item);
      this.hooks.resumed();
    });
  }

  private release(): Item[] {
    const items = this.items ?? [];
    const paused = this.bytes > HELD_BYTES_LIMIT;
    this.items = null;
    this.bytes = 0;
    if (paused) this.hooks.resumeClient();
    return items;
  }
}
