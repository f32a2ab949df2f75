/** `1000` → `1s`, `300000` → `5m`, `5400000` → `90m`: the limit as a policy would write it. */
export function formatLimit(milliseconds: number): string {
  if (milliseconds % 3_600_000 === 0) return `${milliseconds / 3_600_000}h`;
  if (milliseconds % 60_000 === 0) return `${milliseconds / 60_000}m`;
  if (milliseconds % 1000 === 0) return `${milliseconds / 1000}s`;
  return `${milliseconds}ms`;
}

/**
 * A policy's `max_statement_time` for one session: one timer runs while the server works on a
 * statement of the session, restarted as each statement completes. When it passes, the session
 * cancels the statement upstream, and the error the statement then ends with is Sluice's.
 * A session whose policy sets no limit has no timer at all.
 */
export class StatementTimer {
  readonly message: string;
  private handle: NodeJS.Timeout | null = null;
  /** The running statement was cancelled because of the limit. */
  private cancelled = false;

  constructor(
    private readonly limitMs: number,
    private readonly cancel: () => void,
  ) {
    this.message = `sluice: statement cancelled after ${formatLimit(limitMs)} (max_statement_time)`;
  }

  /** Whether the statement the server ends now was cancelled by this timer. */
  get fired(): boolean {
    return this.cancelled;
  }

  /** After each exchange: with statements in flight the timer runs (unless it already does), without any it stops. */
  track(inFlight: boolean): void {
    if (!inFlight) this.stop();
    else if (this.handle === null && !this.cancelled) this.start();
  }

  /**
   * A statement completed; the next one in flight, if any, gets the whole limit. Once a cancel
   * is on its way the limit has passed for everything in flight: the server's replies may still
   * report statements that finished before it (PostgreSQL sends a query string's replies together).
   */
  statementDone(moreInFlight: boolean): void {
    if (this.cancelled) return;
    if (this.handle !== null) clearTimeout(this.handle);
    this.handle = null;
    if (moreInFlight) this.start();
  }

  /** Nothing is in flight any more (or the session ended). */
  stop(): void {
    if (this.handle !== null) clearTimeout(this.handle);
    this.handle = null;
    this.cancelled = false;
  }

  private start(): void {
    this.handle = setTimeout(() => {
      this.handle = null;
      this.cancelled = true;
      this.cancel();
    }, this.limitMs);
    this.handle.unref();
  }
}
