import { connect } from 'node:net';
import type { SluiceConfig } from '@sluice/config';
import type { ReadinessCheck, ReadinessProbe } from '@sluice/control';
import type { Journal } from '@sluice/journal';
import type { Listener } from './listener.js';

/** How long `/readyz` waits for an upstream to accept a TCP connection. */
const UPSTREAM_TIMEOUT_MS = 1000;

/**
 * `/readyz`: every listener up, the journal writable, every upstream accepting connections, and
 * the shared store of control state reachable when there is one. Listener and upstream checks
 * name their connection, so that a balancer can ask about one connection only.
 */
export function readinessProbe(
  config: SluiceConfig,
  listeners: readonly Listener[],
  journal: Journal,
  controlStore?: { check(): ReadinessCheck },
): ReadinessProbe {
  return async () => {
    const checks: ReadinessCheck[] = listeners.map((listener) => ({
      name: `listener ${listener.connection}`,
      ok: listener.listening,
      detail: `${listener.host}:${listener.port}`,
      connection: listener.connection,
    }));
    checks.push(...journalChecks(journal, config.journal.store !== undefined));
    checks.push(
      ...(await Promise.all(
        config.connections.map(async (connection) => {
          const { host, port } = connection.upstream;
          const problem = await tcpProblem(host, port);
          return {
            name: `upstream ${connection.name}`,
            ok: problem === null,
            detail: problem ?? `${host}:${port}`,
            connection: connection.name,
          };
        }),
      )),
    );
    if (controlStore) checks.push(controlStore.check());
    return checks;
  };
}

/**
 * Statements are journalled by the segment log. A SQLite store that cannot take them is a fault
 * of this gateway: not ready. A shared store that cannot is an outage every gateway shares while
 * statements keep flowing: degraded, so that a load balancer keeps them all in service.
 */
function journalChecks(journal: Journal, shared: boolean): ReadinessCheck[] {
  try {
    const { ingestFailure, appendFailure, unIngested } = journal.writeState();
    const checks: ReadinessCheck[] = [
      appendFailure
        ? { name: 'journal', ok: false, detail: appendFailure }
        : { name: 'journal', ok: true, detail: 'writable' },
    ];
    if (!shared) {
      if (ingestFailure && !appendFailure) checks[0] = { name: 'journal', ok: false, detail: ingestFailure };
      return checks;
    }
    checks.push(
      ingestFailure
        ? {
            name: 'journal store',
            ok: false,
            degraded: true,
            detail: `${ingestFailure}; ${unIngested} records wait in the segment log`,
          }
        : { name: 'journal store', ok: true, detail: `${unIngested} records to ingest` },
    );
    return checks;
  } catch (error) {
    return [{ name: 'journal', ok: false, detail: error instanceof Error ? error.message : String(error) }];
  }
}

function tcpProblem(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (problem: string | null) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(UPSTREAM_TIMEOUT_MS, () =>
      done(`no answer from ${host}:${port} within ${UPSTREAM_TIMEOUT_MS} ms`),
    );
    socket.once('connect', () => done(null));
    socket.once('error', (error) => done(`${host}:${port}: ${error.message}`));
  });
}
