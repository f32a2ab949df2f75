// Records real client/server byte streams from a throw-away MariaDB for the wire-mysql tests.
// Starts mariadbd as the `mysql` user in a temporary directory, relays each scenario through a
// recording TCP proxy (mysql2 and the mariadb CLI as clients), writes
// test/fixtures/mariadb-captures.json and removes the server again.
// Run as root from the repository root: node packages/wire-mysql/scripts/record-mariadb-fixtures.mjs
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';

const here = dirname(fileURLToPath(import.meta.url));
const output = join(here, '..', 'test', 'fixtures', 'mariadb-captures.json');
const USER = 'sluice';
const PASSWORD = 'sluice-secret';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startMariadb() {
  const dir = mkdtempSync(join(tmpdir(), 'wire-mysql-record-'));
  execFileSync('chown', ['mysql:mysql', dir]);
  const datadir = join(dir, 'data');
  execFileSync(
    'mariadb-install-db',
    [
      '--no-defaults',
      '--user=mysql',
      `--datadir=${datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ],
    { stdio: 'ignore' },
  );
  const port = await freePort();
  const socket = join(dir, 'sock');
  const server = spawn(
    'mariadbd',
    [
      '--no-defaults',
      '--user=mysql',
      `--datadir=${datadir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${socket}`,
      '--skip-name-resolve',
      '--plugin-load-add=auth_ed25519',
      '--local-infile=1',
    ],
    { stdio: 'ignore' },
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const probe = await mysql.createConnection({ socketPath: socket, user: 'root' });
      await probe.end();
      return { dir, port, socket, server };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  server.kill('SIGTERM');
  throw new Error('mariadbd did not start');
}

async function prepareDatabase(socket) {
  const root = await mysql.createConnection({ socketPath: socket, user: 'root', multipleStatements: true });
  await root.query(`
    CREATE DATABASE shop;
    CREATE USER '${USER}'@'%' IDENTIFIED BY '${PASSWORD}';
    GRANT ALL ON shop.* TO '${USER}'@'%';
    GRANT FILE ON *.* TO '${USER}'@'%';
    CREATE USER 'edward'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('ed-secret');
    GRANT ALL ON shop.* TO 'edward'@'%';
    CREATE TABLE shop.users (
      id INT PRIMARY KEY AUTO_INCREMENT,
      email VARCHAR(100) NOT NULL,
      ssn CHAR(11) NULL
    );
    INSERT INTO shop.users (email, ssn) VALUES ('ada@example.com', '123-45-6789'), ('bob@example.com', NULL);
    CREATE TABLE shop.kinds (
      t TINYINT, s SMALLINT UNSIGNED, m MEDIUMINT, i INT, b BIGINT, f FLOAT, d DOUBLE, n DECIMAL(10,2),
      dt DATE, tm TIME(3), ts TIMESTAMP(6) NULL, dtt DATETIME, y YEAR, v VARCHAR(20), bl BLOB, bt BIT(4),
      e ENUM('a','b'), j JSON, u UUID, nul INT NULL
    );
    INSERT INTO shop.kinds VALUES (-5, 65535, -300000, 2147483647, -9007199254740993, 1.5, -2.25, 12345.67,
      '2024-02-29', '-838:59:58.5', '2024-02-29 23:59:59.123456', '2024-01-02 03:04:05', 2024, 'héllo',
      x'00ff10', b'1010', 'b', '{"a":[1,2]}', '6ccd780c-baba-1026-9564-5b8c656024db', NULL);
  `);
  await root.end();
}

/** A TCP relay that keeps every byte each side sent, per connection. */
async function startRecordingProxy(upstreamPort) {
  const sessions = [];
  const server = net.createServer((client) => {
    const session = { client: [], server: [] };
    sessions.push(session);
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.on('data', (chunk) => {
      session.client.push(Buffer.from(chunk));
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      session.server.push(Buffer.from(chunk));
      client.write(chunk);
    });
    client.on('close', () => upstream.end());
    upstream.on('close', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: server.address().port, sessions };
}

/** Runs one scenario on its own proxied connection(s) and returns both byte streams. */
async function record(proxy, name, run) {
  console.log(`recording ${name}`);
  const before = proxy.sessions.length;
  await run();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const sessions = proxy.sessions.slice(before);
  if (sessions.length !== 1) throw new Error(`expected one connection, saw ${sessions.length}`);
  const [session] = sessions;
  return {
    client: Buffer.concat(session.client).toString('hex'),
    server: Buffer.concat(session.server).toString('hex'),
  };
}

/** Async on purpose: the proxy lives in this process, so a blocking child would deadlock it. */
function mariadbCli(port, args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn('mariadb', [
      '--no-defaults',
      '-h127.0.0.1',
      `-P${port}`,
      '--protocol=TCP',
      '--skip-ssl',
      ...args,
    ]);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('exit', () => resolve(output));
    child.stdin.end(input);
  });
}

async function main() {
  const mariadb = await startMariadb();
  try {
    console.log(`mariadbd on port ${mariadb.port}`);
    await prepareDatabase(mariadb.socket);
    const proxy = await startRecordingProxy(mariadb.port);
    const connect = (options = {}) =>
      mysql.createConnection({
        host: '127.0.0.1',
        port: proxy.port,
        user: USER,
        password: PASSWORD,
        database: 'shop',
        ...options,
      });
    const captures = {};

    captures.textQueries = await record(proxy, 'textQueries', async () => {
      const connection = await connect();
      await connection.query('SELECT id, email, ssn FROM users ORDER BY id');
      await connection.query("INSERT INTO users (email) VALUES ('cy@example.com')");
      await connection.query('SELECT * FROM missing_table').catch(() => undefined);
      await connection.ping();
      await connection.end();
    });

    captures.preparedStatements = await record(proxy, 'preparedStatements', async () => {
      const connection = await connect();
      await connection.execute('SELECT * FROM kinds WHERE i = ? AND v = ? AND nul IS NULL', [
        2147483647,
        'héllo',
      ]);
      await connection.execute('SELECT id, email, ssn FROM users WHERE id > ? ORDER BY id', [0]);
      await connection.unprepare('SELECT id, email, ssn FROM users WHERE id > ? ORDER BY id');
      await connection.end();
    });

    captures.multiStatementsAndChangeUser = await record(proxy, 'multiStatementsAndChangeUser', async () => {
      const connection = await connect({ multipleStatements: true });
      await connection.query('SELECT 1 AS one; SELECT 2 AS two');
      await connection.changeUser({ user: USER, password: PASSWORD, database: 'shop' });
      await connection.reset();
      await connection.end();
    });

    captures.accessDenied = await record(proxy, 'accessDenied', async () => {
      await connect({ password: 'wrong' }).then(
        (connection) => connection.end(),
        () => undefined,
      );
    });

    captures.cliSession = await record(proxy, 'cliSession', async () => {
      writeFileSync(join(mariadb.dir, 'rows.csv'), 'dee@example.com\n');
      await mariadbCli(
        proxy.port,
        [`-u${USER}`, `-p${PASSWORD}`, '--local-infile=1', 'shop'],
        `SELECT email FROM users WHERE id = 1;\nuse shop\nstatus\nLOAD DATA LOCAL INFILE '${join(mariadb.dir, 'rows.csv')}' INTO TABLE users (email);\n`,
      );
    });

    captures.ed25519AuthSwitch = await record(proxy, 'ed25519AuthSwitch', async () => {
      await mariadbCli(
        proxy.port,
        ['-uedward', '-ped-secret', '--default-auth=mysql_native_password', 'shop'],
        'SELECT 1;\n',
      );
    });

    writeFileSync(output, `${JSON.stringify({ server: 'MariaDB 10.11', captures }, null, 2)}\n`);
    proxy.server.close();
    console.log(`wrote ${Object.keys(captures).length} captures to ${output}`);
  } finally {
    mariadb.server.kill('SIGTERM');
    await new Promise((resolve) => mariadb.server.once('exit', resolve));
    rmSync(mariadb.dir, { recursive: true, force: true });
  }
}

await main();
