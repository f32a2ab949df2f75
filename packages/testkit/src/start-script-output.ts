import { TestkitError } from './errors.js';

/** What scripts/start-postgres.sh prints on stdout, one `NAME=value` line each. */
export interface StartScriptOutput {
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  readonly superuser: string;
  readonly superuserPassword: string;
  readonly database: string;
  readonly rolePassword: string;
}

const REQUIRED = [
  'PGHOST',
  'PGPORT',
  'PGDIR',
  'PGSUPERUSER',
  'PGSUPERPASSWORD',
  'PGDATABASE',
  'PGAPPPASSWORD',
];

export function parseStartScriptOutput(stdout: string): StartScriptOutput {
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const separator = line.indexOf('=');
    if (separator > 0) values.set(line.slice(0, separator), line.slice(separator + 1));
  }
  const missing = REQUIRED.filter((name) => !values.get(name));
  const port = Number(values.get('PGPORT'));
  if (missing.length > 0 || !Number.isInteger(port)) {
    const problem = missing.length > 0 ? `lacks ${missing.join(', ')}` : 'has a PGPORT that is not a number';
    throw new TestkitError('unexpected-script-output', `start-postgres.sh output ${problem}: ${stdout}`);
  }
  const value = (name: string): string => values.get(name) ?? '';
  return {
    host: value('PGHOST'),
    port,
    dir: value('PGDIR'),
    superuser: value('PGSUPERUSER'),
    superuserPassword: value('PGSUPERPASSWORD'),
    database: value('PGDATABASE'),
    rolePassword: value('PGAPPPASSWORD'),
  };
}
