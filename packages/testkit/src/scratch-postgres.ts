import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TestkitError } from './errors.js';
import { PG_BIN_DIR } from './pg-bin-dir.js';
import { runCommand } from './run-command.js';
import { trackServer, untrackServer } from './running-servers.js';
import { START_POSTGRES_SCRIPT, STOP_POSTGRES_SCRIPT } from './script-paths.js';
import { parseStartPostgresOutput, type StartPostgresOutput } from './start-postgres-output.js';

/** One role per upstream authentication method Sluice must speak; see scripts/start-postgres.sh. */
export const SCRATCH_ROLES = {
  scram: 'sluice_scram',
  md5: 'sluice_md5',
  clear: 'sluice_clear',
  trust: 'sluice_trust',
} as const;

export interface PsqlOptions {
  readonly user?: string;
  /** Defaults to the known password of `user` (superuser or test role). */
  readonly password?: string;
  readonly database?: string;
}

export interface ScratchPostgres {
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  readonly database: string;
  readonly superuser: { readonly user: string; readonly password: string };
  /** Role names: `sluice_scram` logs in with scram-sha-256, `sluice_md5` with md5, and so on. */
  readonly roles: {
    readonly scram: string;
    readonly md5: string;
    readonly clear: string;
    readonly trust: string;
  };
  /** The password of every role except the trust one. */
  readonly rolePassword: string;
  /** `postgres://user:password@127.0.0.1:port/app`; without arguments, the superuser's. */
  url(user?: string, password?: string): string;
  /** Runs `psql -X -A -t -v ON_ERROR_STOP=1 -c sql` over TCP; resolves with stdout minus its final newline. */
  psql(sql: string, options?: PsqlOptions): Promise<string>;
  /**
   * Shuts the server down as an outage would take it away: its clients' connections end and new
   * ones are refused (a stopped process, unlike a SIGSTOPped one, accepts no TCP connection).
   * Its directory and port are kept for `resume()`.
   */
  pause(): Promise<void>;
  /** Starts a paused server again on the same port and data; resolves once it accepts connections. */
  resume(): Promise<void>;
  /** Stops the server and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts a throw-away PostgreSQL on a free port through scripts/start-postgres.sh. */
export async function startPostgres(): Promise<ScratchPostgres> {
  if (!PG_BIN_DIR) {
    throw new TestkitError(
      'postgres-not-found',
      'no PostgreSQL binaries found: install postgresql or set PG_BIN_DIR',
    );
  }
  const stdout = await runCommand('bash', [START_POSTGRES_SCRIPT], {
    env: { ...process.env, PG_BIN_DIR },
    failureCode: 'script-failed',
  });
  const started = parseStartPostgresOutput(stdout);
  trackServer(started.dir, STOP_POSTGRES_SCRIPT);
  return scratchPostgres(started);
}

function scratchPostgres(started: StartPostgresOutput): ScratchPostgres {
  const superuser = { user: started.superuser, password: started.superuserPassword };
  const knownPassword = (user: string): string | undefined => {
    if (user === superuser.user) return superuser.password;
    if (user === SCRATCH_ROLES.trust) return undefined;
    return Object.values<string>(SCRATCH_ROLES).includes(user) ? started.rolePassword : undefined;
  };

  return {
    host: started.host,
    port: started.port,
    dir: started.dir,
    database: started.database,
    superuser,
    roles: SCRATCH_ROLES,
    rolePassword: started.rolePassword,
    url(user = superuser.user, password = knownPassword(user)) {
      const name = encodeURIComponent(user);
      const credentials = password === undefined ? name : `${name}:${encodeURIComponent(password)}`;
      return `postgres://${credentials}@${started.host}:${started.port}/${started.database}`;
    },
    psql(sql, options = {}) {
      const user = options.user ?? superuser.user;
      const password = options.password ?? knownPassword(user);
      const args = [
        '-X',
        '-A',
        '-t',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        started.host,
        '-p',
        String(started.port),
      ];
      args.push('-U', user, '-d', options.database ?? started.database, '-c', sql);
      return runCommand(psqlBinary(), args, { env: psqlEnv(password), failureCode: 'psql-failed' }).then(
        (stdout) => stdout.replace(/\n$/, ''),
      );
    },
    async pause() {
      // fast: open sessions are ended at once rather than waited for.
      await pgCtl(['-D', join(started.dir, 'data'), 'stop', '-m', 'fast', '-w', '-t', '30']);
    },
    async resume() {
      const log = join(started.dir, 'postgres.log');
      await pgCtl(['-D', join(started.dir, 'data'), '-l', log, 'start', '-w', '-t', '30']);
    },
    async stop() {
      await runCommand('bash', [STOP_POSTGRES_SCRIPT, started.dir], { failureCode: 'script-failed' });
      untrackServer(started.dir);
    },
  };
}

// The server refuses to run as root; scripts/start-postgres.sh gave its directory to `postgres`.
function pgCtl(args: readonly string[]): Promise<string> {
  const pgCtlPath = join(PG_BIN_DIR ?? '', 'pg_ctl');
  const options = { failureCode: 'pg-ctl-failed' } as const;
  if (process.getuid?.() === 0)
    return runCommand('runuser', ['-u', 'postgres', '--', pgCtlPath, ...args], options);
  return runCommand(pgCtlPath, args, options);
}

function psqlBinary(): string {
  if (existsSync('/usr/bin/psql')) return '/usr/bin/psql';
  return PG_BIN_DIR ? join(PG_BIN_DIR, 'psql') : 'psql';
}

// Inherited PG* variables (PGSSLMODE, PGSERVICE, a stray PGPASSWORD) would change what is tested.
function psqlEnv(password: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('PG')) env[name] = value;
  }
  if (password !== undefined) env.PGPASSWORD = password;
  env.PGCONNECT_TIMEOUT = '10';
  return env;
}
