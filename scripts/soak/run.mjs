// Sluice under sustained load, loopback only: `sluice start` in front of scratch PostgreSQL and
// MariaDB servers, SOAK_SESSIONS concurrent sessions (half per protocol) for SOAK_SECONDS, each
// looping over masked reads, blocked writes, writes held for approval (approved by a reviewer
// through the admin API) and reconnects. At the end it checks that no error but the intended
// ones happened, that the journal holds exactly the statements sent, and prints the gateway's
// memory and open descriptors over the run (they should end where they were after warm-up).
//
//   SOAK_SECONDS=600 SOAK_SESSIONS=200 node scripts/soak/run.mjs     (after `pnpm build`)
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  freePort,
  memoryOf,
  openFilesOf,
  ROOT,
  run,
  scoped,
  sleep,
  spawnDaemon,
  waitForPort,
} from '../bench/lib/processes.mjs';
import { scratchDir, startMariadb, startPostgres } from '../bench/lib/servers.mjs';

// Read by name from the environment of the command line; turbo never runs this script.
const { SOAK_SECONDS, SOAK_SESSIONS } = process.env;
const SECONDS = Number(SOAK_SECONDS ?? 600);
const SESSIONS = Number(SOAK_SESSIONS ?? 200);
const CLI = join(ROOT, 'apps/cli/dist/main.js');
// The drivers the gateway's own tests use.
const requireDriver = createRequire(join(ROOT, 'packages/gateway/package.json'));
const pg = requireDriver('pg');
const mysql = requireDriver('mysql2/promise');
const { Journal } = await import(join(ROOT, 'packages/journal/dist/index.js'));

const POLICY = `    guardrails: strict
    default: allow
    rules:
      - name: counter-needs-approval
        match: { kind: [update], tables: [soak_counter] }
        action: approve
    approval:
      mode: hold
      timeout: 30s
      approvers: { identities: [soak-reviewer] }
    masking:
      columns:
        - { match: "*.email", strategy: email }
        - { match: "*.ssn", strategy: redact }
      detectors: [email, us_ssn]`;

const SEED = (rows) =>
  Array.from(
    { length: rows },
    (_, index) =>
      `(${index + 1}, 'person${index + 1}@example.com', '123-45-${String(6789 + index).slice(-4)}')`,
  ).join(', ');

async function startServers() {
  const [postgres, mariadb] = await Promise.all([
    startPostgres({ maxConnections: SESSIONS + 50 }),
    startMariadb(),
  ]);
  await postgres.superSql(
    `CREATE TABLE customers (id int PRIMARY KEY, email text, ssn text); INSERT INTO customers VALUES ${SEED(100)};
     CREATE TABLE soak_counter (id int PRIMARY KEY, n int); INSERT INTO soak_counter VALUES (1, 0);
     GRANT ALL ON customers, soak_counter TO ${postgres.user};`,
  );
  const root = await mysql.createConnection({
    host: mariadb.host,
    port: mariadb.port,
    user: mariadb.user,
    password: mariadb.password,
    database: mariadb.database,
    multipleStatements: true,
  });
  await root.query(
    `CREATE TABLE customers (id int PRIMARY KEY, email text, ssn text); INSERT INTO customers VALUES ${SEED(100)};
     CREATE TABLE soak_counter (id int PRIMARY KEY, n int); INSERT INTO soak_counter VALUES (1, 0);`,
  );
  await root.end();
  return { postgres, mariadb };
}

