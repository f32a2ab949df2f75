/**
 * Slows down guessing of secrets: after too many failed sign-ins from one host, or for one user
 * name from any host, further attempts are refused before any secret is checked, until the window
 * in which the failures happened has passed. Secrets from `agents add` are far too long to guess,
 * so this mostly keeps floods from costing SCRAM work and journal records.
 */
export interface ThrottleLimits {
  /** Failures from one host within a window before its attempts are refused. */
  readonly perHost: number;
  /** Failures for one user name within a window, from all hosts together. */
  readonly perUser: number;
  readonly windowMs: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = { perHost: 20, perUser: 20, windowMs: 60_000 };

/** Keys held at once; beyond it, windows that have ended are dropped first. */
const MAX_KEYS = 10_000;

interface Window {
  startedAt: number;
  failures: number;
}

export class SignInThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The refusal for an attempt from `host` as `user`, or undefined to let it be checked. */
  refusal(host: string, user: string): string | undefined {
    const seconds = (key: string, limit: number): number | undefined => {
      const window = this.current(key);
      if (!window || window.failures < limit) return undefined;
      return Math.ceil((window.startedAt + this.limits.windowMs - this.now()) / 1000);
    };
    const hostWait = seconds(`host\u0000${host}`, this.limits.perHost);
    if (hostWait !== undefined) return `too many failed sign-ins from ${host}; try again in ${hostWait} s`;
    const userWait = seconds(`user\u0000${user}`, this.limits.perUser);
    if (userWait !== undefined)
      return `too many failed sign-ins for user "${user}"; try again in ${userWait} s`;
    return undefined;
  }

  failed(host: string, user: string): void {
    this.count(`host\u0000${host}`);
    this.count(`user\u0000${user}`);
  }

  private count(key: string): void {
    const window = this.current(key);
    if (window) {
      window.failures += 1;
      return;
    }
    // Windows are kept in the order they started, so the first is the oldest: ended or not, it
    // gives way (a flood of distinct names or hosts must not cost more than one step each).
    if (this.windows.size >= MAX_KEYS) this.windows.delete(this.windows.keys().next().value as string);
    this.windows.set(key, { startedAt: this.now(), failures: 1 });
  }

  private current(key: string): Window | undefined {
    const window = this.windows.get(key);
    if (!window) return undefined;
    if (this.now() - window.startedAt < this.limits.windowMs) return window;
    this.windows.delete(key);
    return undefined;
  }
}
