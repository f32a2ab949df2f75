// Sluice's benchmark suite (`pnpm bench`, after scripts/bench/run.sh has the tools in place).
// Every suite compares its contenders in one run, alternating them, and prints medians and
// ratios as markdown; the whole result goes to bench/results/<timestamp>.json.
//
//   BENCH_SECONDS=10 BENCH_REPEATS=3 BENCH_ONLY=pgbench,connect,stream,mysql,journal node scripts/bench/bench.mjs
//
// BENCH_CELLS=select:8,oltp_point_select:8 keeps the pgbench and sysbench runs to those workloads
// and client counts; BENCH_CONTENDERS=direct,sluice-users,sluice-store,sluice-2gw keeps them to
// those contenders (the others are not started). BENCH_BASELINE=<another built checkout> adds
// its Sluice, as users run it, to the pgbench and sysbench contenders (`baseline-users`): before
// and after a change in one alternating run.
//
// 111 runs × 3 repeats × 10 s make the defaults take about an hour; BENCH_SECONDS=5 takes
// about 35 minutes, and a smoke run (BENCH_SECONDS=2 BENCH_REPEATS=1) about 8.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { CONTENDER_NAMES } from './lib/contenders.mjs';
import { ROOT, scoped, stopAll } from './lib/processes.mjs';
import { scratchDir, startMariadb, startPostgres } from './lib/servers.mjs';
import { evaluateTargets, targetLines } from './lib/targets.mjs';
import { journalTable, runJournal } from './suites/journal.mjs';
import { MYSQL_CONTENDERS, mysqlTable, runMysql } from './suites/mysql.mjs';
import {
  connectTable,
  latencyMedians,
  latencyTable,
  runConnect,
  runThroughput,
  startPostgresContenders,
  throughputTable,
} from './suites/pgbench.mjs';
import {
  measuredScaleOut,
  mysqlScaleOutTable,
  postgresScaleOutTable,
  SCALE_OUT_NOTE,
} from './suites/scale-out.mjs';
import { runStream, streamTable } from './suites/stream.mjs';

const SUITES = ['pgbench', 'connect', 'stream', 'mysql', 'journal'];

function readSettings() {
  // Read by name from the environment of `pnpm bench`; turbo never runs this script.
  const { BENCH_SECONDS, BENCH_REPEATS, BENCH_ONLY, BENCH_CELLS, BENCH_CONTENDERS, BENCH_BASELINE } =
    process.env;
  const seconds = Number(BENCH_SECONDS ?? 10);
  const repeats = Number(BENCH_REPEATS ?? 3);
  const only = (BENCH_ONLY ?? SUITES.join(',')).split(',').map((name) => name.trim());
  const problems = [];
  if (!(seconds > 0)) problems.push(`BENCH_SECONDS must be a positive number, got "${BENCH_SECONDS}"`);
  if (!Number.isInteger(repeats) || repeats < 1)
    problems.push(`BENCH_REPEATS must be a whole number ≥ 1, got "${BENCH_REPEATS}"`);
  const unknown = only.filter((name) => !SUITES.includes(name));
  if (unknown.length)
    problems.push(`BENCH_ONLY: unknown suite ${unknown.join(', ')} (known: ${SUITES.join(', ')})`);
  const contenders = BENCH_CONTENDERS ? BENCH_CONTENDERS.split(',').map((name) => name.trim()) : null;
  const strangers = (contenders ?? []).filter((name) => !CONTENDER_NAMES.includes(name));
  if (strangers.length)
    problems.push(
      `BENCH_CONTENDERS: unknown contender ${strangers.join(', ')} (known: ${CONTENDER_NAMES.join(', ')})`,
    );
  if (BENCH_BASELINE && !existsSync(join(BENCH_BASELINE, 'apps/cli/dist/main.js')))
    problems.push(`BENCH_BASELINE: no built Sluice in ${BENCH_BASELINE} (apps/cli/dist/main.js)`);
  if (problems.length) {
    for (const problem of problems) console.error(`bench: ${problem}`);
    process.exit(2);
  }
  // `select:8,oltp_point_select:8`: only these workloads at these client counts.
  const cells = BENCH_CELLS ? new Set(BENCH_CELLS.split(',').map((cell) => cell.trim())) : null;
  return {
    seconds,
    repeats,
    only: new Set(only),
    cells,
    contenders: contenders ? new Set(contenders) : null,
    baseline: BENCH_BASELINE || null,
  };
}

