import { timingSafeEqual } from 'node:crypto';
import type { LiveSessionInfo, SessionDirectory } from '@sluice/control';

/** What the registry needs from a live session, whatever its protocol. */
export interface LiveSession {
  readonly id: string;
  readonly identityName: string;
  /** What `sessions list` shows of it now. */
  describe(): LiveSessionInfo;
  /** Ends the session with a fatal error the client can read, e.g. after a revocation. */
  terminate(reason: string): void;
  /** Ends the session once its running statements are done (or at once when idle). */
  drain(): void;
  /** Resolves when both sockets are closed and the session is journalled as ended. */
  readonly closed: Promise<void>;
}

export interface CancelTarget {
  readonly processId: number;
  readonly secretKey: Buffer;
  /** Whose session it is, and through which connection: process ids are unique per upstream only. */
  readonly identityName: string;
  readonly connection: string;
  forwardCancel(): void;
}

/** All open sessions of a gateway, and the cancel keys handed to their clients. */
export class SessionRegistry implements SessionDirectory {
  private readonly sessions = new Set<LiveSession>();
  private readonly cancelTargets = new Map<number, CancelTarget[]>();
  /**
   * Identities revoked while this gateway runs, with the reason their sessions ended. A gateway
   * sharing a store hears of another's revocation before its replica of the accounts has it:
   * sign-ins check this too, so that a client cut off cannot sign in again in between.
   */
  private readonly revoked = new Map<string, string>();

  add(session: LiveSession): void {
    this.sessions.add(session);
    session.closed.finally(() => this.sessions.delete(session));
    // Signed in before the revocation was heard of, opened after it: ended once it is open.
    const reason = this.revoked.get(session.identityName);
    if (reason !== undefined) queueMicrotask(() => session.terminate(reason));
  }

  /** Why this identity's sessions were ended for good while this gateway runs, if they were. */
  revocationOf(identityName: string): string | undefined {
    return this.revoked.get(identityName);
  }

  get size(): number {
    return this.sessions.size;
  }

  all(): LiveSession[] {
    return [...this.sessions];
  }

  list(): LiveSessionInfo[] {
    return [...this.sessions].map((session) => session.describe());
  }

  kill(id: string, reason: string): boolean {
    for (const session of this.sessions) {
      if (session.id !== id) continue;
      session.terminate(reason);
      return true;
    }
    return false;
  }

  terminateIdentity(identityName: string, reason: string): number {
    // Only revocations end an identity's sessions, and a revoked account stays revoked.
    this.revoked.set(identityName, reason);
    let count = 0;
    for (const session of this.sessions) {
      if (session.identityName !== identityName) continue;
      session.terminate(reason);
      count++;
    }
    return count;
  }

  addCancelTarget(target: CancelTarget): void {
    const list = this.cancelTargets.get(target.processId) ?? [];
    list.push(target);
    this.cancelTargets.set(target.processId, list);
  }

  removeCancelTarget(target: CancelTarget): void {
    const list = this.cancelTargets.get(target.processId)?.filter((t) => t !== target) ?? [];
    if (list.length > 0) this.cancelTargets.set(target.processId, list);
    else this.cancelTargets.delete(target.processId);
  }

  /** Whether a server process of this connection runs a session of this identity. */
  ownsProcess(processId: number, identityName: string, connection: string): boolean {
    return (this.cancelTargets.get(processId) ?? []).some(
      (target) => target.identityName === identityName && target.connection === connection,
    );
  }

  /** The session holding this key; secrets are compared in constant time. */
  findCancelTarget(processId: number, secretKey: Buffer): CancelTarget | undefined {
    for (const target of this.cancelTargets.get(processId) ?? []) {
      if (target.secretKey.length === secretKey.length && timingSafeEqual(target.secretKey, secretKey)) {
        return target;
      }
    }
    return undefined;
  }
}