async function startGateway({ postgres, mariadb }) {
  const dir = scratchDir('sluice-soak-');
  const journal = join(dir, 'journal.db');
  const ports = { orders: await freePort(), billing: await freePort(), admin: await freePort() };
  const token = randomBytes(24).toString('hex');
  const config = join(dir, 'sluice.yaml');
  writeFileSync(
    config,
    `journal:
  path: ${journal}
admin:
  listen: 127.0.0.1:${ports.admin}
  token: \${SOAK_ADMIN_TOKEN}
  approvers: { identities: [soak-reviewer] }
limits:
  max_connections_per_identity: ${SESSIONS * 2}
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:${ports.orders}
    upstream: postgres://${postgres.user}@${postgres.host}:${postgres.port}/${postgres.database}
    upstream_password: \${SOAK_PG_PASSWORD}
    policy: soak
  billing:
    protocol: mysql
    listen: 127.0.0.1:${ports.billing}
    upstream: mysql://${mariadb.user}@${mariadb.host}:${mariadb.port}/${mariadb.database}
    upstream_password: \${SOAK_MY_PASSWORD}
    policy: soak
policies:
  soak:
${POLICY}
`,
  );
  const env = {
    ...process.env,
    SOAK_ADMIN_TOKEN: token,
    SOAK_PG_PASSWORD: postgres.password,
    SOAK_MY_PASSWORD: mariadb.password,
  };
  const { stdout } = await run('node', [CLI, 'agents', 'add', 'soak-agent', '--journal', journal, '--json'], {
    env,
  });
  const { secret } = JSON.parse(stdout);
  const child = spawnDaemon('node', [CLI, 'start', '--config', config, '--log-level', 'warn'], { env });
  for (const port of Object.values(ports)) await waitForPort(port, child, 'sluice');
  return { child, ports, token, secret, journal, admin: `http://127.0.0.1:${ports.admin}` };
}

/** What every session counts; `unexpected` holds the first few unexpected errors. */
const counts = {
  statements: 0,
  reads: 0,
  blocked: 0,
  approved: 0,
  reconnects: 0,
  unexpected: 0,
  samples: [],
};

function unexpected(what, error) {
  counts.unexpected++;
  if (counts.samples.length < 10)
    counts.samples.push(`${what}: ${error?.code ?? ''} ${error?.message ?? error}`);
}

const protocols = {
  postgres: {
    async connect(gateway, postgres) {
      const client = new pg.Client({
        host: '127.0.0.1',
        port: gateway.ports.orders,
        user: 'soak-agent',
        password: gateway.secret,
        database: postgres.database,
      });
      client.on('error', () => undefined);
      await client.connect();
      return { query: (sql) => client.query(sql).then((result) => result.rows), end: () => client.end() };
    },
    blockedCode: '42501',
  },
  mysql: {
    async connect(gateway, _postgres, mariadb) {
      const client = await mysql.createConnection({
        host: '127.0.0.1',
        port: gateway.ports.billing,
        user: 'soak-agent',
        password: gateway.secret,
        database: mariadb.database,
      });
      client.on('error', () => undefined);
      return { query: (sql) => client.query(sql).then(([rows]) => rows), end: () => client.end() };
    },
    blockedCode: 'ER_SPECIFIC_ACCESS_DENIED_ERROR',
  },
};

/** One session's loop until `deadline`: mostly masked reads, some refused writes, some held ones. */
async function session(protocol, index, gateway, servers, deadline) {
  const driver = protocols[protocol];
  let connection = await driver.connect(gateway, servers.postgres, servers.mariadb);
  let step = 0;
  while (Date.now() < deadline) {
    step++;
    const roll = (index * 7919 + step * 104729) % 1000;
    try {
      if (roll < 20) {
        await connection.end();
        connection = await driver.connect(gateway, servers.postgres, servers.mariadb);
        counts.reconnects++;
        continue;
      }
      counts.statements++;
      if (roll < 120) {
        await connection.query('DELETE FROM customers').then(
          () => unexpected('a blocked write ran', null),
          (error) =>
            String(error.message).startsWith('sluice:')
              ? counts.blocked++
              : unexpected('blocked write', error),
        );
      } else if (roll < 130) {
        await connection.query('UPDATE soak_counter SET n = n + 1 WHERE id = 1');
        counts.approved++;
      } else {
        const rows = await connection.query(
          `SELECT id, email, ssn FROM customers WHERE id = ${1 + (step % 100)}`,
        );
        if (!rows.length || rows[0].email.startsWith('person'))
          unexpected('masking', new Error(`row ${JSON.stringify(rows[0])}`));
        counts.reads++;
      }
    } catch (error) {
      unexpected(`${protocol} session ${index}`, error);
      await connection.end().catch(() => undefined);
      connection = await driver.connect(gateway, servers.postgres, servers.mariadb);
    }
  }
  await connection.end().catch(() => undefined);
}

