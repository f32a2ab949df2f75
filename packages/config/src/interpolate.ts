import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import type { ConfigProblem, YamlPath } from './problems.js';
import { problemAt, type YamlSource } from './yaml-source.js';

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FILE_PREFIX = 'file:';

export interface Interpolation {
  readonly problems: readonly ConfigProblem[];
  /** Paths whose value could not be substituted; later checks of them would only repeat the problem. */
  readonly failedPaths: readonly YamlPath[];
}

/**
 * Replaces `${VAR}` in every string value from `env`, and a value written as `file:PATH` with
 * that file's content (PATH relative to `baseDir`). Rewrites the document in place. Problems
 * name the variable or file, never a value.
 */
export function interpolate(source: YamlSource, env: NodeJS.ProcessEnv, baseDir: string): Interpolation {
  const problems: ConfigProblem[] = [];
  const failedPaths: YamlPath[] = [];
  visitStrings(source.document.contents, [], (scalar, path) => {
    const result = substitute(scalar.value, env, baseDir);
    if (result.problems.length === 0) {
      scalar.value = result.value;
      return;
    }
    failedPaths.push(path);
    for (const message of result.problems) problems.push(problemAt(source, path, message));
  });
  return { problems, failedPaths };
}

type StringScalar = Scalar<unknown> & { value: string };

function visitStrings(
  node: unknown,
  path: YamlPath,
  visit: (scalar: StringScalar, path: YamlPath) => void,
): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key)) visitStrings(pair.value, [...path, String(pair.key.value)], visit);
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) visitStrings(item, [...path, index], visit);
  } else if (isScalar(node) && typeof node.value === 'string') {
    visit(node as StringScalar, path);
  }
}

interface Substitution {
  readonly value: string;
  readonly problems: readonly string[];
}

function substitute(text: string, env: NodeJS.ProcessEnv, baseDir: string): Substitution {
  if (!text.startsWith(FILE_PREFIX) || text.startsWith('file://')) return expandVariables(text, env);
  const filePath = expandVariables(text.slice(FILE_PREFIX.length), env);
  if (filePath.problems.length > 0) return filePath;
  if (filePath.value === '') return failed('file: needs a path, such as file:/run/secrets/db-password');
  const absolute = resolve(baseDir, filePath.value);
  try {
    return { value: readFileSync(absolute, 'utf8').replace(/[\r\n]+$/, ''), problems: [] };
  } catch (error) {
    return failed(
      `cannot read ${absolute} (${readFailureReason(error)}); file:PATH must name a readable file`,
    );
  }
}

function expandVariables(text: string, env: NodeJS.ProcessEnv): Substitution {
  const problems: string[] = [];
  let value = '';
  let index = 0;
  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar === -1) {
      value += text.slice(index);
      break;
    }
    value += text.slice(index, dollar);
    if (text.startsWith('$${', dollar)) {
      value += '${';
      index = dollar + 3;
      continue;
    }
    if (!text.startsWith('${', dollar)) {
      value += '$';
      index = dollar + 1;
      continue;
    }
    const close = text.indexOf('}', dollar + 2);
    if (close === -1) {
      problems.push(`\${ is not closed; write \${NAME}, or $\${ for a literal \${`);
      break;
    }
    const name = text.slice(dollar + 2, close);
    const replacement = VARIABLE_NAME.test(name) ? env[name] : undefined;
    if (!VARIABLE_NAME.test(name)) {
      problems.push(
        `\${…} must hold a variable name such as \${ORDERS_DB_PASSWORD}; write $\${ for a literal \${`,
      );
    } else if (replacement === undefined) {
      problems.push(`environment variable ${name} is not set; set it or change the value`);
    } else {
      value += replacement;
    }
    index = close + 1;
  }
  return { value, problems };
}

function failed(message: string): Substitution {
  return { value: '', problems: [message] };
}

function readFailureReason(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return typeof code === 'string' ? code : 'unreadable';
  }
}
