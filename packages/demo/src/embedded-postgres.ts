import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DemoError } from './errors.js';
import { isChildMessage, type ParentMessage } from './pglite-messages.js';

/** PGlite in WASM, served over TCP by a child process; any user name and password log in. */
export interface EmbeddedPostgres {
  readonly host: string;
  readonly port: number;
  /** The role every login becomes, whatever user name the client sends. */
  readonly user: string;
  readonly database: string;
  /** True when the data directory came from the cache of an earlier run (a much faster start). */
  readonly fromCache: boolean;
  /** Asks the child to close the database and waits for it to exit; safe to call twice. */
  stop(): Promise<void>;
}

/** ~8 s is normal on a 2-core machine; far beyond that something is wrong. */
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 5_000;
/** Enough of the child's error output to explain a failure in one message. */
const STDERR_TAIL_CHARS = 600;

const CHILD_SCRIPT = fileURLToPath(new URL('./pglite-child.js', import.meta.url));

export async function startEmbeddedPostgres(): Promise<EmbeddedPostgres> {
  const child = fork(CHILD_SCRIPT, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  let ready: { readonly port: number; readonly fromCache: boolean };
  try {
    ready = await waitForReady(child, () => stderr);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  let stopping: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port: ready.port,
    fromCache: ready.fromCache,
    user: 'postgres',
    database: 'postgres',
    stop() {
      stopping ??= (async () => {
        const stop: ParentMessage = { kind: 'stop' };
        if (child.connected) child.send(stop);
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

function waitForReady(
  child: ChildProcess,
  stderr: () => string,
): Promise<{ readonly port: number; readonly fromCache: boolean }> {
  return new Promise((resolve, reject) => {
    const fail = (reason: string): void => {
      cleanup();
      const detail = stderr().trim().split('\n').pop();
      reject(
        new DemoError('database-failed', `the embedded PostgreSQL ${reason}${detail ? `: ${detail}` : ''}`),
      );
    };
    const onMessage = (message: unknown): void => {
      if (!isChildMessage(message)) return;
      if (message.kind === 'failed') {
        fail(`failed to start (${message.message})`);
        return;
      }
      cleanup();
      resolve({ port: message.port, fromCache: message.fromCache });
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      fail(`exited during start (${signal ?? `status ${code}`})`);
    const onError = (error: Error): void => fail(`could not be started (${error.message})`);
    const timer = setTimeout(
      () => fail(`did not start within ${START_TIMEOUT_MS / 1000} s`),
      START_TIMEOUT_MS,
    );
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}
