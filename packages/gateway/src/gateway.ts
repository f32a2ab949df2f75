import { randomBytes } from 'node:crypto';
import type { SluiceConfig } from '@sluice/config';
import { Control } from '@sluice/control';
import { createOidcVerifier } from '@sluice/identity';
import { Journal } from '@sluice/journal';
import { DEFAULT_POLICY } from '@sluice/policy';
import { SqlAnalyzer } from '@sluice/sql';
import type { Logger } from 'pino';
import { Authenticator } from './authenticator.js';
import { MysqlCatalog } from './catalog/mysql-catalog.js';
import { PostgresCatalog } from './catalog/postgres-catalog.js';
import { journalControlEvents, restoreGrants } from './control-journal.js';
import { GatewayLimits } from './limits/gateway-limits.js';
import { type Listener, listen } from './listener.js';
import { RowEstimates } from './postgres/row-estimate.js';
import { readinessProbe } from './readiness.js';
import { watchRevocations } from './revocation-watcher.js';
import { SessionRegistry } from './session-registry.js';
import { SignInFailureJournal } from './sign-in-failures.js';

export interface Gateway {
  readonly listeners: readonly Listener[];
  /** Approvals, grants and live sessions, for the admin API. */
  readonly control: Control;
  /** The journal this gateway writes; the admin API records its calls and account changes here. */
  readonly journal: Journal;
  /** The port a connection listens on (useful with port 0). */
  portOf(connection: string): number;
  readonly sessionCount: number;
  /**
   * Stops accepting, lets running statements finish for up to `graceMs`, then closes every
   * session and the journal.
   */
  close(graceMs?: number): Promise<void>;
}

export interface GatewayOptions {
  /** Shared with an admin API created before the gateway; a new one otherwise. */
  readonly control?: Control;
  /**
   * The journal of `config.journal.path`, already opened for writing by the embedding process
   * (one process writes a journal); the gateway closes it with itself. Opened here otherwise.
   */
  readonly journal?: Journal;
}

export async function startGateway(
  config: SluiceConfig,
  log: Logger,
  options: GatewayOptions = {},
): Promise<Gateway> {
  const journal =
    options.journal ??
    Journal.open(config.journal.path, {
      sync: config.journal.sync,
      minFreeBytes: config.journal.minFreeBytes,
    });
  reportRecovery(journal, log);
  const control = options.control ?? new Control();
  const oidc = config.identity.oidc.length > 0 ? createOidcVerifier(config.identity.oidc) : undefined;
  const authenticator = new Authenticator(journal, oidc);
  const registry = new SessionRegistry();
  const signInFailures = new SignInFailureJournal(journal, log);
  control.sessions = registry;
  const stopJournalling = journalControlEvents(control, journal, log);
  journal.observeCommits((seconds, records) => control.metrics.journalCommitted(seconds, records));
  restoreGrants(control, journal);
  const serverSecret = randomBytes(32);
  const analyzer = new SqlAnalyzer();
  const limits = new GatewayLimits(config.limits);
  const listeners: Listener[] = [];
  // Catalogs and the estimate connection: side connections of Sluice's own, closed last.
  const sideConnections: { close(): void }[] = [];
  try {
    for (const connection of config.connections) {
      const policy = connection.policy ? config.policies.get(connection.policy) : undefined;
      // One catalog per upstream, opened on first use, and only where something is masked.
      const catalog =
        connection.protocol === 'postgres' && policy?.masking
          ? new PostgresCatalog(connection.upstream)
          : undefined;
      const mysqlCatalog =
        connection.protocol === 'mysql' && policy?.masking
          ? new MysqlCatalog(connection.upstream)
          : undefined;
      const estimates =
        connection.protocol === 'postgres' ? new RowEstimates(connection.upstream) : undefined;
      for (const each of [catalog, mysqlCatalog, estimates]) if (each) sideConnections.push(each);
      listeners.push(
        await listen({
          connection,
          journal,
          authenticator,
          registry,
          signInFailures,
          log,
          serverSecret,
          analyzer,
          control,
          recordRows: config.journal.recordRows,
          policy: policy ?? DEFAULT_POLICY,
          catalog,
          mysqlCatalog,
          estimates,
          limits,
        }),
      );
    }
  } catch (error) {
    await Promise.all(listeners.map((listener) => listener.close()));
    stopJournalling();
    control.close('the gateway did not start');
    journal.close();
    throw error;
  }
  control.readiness = readinessProbe(config, listeners, journal);
  const stopWatching = watchRevocations(journal, registry, log);
  let closing: Promise<void> | undefined;

  return {
    listeners,
    control,
    journal,
    portOf(connection) {
      const listener = listeners.find((l) => l.connection === connection);
      if (!listener) throw new Error(`no connection named "${connection}"`);
      return listener.port;
    },
    get sessionCount() {
      return registry.size;
    },
    close(graceMs = 10_000) {
      closing ??= (async () => {
        stopWatching();
        control.close('the gateway stopped before a decision');
        // Held statements answer their clients with the expiry before the sessions drain.
        await new Promise((resolve) => setImmediate(resolve));
        const stopped = Promise.all(listeners.map((listener) => listener.close()));
        const sessions = registry.all();
        for (const session of sessions) session.drain();
        const drained = Promise.all(sessions.map((session) => session.closed));
        const grace = new Promise<'timeout'>((resolve) =>
          setTimeout(() => resolve('timeout'), graceMs).unref(),
        );
        if ((await Promise.race([drained, grace])) === 'timeout') {
          for (const session of registry.all()) session.terminate('the gateway is shutting down');
          await Promise.all(sessions.map((session) => session.closed));
        }
        for (const listener of listeners) listener.dropConnections();
        await stopped;
        for (const side of sideConnections) side.close();
        stopJournalling();
        signInFailures.flush();
        journal.close();
        log.info('gateway stopped');
      })();
      return closing;
    },
  };
}

/** Says what the segment log of a previous run held, above all a torn final record (after a crash). */
function reportRecovery(journal: Journal, log: Logger): void {
  const recovery = journal.recovery;
  if (!recovery) return;
  if (recovery.records > 0) {
    log.info({ records: recovery.records }, 'journal: records left in the segment log are now in the store');
  }
  if (recovery.torn) {
    log.warn(
      { segment: recovery.torn.segment, offset: recovery.torn.offset, bytes: recovery.torn.bytes },
      `journal: dropped a torn final record (${recovery.torn.reason}); the statement it held was never forwarded`,
    );
  }
}
