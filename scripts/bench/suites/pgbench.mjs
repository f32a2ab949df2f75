// pgbench through eight contenders: direct, the Node byte pipe, PgBouncer (session mode),
// Sluice with guardrails off and no masking, Sluice as users run it, the same with
// `journal.sync: always`, on a shared PostgreSQL store, and as two gateways on one store behind
// HAProxy (lib/scale-out.mjs). Throughput for -S
// (simple and extended protocol) and TPC-B at 1, 8 and 32 clients, the p50 latency at one
// client, and connection setup (-C -S, a SCRAM login per transaction).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gatewayContender, startSelected } from '../lib/contenders.mjs';
import { cpuSecondsOf, cpuUsPer, run } from '../lib/processes.mjs';
import { startPgBouncer, startPipeProxy } from '../lib/proxies.mjs';
import {
  alternate,
  formatNumber,
  markdownTable,
  median,
  medianOf,
  percentileOfSorted,
  ratio,
} from '../lib/report.mjs';
import { createStore, scaleOutStarters } from '../lib/scale-out.mjs';
import { PG_BIN } from '../lib/servers.mjs';
import { POLICY_OFF, POLICY_USERS, startSluice } from '../lib/sluice.mjs';

const PGBENCH = `${PG_BIN}/pgbench`;
const SCALE = 10;
const CLIENTS = [1, 8, 32];
const CONNECT_CLIENTS = 8;
const WORKLOADS = [
  { workload: 'select', args: ['-S'] },
  { workload: 'select-extended', args: ['-S', '-M', 'extended'] },
  { workload: 'tpcb', args: [] },
];

export async function startPostgresContenders(pg, settings = {}) {
  await run(PGBENCH, ['-i', '-q', '-s', String(SCALE), ...target(pg)], {
    env: { ...process.env, PGPASSWORD: pg.password },
  });
  const connections = [{ name: 'pg', protocol: 'postgres', server: pg }];
  const gateway = async (options) =>
    gatewayContender(await startSluice({ connections, policy: POLICY_USERS, ...options }), 'pg');
  const asServer = { user: pg.user, password: pg.password };
  // `pid`: the proxy's process (or processes), whose CPU time per transaction is measured;
  // direct has none.
  const contenders = await startSelected(
    {
      direct: async () => ({ port: pg.port, ...asServer }),
      pipe: async () => {
        const pipe = await startPipeProxy(pg, 'postgres');
        return { port: pipe.port, pid: pipe.pid, ...asServer };
      },
      pgbouncer: async () => {
        const bouncer = await startPgBouncer(pg);
        return { port: bouncer.port, pid: bouncer.pid, ...asServer };
      },
      'sluice-off': () => gateway({ label: 'off', policy: POLICY_OFF }),
      'sluice-users': () => gateway({ label: 'users' }),
      // As users run it, with every append to the segment log synced to disk (power-loss durability).
      'sluice-sync': () => gateway({ label: 'sync', journalYaml: '  sync: always' }),
      // As users run it, journalling to a shared store: one gateway, then two behind HAProxy.
      ...scaleOutStarters({
        label: '',
        connections,
        listener: 'pg',
        store: (database) => createStore(pg, database),
      }),
      ...(settings.baseline
        ? { 'baseline-users': () => gateway({ label: 'baseline', checkout: settings.baseline }) }
        : {}),
    },
    settings.contenders,
  );
  return contenders.map((contender) => ({ ...contender, database: pg.database }));
}

function target({ port, user, database }) {
  return ['-h', '127.0.0.1', '-p', String(port), '-U', user, database];
}

/** Runs pgbench against one contender; `-n` because VACUUM is no part of what is measured. */
async function pgbench(contender, seconds, clients, args, retried = false) {
  const threads = String(Math.min(clients, 2));
  const { stdout } = await run(
    PGBENCH,
    ['-n', '-T', String(seconds), '-c', String(clients), '-j', threads, ...args, ...target(contender)],
    { env: { ...process.env, PGPASSWORD: contender.password } },
  );
  if (/actually processed: 0$/m.test(stdout)) {
    // pgbench's -T clock includes the logins; in very short runs they can fill it. TPS is a
    // rate, so one run twice as long still compares.
    if (!retried) return pgbench(contender, seconds * 2, clients, args, true);
    throw new Error(`no transaction completed in ${seconds} s (logins alone took longer?)`);
  }
  const tps = Number(/^tps = ([\d.]+)/m.exec(stdout)?.[1]);
  const transactions = Number(/actually processed: (\d+)/.exec(stdout)?.[1]);
  const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
  if (!Number.isFinite(tps)) throw new Error(`no tps in pgbench output:\n${stdout}`);
  if (failed > 0) throw new Error(`${failed} transactions failed`);
  return { tps, transactions, stdout };
}

/** p50 of the per-transaction latencies pgbench --log wrote (third field, µs). */
function p50FromLogs(dir) {
  const latencies = [];
  for (const file of readdirSync(dir)) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const field = line.split(' ')[2];
      if (field) latencies.push(Number(field));
    }
  }
  return percentileOfSorted(
    latencies.sort((a, b) => a - b),
    50,
  );
}

