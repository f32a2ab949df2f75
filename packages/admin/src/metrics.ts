import type { Control, ControlStoreStatus, GatewayMetrics, MetricDecision } from '@sluice/control';
import type { Journal } from '@sluice/journal';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds; Sluice's own time is sub-millisecond, a database's can be minutes. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60];
const JOURNAL_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5];

/**
 * Sluice's Prometheus metrics. The gateway reports through `GatewayMetrics` (each call a counter
 * increment); live state (open sessions, pending approvals, active grants) is read from
 * `control` when scraped, so it is right even for what happened before the admin API started.
 */
export class PrometheusMetrics implements GatewayMetrics {
  readonly registry = new Registry();
  private readonly sessionsTotal: Counter<'connection' | 'protocol'>;
  private readonly statements: Counter<'connection' | 'decision'>;
  private readonly sluiceSeconds: Histogram<'connection'>;
  private readonly databaseSeconds: Histogram<'connection'>;
  private readonly bytes: Counter<'connection' | 'direction'>;
  private readonly journalSeconds: Histogram;
  private readonly journalRecords: Counter;
  private readonly stopWatching: () => void;

  constructor(control: Control, journal?: Journal) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'sluice_process_' });
    new Gauge({
      name: 'sluice_sessions_open',
      help: 'Client sessions open now, by connection and protocol',
      labelNames: ['connection', 'protocol'],
      registers,
      collect() {
        this.reset();
        for (const session of control.sessions.list()) {
          // Other gateways' sessions are counted by their own /metrics.
          if (session.gateway !== undefined) continue;
          this.inc({ connection: session.connection, protocol: session.protocol });
        }
      },
    });
    this.sessionsTotal = new Counter({
      name: 'sluice_sessions_total',
      help: 'Client sessions opened, by connection and protocol',
      labelNames: ['connection', 'protocol'],
      registers,
    });
    this.statements = new Counter({
      name: 'sluice_statements_total',
      help: 'Statements judged, by connection and decision',
      labelNames: ['connection', 'decision'],
      registers,
    });
    this.sluiceSeconds = new Histogram({
      name: 'sluice_statement_sluice_seconds',
      help: 'Time Sluice added to a statement before forwarding it (analysis, policy, journal)',
      labelNames: ['connection'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.databaseSeconds = new Histogram({
      name: 'sluice_statement_database_seconds',
      help: 'Time from forwarding a statement to the database’s last reply',
      labelNames: ['connection'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.bytes = new Counter({
      name: 'sluice_bytes_relayed_total',
      help: 'Bytes relayed, by connection and direction (to_client, to_server)',
      labelNames: ['connection', 'direction'],
      registers,
    });
    this.journalSeconds = new Histogram({
      name: 'sluice_journal_commit_seconds',
      help: 'Time of one append to the journal’s segment log (every record of an event-loop turn in one write)',
      buckets: JOURNAL_BUCKETS,
      registers,
    });
    this.journalRecords = new Counter({
      name: 'sluice_journal_records_total',
      help: 'Records appended to the journal’s segment log',
      registers,
    });
    new Gauge({
      name: 'sluice_journal_queue_depth',
      help: 'Journal records queued for the next append',
      registers,
      collect() {
        this.set(journal?.queuedRecords ?? 0);
      },
    });
    new Gauge({
      name: 'sluice_journal_store_lag_records',
      help: 'Records appended to the segment log and not yet in the store that readers use',
      registers,
      collect() {
        this.set(journal ? journal.writeState().unIngested : 0);
      },
    });
    new Gauge({
      name: 'sluice_approvals_pending',
      help: 'Approval requests waiting for a decision',
      registers,
      collect() {
        this.set(control.approvals.pendingCount);
      },
    });
    const decided = new Counter({
      name: 'sluice_approvals_decided_total',
      help: 'Approval requests that ended, by outcome (approved, denied, expired, withdrawn)',
      labelNames: ['outcome'],
      registers,
    });
    new Gauge({
      name: 'sluice_grants_active',
      help: 'Grants in effect now',
      registers,
      collect() {
        this.set(control.grants.list().length);
      },
    });
    storeGauges(control, registers);
    this.stopWatching = control.events.on((event) => {
      if (event.type !== 'approval') return;
      const { action } = event;
      if (action === 'approved' || action === 'denied' || action === 'expired' || action === 'withdrawn') {
        decided.inc({ outcome: action });
      }
    });
  }

  sessionOpened(connection: string, protocol: string): void {
    this.sessionsTotal.inc({ connection, protocol });
  }

  sessionClosed(): void {
    // The open-sessions gauge is read from the session directory when scraped.
  }

  statementDecided(connection: string, decision: MetricDecision): void {
    this.statements.inc({ connection, decision });
  }

  statementTimed(connection: string, sluiceSeconds: number, databaseSeconds: number): void {
    this.sluiceSeconds.observe({ connection }, sluiceSeconds);
    this.databaseSeconds.observe({ connection }, databaseSeconds);
  }

  bytesRelayed(connection: string, direction: 'to_client' | 'to_server', bytes: number): void {
    this.bytes.inc({ connection, direction }, bytes);
  }

  journalCommitted(seconds: number, records: number): void {
    this.journalSeconds.observe(seconds);
    this.journalRecords.inc(records);
  }

  close(): void {
    this.stopWatching();
    this.registry.clear();
  }
}

/**
 * While gateways share a store: whether this one reaches it, and how late its notifications come.
 * Labelled with this gateway's name, so that nothing is shown without a store.
 */
function storeGauges(control: Control, registers: Registry[]): void {
  const gauge = (name: string, help: string, read: (status: ControlStoreStatus) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['gateway'],
      registers,
      collect() {
        this.reset();
        const status = control.storeStatus?.();
        const value = status && read(status);
        if (value !== undefined && value !== null) this.set({ gateway: control.gatewayId ?? '' }, value);
      },
    });
  gauge(
    'sluice_store_up',
    'Whether the shared store of control state is reachable (1) or not (0)',
    (status) => (status.up ? 1 : 0),
  );
  gauge(
    'sluice_control_changes_waiting',
    'Control changes made here that wait to be written to the shared store',
    (status) => status.waitingChanges,
  );
  gauge(
    'sluice_control_notification_lag_seconds',
    'Seconds from another gateway sending a control change to this one receiving it, the latest',
    (status) => status.notificationLagSeconds,
  );
}