/** The reviewer: approves every pending request through the admin API, as a person would. */
async function reviewer(gateway, deadline) {
  const headers = { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json' };
  while (Date.now() < deadline + 5000) {
    try {
      const pending = await (await fetch(`${gateway.admin}/api/approvals?state=pending`, { headers })).json();
      for (const request of pending) {
        await fetch(`${gateway.admin}/api/approvals/${request.id}/approve`, {
          method: 'POST',
          headers,
          body: '{}',
        });
      }
    } catch (error) {
      unexpected('reviewer', error);
    }
    await sleep(50);
  }
}

function gatewayFigures(pid) {
  const { rssMiB } = memoryOf(pid);
  return { rssMiB: Math.round(rssMiB), files: openFilesOf(pid) };
}

await scoped(async () => {
  const servers = await startServers();
  const gateway = await startGateway(servers);
  console.error(`soak: ${SESSIONS} sessions for ${SECONDS} s against pid ${gateway.child.pid}`);
  const warmUp = Date.now() + Math.min(30, SECONDS / 5) * 1000;
  const deadline = Date.now() + SECONDS * 1000;
  const approvals = reviewer(gateway, deadline);
  const sessions = Array.from({ length: SESSIONS }, (_, index) =>
    session(index % 2 ? 'mysql' : 'postgres', index, gateway, servers, deadline),
  );
  let afterWarmUp = null;
  const samples = [];
  while (Date.now() < deadline) {
    await sleep(5000);
    const figures = gatewayFigures(gateway.child.pid);
    if (!afterWarmUp && Date.now() >= warmUp) afterWarmUp = figures;
    samples.push(figures);
    console.error(
      `soak: ${Math.round((deadline - Date.now()) / 1000)} s left, ${counts.statements} statements, rss ${figures.rssMiB} MiB, ${figures.files} fds`,
    );
  }
  await Promise.all(sessions);
  await approvals;
  await sleep(2000);
  const atEnd = gatewayFigures(gateway.child.pid);
  // The gateway stops: everything it appended is in the store once it has.
  gateway.child.kill('SIGTERM');
  await new Promise((resolve) => gateway.child.once('exit', resolve));
  const journal = Journal.open(gateway.journal, { readonly: true });
  let journalled = 0;
  for (const statement of journal.statements({ identity: 'soak-agent' })) if (statement) journalled++;
  const verified = journal.verify();
  journal.close();
  const peak = Math.max(...samples.map((sample) => sample.rssMiB));
  console.log(`
| measure | value |
| --- | --- |
| sessions, seconds | ${SESSIONS}, ${SECONDS} |
| statements sent | ${counts.statements} (${counts.reads} masked reads, ${counts.blocked} blocked writes, ${counts.approved} approved writes) |
| reconnects | ${counts.reconnects} |
| unexpected errors | ${counts.unexpected}${counts.samples.length ? `: ${counts.samples.join('; ')}` : ''} |
| statements journalled | ${journalled} (${journalled === counts.statements ? 'equal' : 'DIFFERENT'}) |
| chain | ${verified.ok ? 'verifies' : 'DOES NOT VERIFY'}, ${verified.checked} records |
| gateway RSS after warm-up / peak / end | ${afterWarmUp?.rssMiB} / ${peak} / ${atEnd.rssMiB} MiB |
| gateway open descriptors after warm-up / end | ${afterWarmUp?.files} / ${atEnd.files} |
`);
  if (counts.unexpected > 0 || journalled !== counts.statements || !verified.ok) process.exitCode = 1;
});
