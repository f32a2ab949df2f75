import type { Socket } from 'node:net';

/** What a connection handler learns about its socket from the gateway-wide limits. */
export interface SocketAdmission {
  /** The gateway already had `limits.max_connections` open: refuse this one with the protocol's error. */
  readonly overCapacity: boolean;
  /** Authentication is done: the handshake deadline no longer applies. */
  signedIn(): void;
}

/**
 * Counts client connections across all listeners (`limits.max_connections`) and signed-in
 * sessions per identity (`limits.max_connections_per_identity`). A refused connection is not
 * counted, so a flood of refusals cannot keep admitted clients out once it stops.
 */
export class ConnectionAdmission {
  private open = 0;
  private readonly perIdentity = new Map<string, number>();

  constructor(
    private readonly maxConnections: number | null,
    private readonly maxPerIdentity: number | null,
  ) {}

  /** Counts the socket until it closes, unless the gateway is full. */
  accept(socket: Socket): boolean {
    if (this.maxConnections !== null && this.open >= this.maxConnections) return false;
    this.open += 1;
    onceOver(socket, () => {
      this.open -= 1;
    });
    return true;
  }

  /**
   * Counts a session of `identity` until `socket` closes; false when that identity already has
   * its limit of sessions open.
   */
  claimSession(identity: string, socket: Socket): boolean {
    const current = this.perIdentity.get(identity) ?? 0;
    if (this.maxPerIdentity !== null && current >= this.maxPerIdentity) return false;
    this.perIdentity.set(identity, current + 1);
    onceOver(socket, () => {
      const left = (this.perIdentity.get(identity) ?? 1) - 1;
      if (left > 0) this.perIdentity.set(identity, left);
      else this.perIdentity.delete(identity);
    });
    return true;
  }

  get connectionCount(): number {
    return this.open;
  }

  get maxSessionsPerIdentity(): number | null {
    return this.maxPerIdentity;
  }
}

/**
 * Runs `done` once the connection is over: when it closes, or as soon as the gateway has ended
 * its side (a refusal, the end of a session), as a client may take its time to close its own.
 */
function onceOver(socket: Socket, done: () => void): void {
  let over = false;
  const finish = (): void => {
    if (over) return;
    over = true;
    done();
  };
  socket.once('finish', finish);
  socket.once('close', finish);
}
