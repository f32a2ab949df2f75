import type { Journal } from '@sluice/journal';
import type { Logger } from 'pino';
import { SignInThrottle } from './sign-in-throttle.js';

/** One refused sign-in as a connection handler sees it; never carries a secret. */
export interface FailedSignIn {
  readonly user: string;
  readonly method: string;
  /** The reason as logged (e.g. "wrong secret", `service account "x" is revoked`). */
  readonly reason: string;
  /** Address without the port: a flood from one host is one burst whatever its ports. */
  readonly clientHost: string;
  readonly connection: string;
  readonly protocol: 'postgres' | 'mysql';
}

interface Burst {
  readonly first: FailedSignIn;
  readonly firstAt: Date;
  count: number;
  lastAt: Date;
}

/** Failures of one user from one host for one cause within this window become one record. */
const BURST_WINDOW_MS = 10_000;
/** Distinct bursts held at once; further distinct failures share one overflow burst. */
const MAX_BURSTS = 1000;

/**
 * Journals failed sign-ins (IA-2) with a bounded write rate under a brute-force flood: the first
 * failure of a (connection, user, host, cause) is written at once, repeats within
 * BURST_WINDOW_MS are counted and written as one record when the window ends. At most
 * MAX_BURSTS + 1 records per window, whatever the number of attempts.
 */
export class SignInFailureJournal {
  private readonly bursts = new Map<string, Burst>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly journal: Journal,
    private readonly log: Logger,
    private readonly windowMs = BURST_WINDOW_MS,
    /** Fed by every failure recorded here; connection handlers ask it before checking a secret. */
    readonly throttle = new SignInThrottle(),
  ) {}

  record(failure: FailedSignIn, now = new Date()): void {
    const cause = causeOf(failure.reason);
    if (cause !== 'throttled') this.throttle.failed(failure.clientHost, failure.user);
    let key = [failure.connection, failure.user, failure.clientHost, cause].join('\u0000');
    let subject = failure;
    if (!this.bursts.has(key) && this.bursts.size >= MAX_BURSTS) {
      key = 'overflow';
      subject = { ...failure, user: '*', clientHost: '*', reason: 'many distinct failed sign-ins' };
    }
    const burst = this.bursts.get(key);
    if (burst) {
      burst.count += 1;
      burst.lastAt = now;
      return;
    }
    this.bursts.set(key, { first: subject, firstAt: now, count: 0, lastAt: now });
    this.write(subject, cause, 1, now, now);
    this.timer ??= setTimeout(() => this.flush(), this.windowMs).unref();
  }

  /** Writes the repeats counted so far and starts a new window; called at close too. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const burst of this.bursts.values()) {
      if (burst.count > 0) {
        this.write(burst.first, causeOf(burst.first.reason), burst.count, burst.firstAt, burst.lastAt);
      }
    }
    this.bursts.clear();
  }

  private write(failure: FailedSignIn, cause: string, count: number, firstAt: Date, lastAt: Date): void {
    try {
      this.journal.recordSignInFailure({
        user: failure.user,
        method: failure.method,
        cause,
        reason: failure.reason,
        clientAddress: failure.clientHost,
        connection: failure.connection,
        protocol: failure.protocol,
        count,
        firstAt: firstAt.toISOString(),
        lastAt: lastAt.toISOString(),
      });
    } catch (error) {
      this.log.error({ err: error, user: failure.user }, 'cannot journal a failed sign-in');
    }
  }
}

/** A stable cause for reports, from the reasons the client-auth phases give. */
export function causeOf(reason: string): string {
  if (reason.startsWith('token rejected')) return 'token-rejected';
  if (reason.startsWith('too many failed sign-ins')) return 'throttled';
  if (reason.endsWith('is revoked')) return 'revoked';
  if (reason.endsWith('expired')) return 'expired';
  if (reason === 'unknown user') return 'unknown-user';
  if (reason.includes('limits.handshake_timeout')) return 'timeout';
  if (reason === 'wrong secret' || reason === 'password is not a token') return 'wrong-secret';
  if (reason.includes('unencrypted') || reason.includes('not supported')) return 'refused';
  return 'protocol';
}
