import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type ConfigProblem, parseConfig, type SluiceConfig } from '../../src/index.js';

const scratchDirs: string[] = [];

/** A fresh directory holding `files` (relative path → content); removed by `removeScratchDirs`. */
export function scratchConfigDir(files: Readonly<Record<string, string>> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-config-'));
  scratchDirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export function removeScratchDirs(): void {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface ParseOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly dir?: string;
}

/** Lines are joined with newlines, so a problem's line number is its index in the array plus one. */
export function problemsOf(lines: readonly string[], options: ParseOptions = {}): readonly ConfigProblem[] {
  const result = parseConfig(lines.join('\n'), { file: configFile(options), env: options.env ?? {} });
  if (result.ok) throw new Error('expected the config to be refused, but it loaded');
  return result.problems;
}

export function configOf(lines: readonly string[], options: ParseOptions = {}): SluiceConfig {
  const result = parseConfig(lines.join('\n'), { file: configFile(options), env: options.env ?? {} });
  if (!result.ok)
    throw new Error(`expected the config to load:\n${JSON.stringify(result.problems, null, 2)}`);
  return result.config;
}

/** A problem reduced to what a user reads, for compact assertions. */
export function located(problem: ConfigProblem): string {
  return `${problem.line}:${problem.column} ${problem.path}: ${problem.message}`;
}

/** The smallest valid connection block, for tests about other sections. */
export const ORDERS_CONNECTION = [
  'connections:',
  '  orders:',
  '    protocol: postgres',
  '    listen: 127.0.0.1:6432',
  '    upstream: postgres://svc@db.internal/orders',
] as const;

function configFile(options: ParseOptions): string {
  return join(options.dir ?? scratchConfigDir(), 'sluice.yaml');
}
