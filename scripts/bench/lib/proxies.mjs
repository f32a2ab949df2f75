// The other contenders in front of a server: the Node byte pipe and PgBouncer in session mode.
import { chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, spawnDaemon, waitForPort } from './processes.mjs';
import { postgresGid, postgresUid, scratchDir } from './servers.mjs';

const IS_ROOT = process.getuid?.() === 0;

export async function startPipeProxy(server, label) {
  const port = await freePort();
  const child = spawnDaemon('node', [
    'scripts/bench/pipe-proxy.mjs',
    '--port',
    String(port),
    '--upstream',
    `${server.host}:${server.port}`,
  ]);
  await waitForPort(port, child, `pipe proxy (${label})`);
  return { pid: child.pid, port };
}

/** A file PgBouncer reads: it drops root for `postgres`, so that user must own it. */
function writePrivate(path, text) {
  writeFileSync(path, text, { mode: 0o600 });
  if (IS_ROOT) chownSync(path, postgresUid(), postgresGid());
}

/**
 * PgBouncer in session mode. Clients authenticate with SCRAM against userlist.txt, which holds
 * the role's password in clear so PgBouncer can also do SCRAM towards the server.
 */
export async function startPgBouncer(pg) {
  const dir = scratchDir('sluice-bench-pgbouncer-');
  const port = await freePort();
  const userlist = join(dir, 'userlist.txt');
  writePrivate(userlist, `"${pg.user}" "${pg.password}"\n`);
  const ini = join(dir, 'pgbouncer.ini');
  writePrivate(
    ini,
    `[databases]
${pg.database} = host=${pg.host} port=${pg.port} dbname=${pg.database}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = ${userlist}
pool_mode = session
max_client_conn = 2000
default_pool_size = 64
logfile = ${join(dir, 'pgbouncer.log')}
log_connections = 0
log_disconnections = 0
ignore_startup_parameters = extra_float_digits
`,
  );
  const args = IS_ROOT ? ['-u', 'postgres', ini] : [ini];
  const child = spawnDaemon('pgbouncer', args);
  await waitForPort(port, child, 'pgbouncer').catch((error) => {
    throw new Error(`${error.message}\n${child.errorTail()}`);
  });
  return { pid: child.pid, port };
}
