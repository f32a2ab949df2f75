import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { scratchDir } from '../../src/index.js';

const scripts = fileURLToPath(new URL('../../../../scripts/', import.meta.url));

export interface ScriptResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `bash scripts/<name> args…`, optionally as another user through runuser (as root). */
export function runScript(name: string, args: readonly string[], asUser?: string): Promise<ScriptResult> {
  const command = ['bash', join(scripts, name), ...args];
  const [file, ...rest] = asUser === undefined ? command : ['runuser', '-u', asUser, '--', ...command];
  return new Promise((resolve) => {
    execFile(file ?? 'bash', rest, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

/** The `NAME=value` lines a start script printed, as a shell would source them. */
export function sourced(stdout: string): Map<string, string> {
  return new Map(
    stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split('=', 2) as [string, string]),
  );
}

/** The variable names a start script printed, in order. */
export function printedNames(stdout: string): string[] {
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => line.split('=')[0] ?? '');
}

/** Temp directories removed after the calling test file, whatever the scripts left in them. */
export function tempDirs(prefix: string): () => string {
  const madeDirs: string[] = [];
  afterAll(() => {
    for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = scratchDir(prefix);
    madeDirs.push(dir);
    return dir;
  };
}

/** A server holding a port on 127.0.0.1, so a start script finds it taken. */
export function listening(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Resolves when `port` can be bound on 127.0.0.1 again. */
export function listenOn(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}
