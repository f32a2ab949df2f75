import type { LiveSessionInfo, SessionDirectory } from '@sluice/control';

/**
 * `control.sessions` while gateways share a store: this gateway's sessions, then those the
 * other live gateways last reported (each with its `gateway`). Kills and revocations act here
 * only; another gateway's session ends through `Control.killSession`.
 */
export class ClusterSessions implements SessionDirectory {
  /** Other gateways' sessions, as their last heartbeats listed them. */
  remote: readonly LiveSessionInfo[] = [];

  constructor(readonly local: SessionDirectory) {}

  list(): LiveSessionInfo[] {
    return [...this.local.list(), ...this.remote];
  }

  kill(id: string, reason: string): boolean {
    return this.local.kill(id, reason);
  }

  terminateIdentity(identity: string, reason: string): number {
    return this.local.terminateIdentity(identity, reason);
  }
}
