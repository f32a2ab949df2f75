// What statements held for approval cost the gateway: N sessions each send an UPDATE that a
// rule holds, and while they wait the gateway's CPU time (from /proc/<pid>/stat) and the latency
// of another session's SELECT 1 are measured, against the same with N idle sessions.
//
//   node scripts/bench/held-approvals.mjs [--held 50] [--seconds 5] [--queries 2000]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, sleep, stopAll } from './lib/processes.mjs';
import { formatNumber, markdownTable, percentileOfSorted } from './lib/report.mjs';
import { startPostgres } from './lib/servers.mjs';
import { startSluice } from './lib/sluice.mjs';

const pg = createRequire(join(ROOT, 'packages/gateway/package.json'))('pg');

const { values } = parseArgs({
  options: {
    held: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '5' },
    queries: { type: 'string', default: '2000' },
  },
});
const HELD = Number(values.held);
const SECONDS = Number(values.seconds);
const QUERIES = Number(values.queries);

const POLICY = `    guardrails: strict
    default: allow
    rules:
      - name: updates-wait
        match: { kind: [update] }
        action: approve
        approval: { timeout: 10m }`;

/** User + system CPU seconds a process has used, from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuSecondsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function client(gateway, database) {
  const connection = new pg.Client({
    host: '127.0.0.1',
    port: gateway.ports.orders,
    user: gateway.user,
    password: gateway.secret,
    database,
  });
  connection.on('error', () => undefined);
  await connection.connect();
  return connection;
}

/** p50 and p99 of SELECT 1 from a fresh session, in microseconds. */
async function selectLatency(gateway, database) {
  const connection = await client(gateway, database);
  const timings = [];
  for (let index = 0; index < QUERIES; index++) {
    const started = process.hrtime.bigint();
    await connection.query('SELECT 1');
    timings.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  await connection.end();
  timings.sort((a, b) => a - b);
  return { p50: percentileOfSorted(timings, 50), p99: percentileOfSorted(timings, 99) };
}

/** Gateway CPU over SECONDS with `sessions` open, doing nothing of their own. */
async function cpuWhileWaiting(gateway) {
  const before = cpuSecondsOf(gateway.pid);
  await sleep(SECONDS * 1000);
  return (cpuSecondsOf(gateway.pid) - before) / SECONDS;
}

try {
  const server = await startPostgres({ maxConnections: HELD * 2 + 20 });
  await server.superSql(
    `CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders VALUES (1, 'one');
     GRANT ALL ON orders TO ${server.user};`,
  );
  const gateway = await startSluice({
    label: 'held',
    connections: [{ name: 'orders', protocol: 'postgres', server }],
    policy: POLICY,
  });
  const sessions = await Promise.all(Array.from({ length: HELD }, () => client(gateway, server.database)));
  await sleep(1000);
  const idleCpu = await cpuWhileWaiting(gateway);
  const idleLatency = await selectLatency(gateway, server.database);

  const waits = sessions.map((session, index) =>
    session.query(`UPDATE orders SET item = 'held ${index}' WHERE id = 1`).catch(() => undefined),
  );
  await sleep(1000);
  const heldCpu = await cpuWhileWaiting(gateway);
  const heldLatency = await selectLatency(gateway, server.database);

  console.log(
    `# ${HELD} sessions, ${SECONDS} s of CPU sampling, ${QUERIES} SELECT 1 from one more session\n`,
  );
  console.log(
    markdownTable(
      ['sessions', 'gateway CPU (% of one core)', 'SELECT 1 p50 (µs)', 'SELECT 1 p99 (µs)'],
      [
        [
          `${HELD} idle`,
          formatNumber(idleCpu * 100, 2),
          formatNumber(idleLatency.p50),
          formatNumber(idleLatency.p99),
        ],
        [
          `${HELD} holding an UPDATE for approval`,
          formatNumber(heldCpu * 100, 2),
          formatNumber(heldLatency.p50),
          formatNumber(heldLatency.p99),
        ],
      ],
    ),
  );
  for (const session of sessions) session.end().catch(() => undefined);
  await Promise.race([Promise.all(waits), sleep(2000)]);
} finally {
  await stopAll();
}
