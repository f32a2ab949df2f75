import { relative } from 'node:path';
import type { SluiceConfig } from './types.js';

/** One thing wrong with a config file, positioned at the YAML node it is about (1-based). */
export interface ConfigProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Where in the YAML, e.g. `connections.orders.listen` or `policies.agents.rules[2].action`. */
  readonly path: string;
  /** What is wrong and what would be right; never contains a secret value. */
  readonly message: string;
}

export type ConfigResult =
  | { readonly ok: true; readonly config: SluiceConfig }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

export type YamlPath = readonly (string | number)[];

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

export function formatYamlPath(path: YamlPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** `sluice.yaml:12:5 connections.orders.listen: expected host:port such as 127.0.0.1:6432` */
export function formatProblem(problem: ConfigProblem): string {
  const fromCwd = relative(process.cwd(), problem.file);
  const file = fromCwd !== '' && fromCwd.length < problem.file.length ? fromCwd : problem.file;
  const subject = problem.path === '' ? '' : `${problem.path}: `;
  return `${file}:${problem.line}:${problem.column} ${subject}${problem.message}`;
}

export function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  const unique = problems.filter((problem) => {
    const identity = `${problem.line}:${problem.column}:${problem.path}:${problem.message}`;
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
  return unique.sort((a, b) => a.line - b.line || a.column - b.column);
}