export async function runThroughput(contenders, settings) {
  const cells = WORKLOADS.flatMap(({ workload }) => CLIENTS.map((clients) => ({ workload, clients }))).filter(
    (cell) => !settings.cells || settings.cells.has(`${cell.workload}:${cell.clients}`),
  );
  return alternate({
    suite: 'pgbench',
    cells,
    contenders,
    repeats: settings.repeats,
    describeCell: (cell) => `${cell.workload} c=${cell.clients}`,
    measure: async (cell, contender) => {
      const args = WORKLOADS.find((workload) => workload.workload === cell.workload).args;
      // One client, simple -S: log every transaction to get a latency median.
      const logLatency = cell.workload === 'select' && cell.clients === 1;
      const logDir = logLatency ? mkdtempSync(join(settings.scratch, 'pgbench-log-')) : undefined;
      try {
        const logArgs = logDir ? ['-l', `--log-prefix=${join(logDir, 'tx')}`] : [];
        const cpuBefore = cpuSecondsOf(contender.pid);
        const { tps, transactions } = await pgbench(contender, settings.seconds, cell.clients, [
          ...args,
          ...logArgs,
        ]);
        // Includes the clients' logins (SCRAM), a few milliseconds of the whole run.
        const cpuUsPerTxn = cpuUsPer(cpuBefore, cpuSecondsOf(contender.pid), transactions);
        const sample = { value: tps, unit: 'tps', cpuUsPerTxn };
        if (logDir) sample.p50Us = p50FromLogs(logDir);
        return sample;
      } finally {
        if (logDir) rmSync(logDir, { recursive: true, force: true });
      }
    },
  });
}

export async function runConnect(contenders, settings) {
  return alternate({
    suite: 'connect',
    cells: [{ workload: 'connect', clients: CONNECT_CLIENTS }],
    contenders,
    repeats: settings.repeats,
    describeCell: (cell) => `-C -S c=${cell.clients}`,
    measure: async (cell, contender) => {
      const { tps, stdout } = await pgbench(contender, settings.seconds, cell.clients, ['-C', '-S']);
      const connectMs = Number(/average connection time = ([\d.]+) ms/.exec(stdout)?.[1]);
      return { value: tps, unit: 'tps', connectMs };
    },
  });
}

/** Median p50 latency (µs) of the 1-client simple -S runs per contender. */
export function latencyMedians(entries) {
  const one = entries.filter((entry) => entry.workload === 'select' && entry.clients === 1);
  return Object.fromEntries(one.map((entry) => [entry.contender, median(entry.samples.map((s) => s.p50Us))]));
}

export function throughputTable(entries) {
  const cpuOf = (entry) => median(entry?.samples.map((sample) => sample.cpuUsPerTxn) ?? []);
  const rows = entries.map((entry) => {
    const where = { workload: entry.workload, clients: entry.clients };
    const pipe = entries.find((other) => other.contender === 'pipe' && sameCell(other, where));
    return [
      entry.workload,
      entry.clients,
      entry.contender,
      formatNumber(entry.median),
      ratio(entry.median, medianOf(entries, 'direct', where)),
      ratio(entry.median, medianOf(entries, 'pipe', where)),
      ratio(entry.median, medianOf(entries, 'pgbouncer', where)),
      formatNumber(cpuOf(entry), 1),
      ratio(cpuOf(entry), cpuOf(pipe)),
      `${entry.samples.length}${entry.errors.length ? ` (${entry.errors.length} failed)` : ''}`,
    ];
  });
  return markdownTable(
    [
      'workload',
      'clients',
      'contender',
      'TPS (median)',
      'vs direct',
      'vs pipe',
      'vs PgBouncer',
      'proxy CPU µs/txn',
      'CPU vs pipe',
      'runs',
    ],
    rows,
  );
}

function sameCell(entry, where) {
  return Object.entries(where).every(([key, value]) => entry[key] === value);
}

export function latencyTable(latencies) {
  const rows = Object.entries(latencies).map(([contender, p50]) => [
    contender,
    formatNumber(p50),
    contender === 'direct' ? '–' : formatNumber(p50 - latencies.direct),
  ]);
  return markdownTable(['contender', 'p50 latency (µs)', 'added over direct (µs)'], rows);
}

export function connectTable(entries) {
  const rows = entries.map((entry) => [
    entry.contender,
    formatNumber(entry.median),
    formatNumber(median(entry.samples.map((sample) => sample.connectMs)), 2),
    ratio(entry.median, medianOf(entries, 'direct', { workload: 'connect' })),
    ratio(entry.median, medianOf(entries, 'pgbouncer', { workload: 'connect' })),
    `${entry.samples.length}${entry.errors.length ? ` (${entry.errors.length} failed)` : ''}`,
  ]);
  return markdownTable(
    ['contender', 'connections/s (median TPS)', 'avg connect (ms)', 'vs direct', 'vs PgBouncer', 'runs'],
    rows,
  );
}
