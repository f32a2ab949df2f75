export type MetricDecision = 'allowed' | 'blocked' | 'approved' | 'denied' | 'expired';

/**
 * What the gateway reports as it runs; the admin API implements it with Prometheus metrics.
 * Every call is on the data path: implementations keep them to a counter increment.
 */
export interface GatewayMetrics {
  sessionOpened(connection: string, protocol: string): void;
  sessionClosed(connection: string, protocol: string): void;
  statementDecided(connection: string, decision: MetricDecision): void;
  /** Seconds Sluice added before forwarding, and seconds from forwarding to the last reply. */
  statementTimed(connection: string, sluiceSeconds: number, databaseSeconds: number): void;
  bytesRelayed(connection: string, direction: 'to_client' | 'to_server', bytes: number): void;
  journalCommitted(seconds: number, records: number): void;
}

export const NO_METRICS: GatewayMetrics = {
  sessionOpened: () => undefined,
  sessionClosed: () => undefined,
  statementDecided: () => undefined,
  statementTimed: () => undefined,
  bytesRelayed: () => undefined,
  journalCommitted: () => undefined,
};
