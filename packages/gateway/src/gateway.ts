import { randomBytes } from 'node:crypto';
import { ControlLink } from '@sluice/cluster';
import type { ConnectionConfig, PolicyConfig, SluiceConfig } from '@sluice/config';
import { Control } from '@sluice/control';
import { createOidcVerifier } from '@sluice/identity';
import { Journal, storeAddress } from '@sluice/journal';
import { SqlAnalyzer } from '@sluice/sql';
import type { Logger } from 'pino';
import { Authenticator } from './authenticator.js';
import { MysqlCatalog } from './catalog/mysql-catalog.js';
import { PostgresCatalog } from './catalog/postgres-catalog.js';
import { policyOf, restartNeeded, samePolicy, sessionSettingsDiffer } from './config-reload.js';
import { journalControlEvents, restoreGrants } from './control-journal.js';
import { GatewayError } from './errors.js';
import { GatewayLimits } from './limits/gateway-limits.js';
import { type Listener, listen } from './listener.js';
import { type LiveSettings, withLiveSettings } from './live-context.js';
import { RowEstimates } from './postgres/row-estimate.js';
import { readinessProbe } from './readiness.js';
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
   * Applies a new configuration's policies: each session's next statement is judged by the new
   * policy, and sessions that start afterwards mask by it. Throws a GatewayError
   * (`restart-needed`) and changes nothing when listeners, upstreams, TLS, the journal, identity
   * or admin settings differ from those the gateway started with.
   */
  reload(config: SluiceConfig): ReloadResult;
  /**
   * Stops accepting, lets running statements finish for up to `graceMs`, then closes every
   * session and the journal.
   */
  close(graceMs?: number): Promise<void>;
}

export interface ReloadResult {
  /** The connections whose policy changed. */
  readonly connections: readonly string[];
  /** Open sessions that keep the masking and statement time limit they started with, as these changed. */
  readonly sessionsOnPreviousSettings: readonly string[];
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
      ...(config.journal.store
        ? { store: storeAddress(config.journal.store), gatewayId: config.journal.gatewayId }
        : {}),
    });
  reportRecovery(journal, log);
  const control = options.control ?? new Control();
  const oidc = config.identity.oidc.length > 0 ? createOidcVerifier(config.identity.oidc) : undefined;
  const registry = new SessionRegistry();
  const authenticator = new Authenticator(journal, oidc, registry);
  const signInFailures = new SignInFailureJournal(journal, log);
  control.sessions = registry;
  const stopJournalling = journalControlEvents(control, journal, log);
  journal.observeCommits((seconds, records) => control.metrics.journalCommitted(seconds, records));
  // With a shared store, approvals, grants, sessions and kills are shared through it, and this
  // gateway's active grants are read back from it rather than from its journal records.
  const link = config.journal.store
    ? await ControlLink.start(control, {
        store: storeAddress(config.journal.store),
        gatewayId: config.journal.gatewayId,
        log,
      })
    : undefined;
  if (!link) restoreGrants(control, journal);
  const serverSecret = randomBytes(32);
  const analyzer = new SqlAnalyzer();
  const limits = new GatewayLimits(config.limits);
  const listeners: Listener[] = [];
  // Catalogs and the estimate connection: side connections of Sluice's own, closed last.
  const sideConnections: { close(): void }[] = [];
  // Per connection, what a reload swaps: the policy and the catalogs masking needs.
  const live = new Map<string, LiveSettings>();
  // One catalog per upstream, opened on first use, and only where something is masked.
  const openCatalogs = (connection: ConnectionConfig, policy: PolicyConfig, settings: LiveSettings): void => {
    if (!policy.masking) return;
    if (connection.protocol === 'postgres' && !settings.catalog) {
      settings.catalog = new PostgresCatalog(connection.upstream);
      sideConnections.push(settings.catalog);
    }
    if (connection.protocol === 'mysql' && !settings.mysqlCatalog) {
      settings.mysqlCatalog = new MysqlCatalog(connection.upstream);
      sideConnections.push(settings.mysqlCatalog);
    }
  };
  try {
    for (const connection of config.connections) {
      const policy = policyOf(config, connection.name);
      const settings: LiveSettings = { policy, catalog: undefined, mysqlCatalog: undefined };
      openCatalogs(connection, policy, settings);
      live.set(connection.name, settings);
      const estimates =
        connection.protocol === 'postgres' ? new RowEstimates(connection.upstream) : undefined;
      if (estimates) sideConnections.push(estimates);
      listeners.push(
        await listen(
          withLiveSettings(
            {
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
              estimates,
              limits,
            },
            settings,
          ),
        ),
      );
    }
  } catch (error) {
    await Promise.all(listeners.map((listener) => listener.close()));
    stopJournalling();
    control.close('the gateway did not start');
    await link?.close();
    journal.close();
    throw error;
  }
  control.readiness = readinessProbe(config, listeners, journal, link);
  let closing: Promise<void> | undefined;
  let running = config;

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
    reload(next) {
      const reasons = restartNeeded(running, next);
      if (reasons.length > 0)
        throw new GatewayError('restart-needed', `restart needed: ${reasons.join('; ')}`);
      const changed: string[] = [];
      const fixedPerSession = new Set<string>();
      for (const connection of next.connections) {
        const settings = live.get(connection.name);
        const policy = policyOf(next, connection.name);
        if (!settings || samePolicy(settings.policy, policy)) continue;
        if (sessionSettingsDiffer(settings.policy, policy)) fixedPerSession.add(connection.name);
        // Catalogs first: a session that sees the new policy finds what its masking needs.
        openCatalogs(connection, policy, settings);
        settings.policy = policy;
        changed.push(connection.name);
      }
      running = next;
      const keeping = registry.all().filter((session) => fixedPerSession.has(session.describe().connection));
      return { connections: changed, sessionsOnPreviousSettings: keeping.map((session) => session.id) };
    },
    close(graceMs = 10_000) {
      closing ??= (async () => {
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
        // After the expiries and the sessions' ends: the other gateways learn of them first.
        await link?.close();
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
