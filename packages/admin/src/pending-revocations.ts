import { type Journal, JournalError } from '@sluice/journal';
import type { Logger } from 'pino';

/** Between two tries to write the revocations the store could not take. */
const RETRY_MS = 1000;

interface Waiting {
  readonly actor: string;
  readonly reason: string;
}

/**
 * Revocations made while the shared store is unreachable. A revocation only takes away, so it is
 * not refused: the gateway that receives it ends the identity's sessions and refuses its sign-ins
 * at once, and the revocation is written to the store, which tells every other gateway, as soon
 * as the store takes it. They wait in memory: a gateway stopped before the store is back
 * forgets them, and says so in its log.
 */
export class PendingRevocations {
  private readonly waiting = new Map<string, Waiting>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly journal: Journal,
    private readonly log: Logger,
  ) {}

  get size(): number {
    return this.waiting.size;
  }

  /** Revoked here, not yet in the store. */
  has(name: string): boolean {
    return this.waiting.has(name);
  }

  add(name: string, actor: string, reason: string): void {
    if (!this.waiting.has(name)) this.waiting.set(name, { actor, reason });
    this.schedule();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.size > 0) {
      this.log.error(
        { identities: [...this.waiting.keys()] },
        'stopping with revocations the shared store never took: revoke them again once it is back',
      );
    }
  }

  private schedule(): void {
    if (this.timer || this.waiting.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.retry();
      this.schedule();
    }, RETRY_MS);
    this.timer.unref();
  }

  /** Writes what waits, oldest first, until the store refuses again. */
  private retry(): void {
    for (const [name, { actor, reason }] of [...this.waiting]) {
      try {
        this.journal.revokeAccount(name, actor, reason);
        this.log.info({ identity: name }, 'a revocation made while the store was unreachable reached it');
      } catch (error) {
        if (error instanceof JournalError && error.code === 'unavailable') return;
        // Revoked meanwhile through another gateway: done. Anything else will not change by waiting.
        if (!(error instanceof JournalError && error.code === 'account-revoked'))
          this.log.error(
            { err: error, identity: name },
            'a revocation made while the store was unreachable failed',
          );
      }
      this.waiting.delete(name);
    }
  }
}
