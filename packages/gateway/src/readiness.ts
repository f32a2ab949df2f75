import { connect } from 'node:net';
import type { SluiceConfig } from '@sluice/config';
import type { ReadinessCheck, ReadinessProbe } from '@sluice/control';
import type { Journal } from '@sluice/journal';
import type { Listener } from './listener.js';

/** How long `/readyz` waits for an upstream to accept a TCP connection. */
const UPSTREAM_TIMEOUT_MS = 1000;

/**
 * `/readyz`: every listener up, the journal writable, every upstream accepting connections, and
 * the shared store of control state reachable when there is one.
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
    }));
    checks.push(journalCheck(journal));
    checks.push(
      ...(await Promise.all(
        config.connections.map(async (connection) => {
          const { host, port } = connection.upstream;
          const problem = await tcpProblem(host, port);
          return {
            name: `upstream ${connection.name}`,
            ok: problem === null,
            detail: problem ?? `${host}:${port}`,
          };
        }),
      )),
    );
    if (controlStore) checks.push(controlStore.check());
    return checks;
  };
}

function journalCheck(journal: Journal): ReadinessCheck {
  try {
    // Statements are journalled by the segment log; a store that cannot take them is not ready either.
    const { ingestFailure, appendFailure } = journal.writeState();
    const failure = appendFailure ?? ingestFailure;
    if (failure) return { name: 'journal', ok: false, detail: failure };
    return { name: 'journal', ok: true, detail: 'writable' };
  } catch (error) {
    return { name: 'journal', ok: false, detail: error instanceof Error ? error.message : String(error) };
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
