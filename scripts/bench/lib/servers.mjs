// Scratch PostgreSQL and MariaDB servers, started and stopped with the project's own scripts.
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onStop, run } from './processes.mjs';

export const PG_BIN = '/usr/lib/postgresql/15/bin';
const IS_ROOT = process.getuid?.() === 0;

/** The `KEY=value` lines the start scripts print on stdout. */
function parseEnvLines(text) {
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => /^([A-Z]+)=(.*)$/.exec(line))
      .filter(Boolean)
      .map((match) => [match[1], match[2]]),
  );
}

/**
 * A scratch directory for configs, journals and logs. PgBouncer and PostgreSQL run as the
 * `postgres` user when we are root, so it owns the directory.
 */
export function scratchDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (IS_ROOT) chownSync(dir, postgresUid(), postgresGid());
  onStop(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function passwdEntry(name) {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  if (!line) throw new Error(`no user ${name} on this machine`);
  return line.split(':');
}

export function postgresUid() {
  return Number(passwdEntry('postgres')[2]);
}

export function postgresGid() {
  return Number(passwdEntry('postgres')[3]);
}

/**
 * Starts PostgreSQL with scripts/start-postgres.sh, then restarts it with `max_connections`
 * (the script has no option for settings; `pg_ctl restart -o` passes them on the command line).
 */
export async function startPostgres({ maxConnections = 200 } = {}) {
  const { stdout } = await run('bash', ['scripts/start-postgres.sh']);
  const env = parseEnvLines(stdout);
  onStop(() => run('bash', ['scripts/stop-postgres.sh', env.PGDIR]));
  const pgCtl = [
    `${PG_BIN}/pg_ctl`,
    '-D',
    `${env.PGDIR}/data`,
    '-l',
    `${env.PGDIR}/postgres.log`,
    '-w',
    '-t',
    '60',
    '-o',
    `-c max_connections=${maxConnections}`,
    'restart',
    '-m',
    'fast',
  ];
  if (IS_ROOT) await run('runuser', ['-u', 'postgres', '--', ...pgCtl]);
  else await run(pgCtl[0], pgCtl.slice(1));
  const pg = {
    host: env.PGHOST,
    port: Number(env.PGPORT),
    dir: env.PGDIR,
    database: env.PGDATABASE,
    user: 'sluice_scram',
    password: env.PGAPPPASSWORD,
  };
  /** Runs SQL as the superuser over the server's unix socket (trust in its pg_hba.conf). */
  pg.superSql = (sql) =>
    run(`${PG_BIN}/psql`, [
      '-X',
      '-q',
      '-At',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      env.PGDIR,
      '-p',
      String(pg.port),
      '-U',
      env.PGSUPERUSER,
      '-d',
      pg.database,
      '-c',
      sql,
    ]).then(({ stdout: out }) => out.trim());
  return pg;
}

export async function startMariadb() {
  const { stdout } = await run('bash', ['scripts/start-mariadb.sh']);
  const env = parseEnvLines(stdout);
  onStop(() => run('bash', ['scripts/stop-mariadb.sh', env.MYDIR]));
  return {
    host: env.MYHOST,
    port: Number(env.MYPORT),
    dir: env.MYDIR,
    database: env.MYDATABASE,
    user: env.MYAPPUSER,
    password: env.MYAPPPASSWORD,
  };
}
