// sysbench oltp_point_select and oltp_read_only against MariaDB: direct, the Node byte pipe,
// and Sluice as users run it (mysql listener, service account, strict guardrails, masking) on
// its SQLite journal, on a shared PostgreSQL store, and as two gateways on one store behind
// HAProxy (lib/scale-out.mjs).
// sysbench logs in with libmariadb's default mysql_native_password, which Sluice's service
// accounts accept; its server-side prepared statements (--db-ps-mode=auto, the default) go
// through COM_STMT_PREPARE / COM_STMT_EXECUTE, which Sluice judges and journals like queries.
import { gatewayContender, startSelected } from '../lib/contenders.mjs';
import { cpuSecondsOf, cpuUsPer, run } from '../lib/processes.mjs';
import { startPipeProxy } from '../lib/proxies.mjs';
import { alternate, formatNumber, markdownTable, median, medianOf, ratio } from '../lib/report.mjs';
import { createStore, scaleOutStarters } from '../lib/scale-out.mjs';
import { startPostgres } from '../lib/servers.mjs';
import { POLICY_USERS, startSluice } from '../lib/sluice.mjs';

const THREADS = [1, 8, 32];
const TESTS = ['oltp_point_select', 'oltp_read_only'];
const TABLE_ARGS = ['--tables=1', '--table-size=100000'];

function connectionArgs(contender) {
  return [
    '--mysql-host=127.0.0.1',
    `--mysql-port=${contender.port}`,
    `--mysql-user=${contender.user}`,
    `--mysql-password=${contender.password}`,
    `--mysql-db=${contender.database}`,
  ];
}

/** The contenders `runMysql` may start, in its order (PgBouncer and the Sluice variants are PostgreSQL's). */
export const MYSQL_CONTENDERS = [
  'direct',
  'pipe',
  'sluice-users',
  'sluice-store',
  'sluice-2gw',
  'baseline-users',
];

export async function runMysql(mariadb, settings) {
  const direct = { port: mariadb.port, user: mariadb.user, password: mariadb.password };
  await run('sysbench', [
    'oltp_read_only',
    ...connectionArgs({ ...direct, database: mariadb.database }),
    ...TABLE_ARGS,
    'prepare',
  ]);
  const connections = [{ name: 'my', protocol: 'mysql', server: mariadb }];
  const gateway = async (options) =>
    gatewayContender(await startSluice({ connections, policy: POLICY_USERS, ...options }), 'my');
  // The shared stores are PostgreSQL databases: a scratch server of their own, started when needed.
  let storeServer;
  const store = async (database) => {
    storeServer ??= await startPostgres();
    return createStore(storeServer, database);
  };
  const asServer = { user: mariadb.user, password: mariadb.password };
  // `pid`: the proxy's process (or processes), whose CPU time per transaction is measured;
  // direct has none.
  const contenders = (
    await startSelected(
      {
        direct: async () => direct,
        pipe: async () => {
          const pipe = await startPipeProxy(mariadb, 'mysql');
          return { port: pipe.port, pid: pipe.pid, ...asServer };
        },
        'sluice-users': () => gateway({ label: 'mysql' }),
        ...scaleOutStarters({ label: 'mysql-', connections, listener: 'my', store }),
        ...(settings.baseline
          ? { 'baseline-users': () => gateway({ label: 'mysql-baseline', checkout: settings.baseline }) }
          : {}),
      },
      settings.contenders,
    )
  ).map((contender) => ({ ...contender, database: mariadb.database }));

  return alternate({
    suite: 'sysbench',
    cells: TESTS.flatMap((test) => THREADS.map((threads) => ({ workload: test, threads }))).filter(
      (cell) => !settings.cells || settings.cells.has(`${cell.workload}:${cell.threads}`),
    ),
    contenders,
    repeats: settings.repeats,
    describeCell: (cell) => `${cell.workload} t=${cell.threads}`,
    measure: async (cell, contender) => {
      const cpuBefore = cpuSecondsOf(contender.pid);
      const { stdout } = await run('sysbench', [
        cell.workload,
        ...connectionArgs(contender),
        ...TABLE_ARGS,
        `--threads=${cell.threads}`,
        `--time=${settings.seconds}`,
        '--percentile=50',
        'run',
      ]);
      const perSecond = (label) =>
        Number(new RegExp(`${label}:\\s+\\d+\\s+\\(([\\d.]+) per sec`).exec(stdout)?.[1]);
      const qps = perSecond('queries');
      const tps = perSecond('transactions');
      const errors = perSecond('ignored errors');
      if (!Number.isFinite(qps)) throw new Error(`no queries/s in sysbench output:\n${stdout}`);
      if (errors > 0) throw new Error(`sysbench ignored ${errors} errors/s`);
      const p50Ms = Number(/50th percentile:\s+([\d.]+)/.exec(stdout)?.[1]);
      const transactions = Number(/transactions:\s+(\d+)/.exec(stdout)?.[1]);
      const cpuUsPerTxn = cpuUsPer(cpuBefore, cpuSecondsOf(contender.pid), transactions);
      return { value: qps, unit: 'queries/s', tps, p50Ms, cpuUsPerTxn };
    },
  });
}

export function mysqlTable(entries) {
  const cpuOf = (entry) => median(entry?.samples.map((sample) => sample.cpuUsPerTxn) ?? []);
  const rows = entries.map((entry) => {
    const where = { workload: entry.workload, threads: entry.threads };
    const pipe = entries.find(
      (other) =>
        other.contender === 'pipe' && other.workload === entry.workload && other.threads === entry.threads,
    );
    return [
      entry.workload,
      entry.threads,
      entry.contender,
      formatNumber(entry.median),
      formatNumber(median(entry.samples.map((sample) => sample.tps))),
      formatNumber(median(entry.samples.map((sample) => sample.p50Ms)), 2),
      ratio(entry.median, medianOf(entries, 'direct', where)),
      ratio(entry.median, medianOf(entries, 'pipe', where)),
      formatNumber(cpuOf(entry), 1),
      ratio(cpuOf(entry), cpuOf(pipe)),
      `${entry.samples.length}${entry.errors.length ? ` (${entry.errors.length} failed)` : ''}`,
    ];
  });
  return markdownTable(
    [
      'test',
      'threads',
      'contender',
      'queries/s (median)',
      'transactions/s',
      'p50 (ms)',
      'vs direct',
      'vs pipe',
      'proxy CPU µs/txn',
      'CPU vs pipe',
      'runs',
    ],
    rows,
  );
}
