// The scale-out view of the pgbench and sysbench runs: direct, one gateway on its SQLite journal
// (`sluice-users`), one on a shared store (`sluice-store`) and two on one store behind HAProxy
// (`sluice-2gw`), side by side with ratios to the one gateway. All three run the same policy.
import { formatNumber, markdownTable, median, medianOf, ratio } from '../lib/report.mjs';

export const SCALE_OUT_CONTENDERS = ['direct', 'sluice-users', 'sluice-store', 'sluice-2gw'];
const ONE_GATEWAY = 'sluice-users';

/** Whether a run measured a store contender, so that the view says something. */
export function measuredScaleOut(entries) {
  return entries.some((entry) => ['sluice-store', 'sluice-2gw'].includes(entry.contender));
}

const runsOf = (entry) =>
  `${entry.samples.length}${entry.errors.length ? ` (${entry.errors.length} failed)` : ''}`;
const cpuOf = (entry) => median(entry.samples.map((sample) => sample.cpuUsPerTxn));

/**
 * The sessions HAProxy sent each gateway over the runs, as "gw-a/gw-b" counts, and any health
 * check a gateway failed meanwhile; "–" for a contender without a balancer.
 */
function sessionsSplit(entry) {
  const totals = {};
  let downs = 0;
  for (const sample of entry.samples) {
    for (const [name, count] of Object.entries(sample.gatewaySessions ?? {})) {
      totals[name] = (totals[name] ?? 0) + count;
    }
    downs += sample.gatewayDowns ?? 0;
  }
  const names = Object.keys(totals).sort();
  if (names.length === 0) return '–';
  const split = names.map((name) => formatNumber(totals[name])).join('/');
  return downs > 0 ? `${split} (${downs} failed checks)` : split;
}

/**
 * One row per cell (`keys`: its fields) and contender: the median, its ratios to direct, to one
 * gateway and to one gateway on the store, the proxy CPU per transaction (both gateways and
 * HAProxy for `sluice-2gw`), and `extra` columns.
 */
function table(entries, { keys, valueHeader, extra = [] }) {
  const rows = entries
    .filter((entry) => SCALE_OUT_CONTENDERS.includes(entry.contender))
    .map((entry) => {
      const where = Object.fromEntries(keys.map((key) => [key, entry[key]]));
      return [
        ...keys.map((key) => entry[key]),
        entry.contender,
        formatNumber(entry.median),
        ratio(entry.median, medianOf(entries, 'direct', where)),
        ratio(entry.median, medianOf(entries, ONE_GATEWAY, where)),
        ratio(entry.median, medianOf(entries, 'sluice-store', where)),
        ...extra.map((column) => column.value(entry)),
        formatNumber(cpuOf(entry), 1),
        sessionsSplit(entry),
        runsOf(entry),
      ];
    });
  return markdownTable(
    [
      ...keys,
      'contender',
      valueHeader,
      'vs direct',
      'vs one gateway',
      'vs sluice-store',
      ...extra.map((column) => column.header),
      'proxy CPU µs/txn',
      'sessions gw-a/gw-b',
      'runs',
    ],
    rows,
  );
}

/** pgbench: TPS per cell, and the p50 latency of the 1-client simple -S runs. */
export function postgresScaleOutTable(entries, latencies) {
  const throughput = table(entries, { keys: ['workload', 'clients'], valueHeader: 'TPS (median)' });
  const one = latencies[ONE_GATEWAY];
  const latencyRows = SCALE_OUT_CONTENDERS.filter((contender) => contender in latencies).map((contender) => [
    contender,
    formatNumber(latencies[contender]),
    contender === 'direct' ? '–' : formatNumber(latencies[contender] - latencies.direct),
    contender === 'direct' || contender === ONE_GATEWAY ? '–' : formatNumber(latencies[contender] - one),
    ratio(latencies[contender], one),
  ]);
  const latency = markdownTable(
    [
      'contender',
      'p50 latency, -S 1 client (µs)',
      'added over direct',
      'added over one gateway',
      'vs one gateway',
    ],
    latencyRows,
  );
  return `${throughput}\n\n${latency}`;
}

/** sysbench: queries/s per cell, with its p50 (sysbench reports one per run). */
export function mysqlScaleOutTable(entries) {
  return table(entries, {
    keys: ['workload', 'threads'],
    valueHeader: 'queries/s (median)',
    extra: [
      {
        header: 'p50 (ms)',
        value: (entry) => formatNumber(median(entry.samples.map((sample) => sample.p50Ms)), 2),
      },
    ],
  });
}

export const SCALE_OUT_NOTE =
  'sluice-users, sluice-store and sluice-2gw run the same policy; sluice-store journals to a shared ' +
  'PostgreSQL store, sluice-2gw is two gateways on one store behind HAProxy (TCP, leastconn, ' +
  'GET /readyz checks), its CPU that of both gateways and HAProxy, its sessions per gateway counted ' +
  "by HAProxy over all runs. Everything shares this machine's cores with the load generator and " +
  'the database: the figures say what the store and the balancer cost, not what a second host ' +
  'would add.';
