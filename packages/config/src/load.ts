import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { crossFieldProblems } from './cross-checks.js';
import { interpolate } from './interpolate.js';
import { problemsFromIssues } from './issues.js';
import { type ConfigProblem, type ConfigResult, sortProblems } from './problems.js';
import { type RootSettings, rootSchema } from './schema/root.js';
import type { ConnectionConfig, PolicyConfig, SluiceConfig } from './types.js';
import { keysInOrder, readYaml, type YamlSource } from './yaml-source.js';

/** Reads and validates a config file; an unreadable file is one problem at line 1. */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const absolute = resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    const message = `cannot read the config file (${reason}); give the path of a readable YAML file`;
    return { ok: false, problems: [{ file: absolute, line: 1, column: 1, path: '', message }] };
  }
  return parseConfig(text, { file: absolute, env });
}

/** Validates config text; relative paths in it are relative to the directory of `options.file`. */
export function parseConfig(text: string, options: { file: string; env?: NodeJS.ProcessEnv }): ConfigResult {
  const file = resolve(options.file);
  const baseDir = dirname(file);
  const { source, problems: syntaxProblems } = readYaml(text, file);
  // A syntax error leaves the structure uncertain; anything reported after it would be guesswork.
  if (syntaxProblems.length > 0) return { ok: false, problems: sortProblems(syntaxProblems) };
  const interpolation = interpolate(source, options.env ?? process.env, baseDir);
  let raw: unknown;
  try {
    raw = source.document.toJS();
  } catch (error) {
    const message = `YAML: ${error instanceof Error ? error.message : 'the document cannot be read'}`;
    return { ok: false, problems: [{ file, line: 1, column: 1, path: '', message }] };
  }
  const parsed = rootSchema(baseDir).safeParse(raw ?? {});
  const problems: ConfigProblem[] = [
    ...interpolation.problems,
    ...(parsed.success ? [] : problemsFromIssues(source, parsed.error.issues, interpolation.failedPaths)),
    ...crossFieldProblems(source, raw),
  ];
  if (problems.length > 0 || !parsed.success) return { ok: false, problems: sortProblems(problems) };
  return { ok: true, config: assemble(file, source, parsed.data) };
}

function assemble(file: string, source: YamlSource, settings: RootSettings): SluiceConfig {
  const connections = keysInOrder(source, ['connections']).flatMap((name): ConnectionConfig[] => {
    const connection = settings.connections[name];
    return connection === undefined ? [] : [{ name, ...connection }];
  });
  const policies = new Map<string, PolicyConfig>();
  for (const name of keysInOrder(source, ['policies'])) {
    const policy = settings.policies[name];
    if (policy !== undefined) policies.set(name, { name, ...policy });
  }
  return {
    file,
    journal: settings.journal,
    admin: settings.admin,
    identity: { oidc: settings.identity.oidc },
    connections,
    policies,
    limits: settings.limits,
  };
}
