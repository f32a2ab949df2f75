import { TestkitError } from './errors.js';
import { MARIADB_CLIENT_PATH, MARIADBD_PATH } from './mariadb-programs.js';
import { runCommand } from './run-command.js';
import { trackServer, untrackServer } from './running-servers.js';
import { START_MARIADB_SCRIPT, STOP_MARIADB_SCRIPT } from './script-paths.js';
import { parseStartMariadbOutput, type StartMariadbOutput } from './start-mariadb-output.js';

export interface MariadbSqlOptions {
  readonly user?: string;
  /** Defaults to the known password of `user` (superuser or app user). */
  readonly password?: string;
  /** Defaults to the app database; an empty string connects without a default database. */
  readonly database?: string;
}

export interface ScratchMariadb {
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  readonly database: string;
  /** `root`, with a generated password, for `localhost` (socket) and `127.0.0.1` (TCP). */
  readonly superuser: { readonly user: string; readonly password: string };
  /** `sluice_native`: mysql_native_password, every privilege on the app database only. */
  readonly appUser: { readonly user: string; readonly password: string };
  /** `mysql://user:password@127.0.0.1:port/app`; without arguments, the superuser's. */
  url(user?: string, password?: string): string;
  /**
   * Runs SQL with the `mariadb` client over TCP in batch mode without column names
   * (`-N -B`: tab-separated, special characters escaped); resolves with stdout minus its final
   * newline, rejects with the client's error.
   */
  sql(statement: string, options?: MariadbSqlOptions): Promise<string>;
  /** Stops the server and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts a throw-away MariaDB on a free port through scripts/start-mariadb.sh. */
export async function startMariadb(): Promise<ScratchMariadb> {
  if (!MARIADBD_PATH || !MARIADB_CLIENT_PATH) {
    throw new TestkitError(
      'mariadb-not-found',
      'MariaDB is not installed: install it with apt-get install -y mariadb-server',
    );
  }
  const stdout = await runCommand('bash', [START_MARIADB_SCRIPT], { failureCode: 'script-failed' });
  const started = parseStartMariadbOutput(stdout);
  trackServer(started.dir, STOP_MARIADB_SCRIPT);
  return scratchMariadb(started, MARIADB_CLIENT_PATH);
}

function scratchMariadb(started: StartMariadbOutput, client: string): ScratchMariadb {
  const superuser = { user: started.superuser, password: started.superuserPassword };
  const appUser = { user: started.appUser, password: started.appPassword };
  const knownPassword = (user: string): string | undefined => {
    if (user === superuser.user) return superuser.password;
    return user === appUser.user ? appUser.password : undefined;
  };

  return {
    host: started.host,
    port: started.port,
    dir: started.dir,
    database: started.database,
    superuser,
    appUser,
    url(user = superuser.user, password = knownPassword(user)) {
      const name = encodeURIComponent(user);
      const credentials = password === undefined ? name : `${name}:${encodeURIComponent(password)}`;
      return `mysql://${credentials}@${started.host}:${started.port}/${started.database}`;
    },
    sql(statement, options = {}) {
      const user = options.user ?? superuser.user;
      const password = options.password ?? knownPassword(user);
      const database = options.database ?? started.database;
      const args = [
        // Must come first; keeps the system's my.cnf (its socket, host or password) out of it.
        '--no-defaults',
        '-N',
        '-B',
        // Otherwise a failing statement is echoed into the error, megabytes of it for a big one.
        '--skip-print-query-on-error',
        // Node writes the statement as UTF-8 and reads the output as UTF-8, whatever the locale.
        '--default-character-set=utf8mb4',
        '--protocol=TCP',
        '--connect-timeout=10',
        '--max-allowed-packet=64M',
        '-h',
        started.host,
        '-P',
        String(started.port),
        '-u',
        user,
      ];
      if (database !== '') args.push('-D', database);
      // On stdin rather than with -e: Linux caps one argument at 128 KiB.
      return runCommand(client, args, {
        env: clientEnv(password),
        input: statement,
        failureCode: 'mariadb-failed',
      }).then((stdout) => stdout.replace(/\n$/, ''));
    },
    async stop() {
      await runCommand('bash', [STOP_MARIADB_SCRIPT, started.dir], { failureCode: 'script-failed' });
      untrackServer(started.dir);
    },
  };
}

// Inherited MYSQL_* variables (MYSQL_HOST, MYSQL_TCP_PORT, a stray MYSQL_PWD) would change what
// is tested; the client reads the password from MYSQL_PWD so it stays out of the process list.
function clientEnv(password: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('MYSQL') && !name.startsWith('MARIADB')) env[name] = value;
  }
  if (password !== undefined) env.MYSQL_PWD = password;
  return env;
}