/** Rough wall time: runs × seconds plus a second of start-up per run, and fixed setup. */
function estimateMinutes({ seconds, repeats, only, contenders, baseline }) {
  const count = (names) =>
    names.filter((name) => (!contenders || contenders.has(name)) && (baseline || name !== 'baseline-users'))
      .length;
  const postgres = count(CONTENDER_NAMES);
  const mysql = count(MYSQL_CONTENDERS);
  const runs = { pgbench: 9 * postgres, connect: postgres, mysql: 6 * mysql, journal: 1 };
  let total = 30;
  for (const [suite, count] of Object.entries(runs)) {
    if (only.has(suite)) total += count * repeats * (seconds + 1);
  }
  if (only.has('stream')) total += 40 + 3 * repeats * 6;
  return Math.ceil(total / 60);
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function section(title, body) {
  console.log(`\n## ${title}\n\n${body}`);
}

async function main() {
  const settings = readSettings();
  const { only } = settings;
  settings.scratch = scratchDir('sluice-bench-');
  const started = new Date();
  const results = {
    started: started.toISOString(),
    settings: {
      seconds: settings.seconds,
      repeats: settings.repeats,
      only: [...only],
      cells: settings.cells ? [...settings.cells] : null,
      contenders: settings.contenders ? [...settings.contenders] : null,
      baseline: settings.baseline,
    },
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      memoryGiB: totalmem() / 2 ** 30,
      loadAtStart: loadavg(),
    },
    node: process.version,
    commit: gitCommit(),
  };
  console.error(
    `bench: ${[...only].join(', ')}; ${settings.seconds} s per run, ${settings.repeats} repeats; about ${estimateMinutes(settings)} minutes`,
  );
  console.log(
    `# Sluice benchmarks ${results.started} (commit ${results.commit}, ${results.machine.cpus} CPUs, load ${loadavg()[0].toFixed(2)})\n\n${settings.seconds} s per run, ${settings.repeats} repeats, contenders alternating; medians.`,
  );

  if (only.has('pgbench') || only.has('connect') || only.has('stream')) {
    await scoped(async () => {
      const pg = await startPostgres({ maxConnections: 300 });
      if (only.has('pgbench') || only.has('connect')) {
        await scoped(async () => {
          const contenders = await startPostgresContenders(pg, settings);
          if (only.has('pgbench')) {
            const entries = await runThroughput(contenders, settings);
            results.pgbench = { entries, latencyP50Us: latencyMedians(entries) };
            section('pgbench (PostgreSQL 15, scale 10)', throughputTable(entries));
            section('pgbench -S, 1 client: p50 latency', latencyTable(results.pgbench.latencyP50Us));
            if (measuredScaleOut(entries)) {
              section(
                'scale-out, pgbench: one gateway, one on a shared store, two behind HAProxy',
                `${postgresScaleOutTable(entries, results.pgbench.latencyP50Us)}\n\n${SCALE_OUT_NOTE}`,
              );
            }
          }
          if (only.has('connect')) {
            results.connect = { entries: await runConnect(contenders, settings) };
            section(
              'connection setup (pgbench -C -S, SCRAM each time)',
              connectTable(results.connect.entries),
            );
          }
        });
      }
      if (only.has('stream')) {
        results.stream = await scoped(() => runStream(pg, settings));
        section('streaming 1,000,000 rows to psql', streamTable(results.stream));
      }
    });
  }
  if (only.has('mysql')) {
    results.mysql = await scoped(async () => ({ entries: await runMysql(await startMariadb(), settings) }));
    section('sysbench (MariaDB 10.11)', mysqlTable(results.mysql.entries));
    if (measuredScaleOut(results.mysql.entries)) {
      section(
        'scale-out, sysbench: one gateway, one on a shared store, two behind HAProxy',
        `${mysqlScaleOutTable(results.mysql.entries)}\n\n${SCALE_OUT_NOTE}`,
      );
    }
  }
  if (only.has('journal')) {
    results.journal = await runJournal(settings);
    section('journal and statement analysis', journalTable(results.journal));
  }

  results.targets = evaluateTargets(results);
  results.finished = new Date().toISOString();
  results.machine.loadAtEnd = loadavg();
  section('targets', targetLines(results.targets));
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${results.started.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  const minutes = ((Date.now() - started.getTime()) / 60000).toFixed(1);
  console.log(
    `\nfigures from a shared machine are noisy; compare ratios within one run. ${minutes} min; ${file}`,
  );
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`bench: ${signal}, stopping servers`);
    stopAll().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  console.error(`bench: ${error.stack ?? error.message}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
