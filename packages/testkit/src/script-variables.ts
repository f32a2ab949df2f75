import { TestkitError } from './errors.js';

/**
 * The `NAME=value` lines a start script printed on stdout. Rejects output that lacks a required
 * name or leaves it empty, quoting the output so a broken script is easy to see.
 */
export function readScriptVariables(
  script: string,
  stdout: string,
  required: readonly string[],
): ReadonlyMap<string, string> {
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const separator = line.indexOf('=');
    if (separator > 0) values.set(line.slice(0, separator), line.slice(separator + 1));
  }
  const missing = required.filter((name) => !values.get(name));
  if (missing.length > 0) {
    throw new TestkitError(
      'unexpected-script-output',
      `${script} output lacks ${missing.join(', ')}: ${stdout}`,
    );
  }
  return values;
}

/** The TCP port in variable `name`, which must be a whole number from 1 to 65535. */
export function readPortVariable(script: string, values: ReadonlyMap<string, string>, name: string): number {
  const port = Number(values.get(name));
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new TestkitError('unexpected-script-output', `${script} output has a ${name} that is not a port`);
  }
  return port;
}
