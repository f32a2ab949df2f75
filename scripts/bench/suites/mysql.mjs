// sysbench oltp_point_select and oltp_read_only against MariaDB: direct, the Node byte pipe,
// and Sluice as users run it (mysql listener, service account, strict guardrails, masking).
// sysbench logs in with libmariadb's default mysql_native_password, which Sluice's service
// accounts accept; its server-side prepared statements (--db-ps-mode=auto, the default) go
// through COM_STMT_PREPARE / COM_STMT_EXECUTE, which Sluice judges and journals like queries.
import { run } from '../lib/processes.mjs';
import { startPipeProxy } from '../lib/proxies.mjs';
import { alternate, formatNumber, markdownTable, median, medianOf, ratio } from '../lib/report.mjs';
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

export async function runMysql(mariadb, settings) {
  const direct = { name: 'direct', port: mariadb.port, user: mariadb.user, password: mariadb.password };
  await run('sysbench', [
    'oltp_read_only',
    ...connectionArgs({ ...direct, database: mariadb.database }),
    ...TABLE_ARGS,
    'prepare',
  ]);
  const pipe = await startPipeProxy(mariadb, 'mysql');
  const sluice = await startSluice({
    label: 'mysql',
    connections: [{ name: 'my', protocol: 'mysql', server: mariadb }],
    policy: POLICY_USERS,
  });
  const contenders = [
    direct,
    { name: 'pipe', port: pipe.port, user: mariadb.user, password: mariadb.password },
    { name: 'sluice-users', port: sluice.ports.my, user: sluice.user, password: sluice.secret },
  ].map((contender) => ({ ...contender, database: mariadb.database }));

  return alternate({
    suite: 'sysbench',
    cells: TESTS.flatMap((test) => THREADS.map((threads) => ({ workload: test, threads }))),
    contenders,
    repeats: settings.repeats,
    describeCell: (cell) => `${cell.workload} t=${cell.threads}`,
    measure: async (cell, contender) => {
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
      return { value: qps, unit: 'queries/s', tps, p50Ms };
    },
  });
}

export function mysqlTable(entries) {
  const rows = entries.map((entry) => {
    const where = { workload: entry.workload, threads: entry.threads };
    return [
      entry.workload,
      entry.threads,
      entry.contender,
      formatNumber(entry.median),
      formatNumber(median(entry.samples.map((sample) => sample.tps))),
      formatNumber(median(entry.samples.map((sample) => sample.p50Ms)), 2),
      ratio(entry.median, medianOf(entries, 'direct', where)),
      ratio(entry.median, medianOf(entries, 'pipe', where)),
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
      'runs',
    ],
    rows,
  );
}
