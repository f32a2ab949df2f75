import type { Socket } from 'node:net';

/**
 * `limits.idle_session_timeout`: ends a session once neither side has sent a byte for the
 * timeout while nothing is running. Traffic only re-arms a timestamp; the one timer checks it
 * when it fires, so a busy session costs no timer churn.
 */
export class IdleWatch {
  private lastActivity = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private readonly touch = (): void => {
    this.lastActivity = Date.now();
  };

  constructor(
    private readonly timeoutMs: number,
    /** True when no statement runs or waits for approval. */
    private readonly idle: () => boolean,
    private readonly expired: () => void,
    private readonly sockets: readonly Socket[],
  ) {}

  start(): void {
    for (const socket of this.sockets) socket.on('data', this.touch);
    this.arm(this.timeoutMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const socket of this.sockets) socket.off('data', this.touch);
  }

  private arm(delayMs: number): void {
    this.timer = setTimeout(() => this.check(), delayMs);
    this.timer.unref();
  }

  private check(): void {
    const quietFor = Date.now() - this.lastActivity;
    if (quietFor >= this.timeoutMs && this.idle()) {
      this.stop();
      this.expired();
      return;
    }
    // A running statement counts as activity: the session is idle from when it ends.
    if (!this.idle()) this.lastActivity = Date.now();
    this.arm(Math.max(1, this.timeoutMs - (Date.now() - this.lastActivity)));
  }
}

export function idleMessage(timeoutMs: number): string {
  return `sluice: session ended after ${formatSeconds(timeoutMs)} idle (limits.idle_session_timeout)`;
}

function formatSeconds(milliseconds: number): string {
  return milliseconds % 1000 === 0 ? `${milliseconds / 1000}s` : `${milliseconds}ms`;
}

/** The session's watch, started; null when `limits.idle_session_timeout` is off. */
export function watchIdle(
  timeoutMs: number | null,
  idle: () => boolean,
  expired: (message: string) => void,
  sockets: readonly Socket[],
): IdleWatch | null {
  if (timeoutMs === null) return null;
  const watch = new IdleWatch(timeoutMs, idle, () => expired(idleMessage(timeoutMs)), sockets);
  watch.start();
  return watch;
}
