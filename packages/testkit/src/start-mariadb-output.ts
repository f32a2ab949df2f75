import { readPortVariable, readScriptVariables } from './script-variables.js';

/** What scripts/start-mariadb.sh prints on stdout, one `NAME=value` line each. */
export interface StartMariadbOutput {
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  readonly superuser: string;
  readonly superuserPassword: string;
  readonly database: string;
  readonly appUser: string;
  readonly appPassword: string;
}

const SCRIPT = 'start-mariadb.sh';
const REQUIRED = [
  'MYHOST',
  'MYPORT',
  'MYDIR',
  'MYSUPERUSER',
  'MYSUPERPASSWORD',
  'MYDATABASE',
  'MYAPPUSER',
  'MYAPPPASSWORD',
];

export function parseStartMariadbOutput(stdout: string): StartMariadbOutput {
  const values = readScriptVariables(SCRIPT, stdout, REQUIRED);
  const value = (name: string): string => values.get(name) ?? '';
  return {
    host: value('MYHOST'),
    port: readPortVariable(SCRIPT, values, 'MYPORT'),
    dir: value('MYDIR'),
    superuser: value('MYSUPERUSER'),
    superuserPassword: value('MYSUPERPASSWORD'),
    database: value('MYDATABASE'),
    appUser: value('MYAPPUSER'),
    appPassword: value('MYAPPPASSWORD'),
  };
}
