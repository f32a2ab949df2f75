import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const CLI = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const run = promisify(execFile);

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built `sluice` command and returns its exit code and output, never throwing. */
export async function sluice(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

export interface RunningGateway {
  readonly process: ChildProcess;
  readonly ports: ReadonlyMap<string, number>;
  /** Every JSON log line so far. */
  readonly logs: Record<string, unknown>[];
  readonly exited: Promise<number | null>;
}

/** `sluice start` in a child process with JSON logs; resolves once every connection listens. */
export function startCli(
  config: string,
  connections: number,
  env: NodeJS.ProcessEnv = {},
  options: readonly string[] = [],
): Promise<RunningGateway> {
  const child = spawn(
    process.execPath,
    [CLI, 'start', '--config', config, '--log-format', 'json', ...options],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const logs: Record<string, unknown>[] = [];
  const ports = new Map<string, number>();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    exited.then((code) => reject(new Error(`sluice start exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'ready') ports.set(String(entry.connection), Number(entry.port));
      if (ports.size === connections) resolve({ process: child, ports, logs, exited });
    });
  });
}
