import type { Socket } from 'node:net';
import type { GatewayMetrics } from '@sluice/control';

/** Bytes are reported once this many have gone by, or at the session's end. */
const BYTES_REPORT_STEP = 64 * 1024;

/**
 * A session's share of the gateway's metrics: opened and closed, each statement's time split into
 * Sluice's part (judging and journalling before the bytes went out) and the database's, and the
 * bytes relayed, read from the sockets' own counters rather than counted on every write.
 */
export class SessionMeter {
  private reportedToClient = 0;
  private reportedToServer = 0;

  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly connection: string,
    private readonly protocol: 'postgres' | 'mysql',
    private readonly client: Socket,
    private readonly server: Socket,
  ) {
    metrics.sessionOpened(connection, protocol);
  }

  /** `releasedAt`: when the journal last let this session's statements go to the server. */
  statementDone(startedAt: bigint, releasedAt: bigint): void {
    const now = process.hrtime.bigint();
    const released = releasedAt > startedAt ? releasedAt : startedAt;
    this.metrics.statementTimed(
      this.connection,
      Number(released - startedAt) / 1e9,
      Number(now - released) / 1e9,
    );
    const pending =
      this.client.bytesWritten - this.reportedToClient + this.server.bytesWritten - this.reportedToServer;
    if (pending >= BYTES_REPORT_STEP) this.reportBytes();
  }

  closed(): void {
    this.reportBytes();
    this.metrics.sessionClosed(this.connection, this.protocol);
  }

  private reportBytes(): void {
    const toClient = this.client.bytesWritten;
    const toServer = this.server.bytesWritten;
    if (toClient > this.reportedToClient)
      this.metrics.bytesRelayed(this.connection, 'to_client', toClient - this.reportedToClient);
    if (toServer > this.reportedToServer)
      this.metrics.bytesRelayed(this.connection, 'to_server', toServer - this.reportedToServer);
    this.reportedToClient = toClient;
    this.reportedToServer = toServer;
  }
}
