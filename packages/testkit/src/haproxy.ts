import { type ChildProcess, spawn } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import { TestkitError } from './errors.js';
import { freePort } from './free-port.js';
import {
  type HaproxyBalance,
  type HaproxySendProxy,
  type HaproxyServer,
  haproxyConfig,
} from './haproxy-config.js';
import {
  type HaproxyServerState,
  type HaproxySession,
  parseShowSess,
  parseShowStat,
  statsCommand,
} from './haproxy-stats.js';
import { scratchDir } from './scratch-dir.js';

/** Resolved once when the testkit is loaded; undefined when HAProxy is not installed. */
const HAPROXY_PATH: string | undefined = findHaproxy();

export interface HaproxyOptions<F extends string> {
  /** One TCP frontend per name, each in front of every server's port of that name. */
  readonly frontends: readonly F[];
  readonly servers: readonly HaproxyServer<F>[];
  /** Defaults to `roundrobin`, which makes the server of each new connection predictable. */
  readonly balance?: HaproxyBalance;
  /** Defaults to `/readyz`. */
  readonly healthPath?: string;
  /** Between two health checks of a server; defaults to 200 ms, two in a row change its state. */
  readonly checkIntervalMs?: number;
  /** Sends each server a PROXY protocol header naming the client; none by default. */
  readonly sendProxy?: HaproxySendProxy;
  /** The address HAProxy connects to servers from, such as 127.0.0.2; the OS picks by default. */
  readonly sourceAddress?: string;
}

export interface RunningHaproxy<F extends string> {
  /** Where each frontend listens on 127.0.0.1. */
  readonly ports: Readonly<Record<F, number>>;
  /** Holds haproxy.cfg, the stats socket and haproxy.log (HAProxy's own output). */
  readonly dir: string;
  /** Every backend server with its health state and session counts. */
  servers(): Promise<HaproxyServerState[]>;
  /** Client connections open now, each with the server HAProxy sent it to. */
  sessions(): Promise<HaproxySession[]>;
  /** Stops HAProxy (closing every connection through it) and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

const START_ATTEMPTS = 5;
const START_TIMEOUT_MS = 10_000;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Starts HAProxy in the foreground as a child process, with a TCP frontend per protocol on a
 * free port in front of every server; resolves once it listens. Servers start in service and
 * leave it after two failed health checks (a status other than 200 or no answer).
 */
export async function startHaproxy<F extends string>(options: HaproxyOptions<F>): Promise<RunningHaproxy<F>> {
  if (!HAPROXY_PATH) {
    throw new TestkitError('haproxy-not-found', 'haproxy is not installed: run scripts/ensure-haproxy.sh');
  }
  const dir = scratchDir('sluice-haproxy-');
  const statsSocket = join(dir, 'stats.sock');
  // A free port can be taken again before HAProxy binds it; then pick others.
  for (let attempt = 1; ; attempt++) {
    const listenPorts = {} as Record<F, number>;
    for (const frontend of options.frontends) listenPorts[frontend] = await freePort();
    const config = haproxyConfig({
      frontends: options.frontends,
      servers: options.servers,
      listenPorts,
      statsSocket,
      balance: options.balance ?? 'roundrobin',
      healthPath: options.healthPath ?? '/readyz',
      checkIntervalMs: options.checkIntervalMs ?? 200,
      sendProxy: options.sendProxy,
      sourceAddress: options.sourceAddress,
    });
    writeFileSync(join(dir, 'haproxy.cfg'), config);
    const child = await spawnHaproxy(HAPROXY_PATH, dir, statsSocket).catch((error: unknown) => {
      const log = readLog(dir);
      if (attempt < START_ATTEMPTS && log.includes('cannot bind socket')) return null;
      rmSync(dir, { recursive: true, force: true });
      throw new TestkitError('haproxy-failed', `haproxy did not start: ${log.trim() || String(error)}`, {
        cause: error,
      });
    });
    if (child) return runningHaproxy(child, dir, statsSocket, listenPorts);
  }
}

function spawnHaproxy(program: string, dir: string, statsSocket: string): Promise<ChildProcess> {
  const log = openSync(join(dir, 'haproxy.log'), 'w');
  // -db: stay in the foreground, not daemonized, so that this process owns it.
  const child = spawn(program, ['-db', '-f', join(dir, 'haproxy.cfg')], {
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  running.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', killLeftovers);
  }
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      reject(new Error(`haproxy exited with ${signal ?? code}`));
    });
    child.once('error', reject);
  });
  exited.catch(() => undefined);
  // The stats socket answers once the configuration is loaded and every frontend bound.
  const started = Date.now();
  const answers = async (): Promise<ChildProcess> => {
    for (;;) {
      if (existsSync(statsSocket)) {
        const answer = await statsCommand(statsSocket, 'show info').catch(() => '');
        if (answer.includes('Pid:')) return child;
      }
      if (Date.now() - started > START_TIMEOUT_MS) {
        child.kill('SIGKILL');
        throw new Error(`no answer on the stats socket within ${START_TIMEOUT_MS} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return Promise.race([answers(), exited]);
}

function runningHaproxy<F extends string>(
  child: ChildProcess,
  dir: string,
  statsSocket: string,
  ports: Record<F, number>,
): RunningHaproxy<F> {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  let stopping: Promise<void> | undefined;
  return {
    ports,
    dir,
    async servers() {
      return parseShowStat(await statsCommand(statsSocket, 'show stat'));
    },
    async sessions() {
      return parseShowSess(await statsCommand(statsSocket, 'show sess'));
    },
    stop() {
      stopping ??= (async () => {
        // SIGTERM is HAProxy's hard stop: every connection closes at once.
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(killer);
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'haproxy.log'), 'utf8');
  } catch {
    return '';
  }
}

// A test file that throws before its afterAll would otherwise leave HAProxy listening.
function killLeftovers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

// Debian's haproxy lives in /usr/sbin, which is not on every user's PATH.
function findHaproxy(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== ''), '/usr/sbin'];
  return dirs
    .map((dir) => join(dir, 'haproxy'))
    .find((path) => {
      try {
        accessSync(path, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}
