import { readPortVariable, readScriptVariables } from './script-variables.js';

/** What scripts/start-postgres.sh prints on stdout, one `NAME=value` line each. */
export interface StartPostgresOutput {
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  readonly superuser: string;
  readonly superuserPassword: string;
  readonly database: string;
  readonly rolePassword: string;
}

const SCRIPT = 'start-postgres.sh';
const REQUIRED = [
  'PGHOST',
  'PGPORT',
  'PGDIR',
  'PGSUPERUSER',
  'PGSUPERPASSWORD',
  'PGDATABASE',
  'PGAPPPASSWORD',
];

export function parseStartPostgresOutput(stdout: string): StartPostgresOutput {
  const values = readScriptVariables(SCRIPT, stdout, REQUIRED);
  const value = (name: string): string => values.get(name) ?? '';
  return {
    host: value('PGHOST'),
    port: readPortVariable(SCRIPT, values, 'PGPORT'),
    dir: value('PGDIR'),
    superuser: value('PGSUPERUSER'),
    superuserPassword: value('PGSUPERPASSWORD'),
    database: value('PGDATABASE'),
    rolePassword: value('PGAPPPASSWORD'),
  };
}
