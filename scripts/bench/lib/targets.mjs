// The performance targets Sluice is held to, checked against one run's medians.
import { formatNumber, median, medianOf } from './report.mjs';

const MB = 1_000_000;
const MIB = 1024 * 1024;

function target(name, holds, detail) {
  return { name, holds, detail };
}

/** `holds` is true / false, or null when the run did not measure it (BENCH_ONLY, a failure). */
function check(name, values, predicate, describe) {
  if (values.some((value) => !Number.isFinite(value))) return target(name, null, 'not measured in this run');
  return target(name, predicate(...values), describe(...values));
}

/** The median gateway CPU time per transaction of one contender in one cell, in µs. */
function cpuOf(entries, contender, cell) {
  const entry = entries.find(
    (each) =>
      each.contender === contender && Object.entries(cell).every(([key, value]) => each[key] === value),
  );
  const values = (entry?.samples ?? []).map((sample) => sample.cpuUsPerTxn).filter(Number.isFinite);
  return values.length ? median(values) : Number.NaN;
}

export function evaluateTargets(results) {
  const targets = [];
  const pgbench = results.pgbench?.entries ?? [];
  const select8 = { workload: 'select', clients: 8 };
  targets.push(
    check(
      'pgbench -S, 8 clients: Sluice as users run it ≥ 0.75× the byte pipe and ≥ 0.7× PgBouncer',
      [
        medianOf(pgbench, 'sluice-users', select8),
        medianOf(pgbench, 'pgbouncer', select8),
        medianOf(pgbench, 'pipe', select8),
      ],
      (users, bouncer, pipe) => users >= 0.75 * pipe && users >= 0.7 * bouncer,
      (users, bouncer, pipe) =>
        `${formatNumber(users)} TPS = ${(users / pipe).toFixed(2)}× pipe ${formatNumber(pipe)}, ${(users / bouncer).toFixed(2)}× PgBouncer ${formatNumber(bouncer)}`,
    ),
    check(
      'pgbench -S, 8 clients: Sluice with guardrails off ≥ 0.9× the byte pipe',
      [medianOf(pgbench, 'sluice-off', select8), medianOf(pgbench, 'pipe', select8)],
      (off, pipe) => off >= 0.9 * pipe,
      (off, pipe) => `${formatNumber(off)} TPS = ${(off / pipe).toFixed(2)}× pipe`,
    ),
    check(
      'pgbench -S, 8 clients: gateway CPU per transaction ≤ 2× the byte pipe’s',
      [cpuOf(pgbench, 'sluice-users', select8), cpuOf(pgbench, 'pipe', select8)],
      (users, pipe) => users <= 2 * pipe,
      (users, pipe) =>
        `${formatNumber(users, 1)} µs vs pipe ${formatNumber(pipe, 1)} µs (${(users / pipe).toFixed(2)}×)`,
    ),
  );
  const latency = results.pgbench?.latencyP50Us ?? {};
  targets.push(
    check(
      'pgbench -S, 1 client: added p50 latency of Sluice as users run it ≤ 120 µs',
      [latency['sluice-users'], latency.direct],
      (users, direct) => users - direct <= 120,
      (users, direct) =>
        `p50 ${formatNumber(users)} µs vs direct ${formatNumber(direct)} µs: +${formatNumber(users - direct)} µs`,
    ),
  );
  const stream = results.stream;
  const streamEntries = stream?.entries ?? [];
  const maskedPeaks = (streamEntries.find((entry) => entry.contender === 'sluice-masked')?.samples ?? [])
    .map((sample) => sample.peakRssMiB)
    .filter(Number.isFinite);
  targets.push(
    check(
      'streaming 1M rows with masking: ≥ 40 % of direct rows/s, gateway RSS < 200 MB',
      [
        medianOf(streamEntries, 'sluice-masked', { workload: 'stream' }),
        medianOf(streamEntries, 'direct', { workload: 'stream' }),
        maskedPeaks.length ? Math.max(...maskedPeaks) : Number.NaN,
      ],
      (masked, direct, peakMiB) => masked >= 0.4 * direct && peakMiB * MIB < 200 * MB,
      (masked, direct, peakMiB) =>
        `${formatNumber(masked)} rows/s = ${((100 * masked) / direct).toFixed(0)} % of direct; peak RSS ${formatNumber((peakMiB * MIB) / MB)} MB`,
    ),
  );
  const mysql = results.mysql?.entries ?? [];
  const point8 = { workload: 'oltp_point_select', threads: 8 };
  targets.push(
    check(
      'sysbench point selects, 8 threads: Sluice ≥ 0.75× the byte pipe',
      [medianOf(mysql, 'sluice-users', point8), medianOf(mysql, 'pipe', point8)],
      (sluice, pipe) => sluice >= 0.75 * pipe,
      (sluice, pipe) =>
        `${formatNumber(sluice)} vs ${formatNumber(pipe)} queries/s (${((100 * sluice) / pipe).toFixed(0)} %)`,
    ),
  );
  // The segment log the gateway appends to before forwarding, and the store readers use.
  const journal = results.journal;
  targets.push(
    check(
      'segment log ≥ 500,000 records/s appended on one core',
      [journal?.appendedRecordsPerSecond ?? Number.NaN],
      (rate) => rate >= 500_000,
      (rate) => `${formatNumber(rate)} records/s`,
    ),
    check(
      'store ingest ≥ 100,000 records/s',
      [journal?.ingestedRecordsPerSecond ?? Number.NaN],
      (rate) => rate >= 100_000,
      (rate) => `${formatNumber(rate)} records/s`,
    ),
    check(
      'readers see a record within 100 ms of its append (at 20,000 statements/s, the worst of the run)',
      [journal?.pacedLagMaxMs ?? Number.NaN],
      (lag) => lag <= 100,
      (lag) =>
        `max ${formatNumber(lag, 1)} ms, p50 ${formatNumber(journal.pacedLagP50Ms, 1)} ms; flat out p50 ${formatNumber(journal.readerLagP50Ms, 1)} ms`,
    ),
  );
  return targets;
}

export function targetLines(targets) {
  const mark = (holds) => (holds === null ? 'n/a ' : holds ? 'HOLDS' : 'MISSES');
  return targets.map((entry) => `- ${mark(entry.holds)}  ${entry.name}: ${entry.detail}`).join('\n');
}
