/** `1000` → `1s`, `300000` → `5m`, `5400000` → `90m`: the limit as a policy would write it. */
export function formatLimit(milliseconds: number): string {
  if (milliseconds % 3_600_000 === 0) return `${milliseconds / 3_600_000}h`;
  if (milliseconds % 60_000 === 0) return `${milliseconds / 60_000}m`;
  if (milliseconds % 1000 === 0) return `${milliseconds / 1000}s`;
  return `${milliseconds}ms`;
}

/**
 * A policy's `max_statement_time` for one session: while the server works on statements of the
 * session, one timer checks that the current statement has not run past the limit, each statement
 * counted from when the one before it completed. When it has, the session cancels it upstream, and
 * the error the statement then ends with is Sluice's. A statement only notes its start time: the
 * timer is set once per busy stretch, not once per statement. A session whose policy sets no limit
 * has no timer at all.
 */
export class StatementTimer {
  readonly message: string;
  private handle: NodeJS.Timeout | null = null;
  private startedAt = 0;
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
    else if (this.handle === null && !this.cancelled) {
      this.startedAt = performance.now();
      this.arm(this.limitMs);
    }
  }

  /**
   * A statement completed; the next one in flight, if any, gets the whole limit. Once a cancel
   * is on its way the limit has passed for everything in flight: the server's replies may still
   * report statements that finished before it (PostgreSQL sends a query string's replies together).
   */
  statementDone(moreInFlight: boolean): void {
    if (!this.cancelled && moreInFlight) this.startedAt = performance.now();
  }

  /** Nothing is in flight any more (or the session ended). */
  stop(): void {
    if (this.handle !== null) clearTimeout(this.handle);
    this.handle = null;
    this.cancelled = false;
  }

  private arm(delayMs: number): void {
    this.handle = setTimeout(() => this.check(), delayMs);
    this.handle.unref();
  }

  private check(): void {
    this.handle = null;
    const left = this.startedAt + this.limitMs - performance.now();
    if (left > 0) {
      this.arm(left);
      return;
    }
    this.cancelled = true;
    this.cancel();
  }
}
