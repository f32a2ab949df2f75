// `node scripts/fuzz/run.mjs`: the long run of the socket fuzzing that
// packages/gateway/test/fuzz-sockets.test.ts does for half a minute. It starts scratch PostgreSQL
// and MariaDB servers and `sluice start` in its own process (loopback only), keeps one good
// session per protocol running statements, sends fuzzed byte streams on other connections for
// FUZZ_SECONDS (300), then prints what happened. Needs the built packages (`pnpm build`).
// Settings: FUZZ_SECONDS (300), FUZZ_SEED (random, printed), FUZZ_CONCURRENCY (8 per protocol).
import { memoryOf, stopAll } from '../bench/lib/processes.mjs';
import { startMariadb, startPostgres } from '../bench/lib/servers.mjs';
import { POLICY_USERS, startSluice } from '../bench/lib/sluice.mjs';

const { runSocketFuzz } = await import('../../packages/testkit/dist/index.js');

const { FUZZ_SECONDS, FUZZ_SEED, FUZZ_CONCURRENCY } = process.env;
const seconds = Number(FUZZ_SECONDS ?? 300);
const seed = Number(FUZZ_SEED ?? Math.floor(Math.random() * 0x7fffffff));
const concurrency = Number(FUZZ_CONCURRENCY ?? 8);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    stopAll().finally(() => process.exit(130));
  });
}

function line(label, value) {
  console.log(`${label.padEnd(34)} ${value}`);
}

function table(title, counts) {
  console.log(`\n${title}`);
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  for (const [key, count] of entries) console.log(`  ${String(count).padStart(7)}  ${key}`);
}

async function main() {
  console.log(`fuzz: starting PostgreSQL, MariaDB and Sluice (seed ${seed}, ${seconds} s)`);
  const [pg, maria] = await Promise.all([startPostgres({ maxConnections: 300 }), startMariadb()]);
  const sluice = await startSluice({
    label: 'fuzz',
    connections: [
      { name: 'pg', protocol: 'postgres', server: pg },
      { name: 'my', protocol: 'mysql', server: maria },
    ],
    policy: POLICY_USERS,
  });
  let crashes = 0;
  let exit = '';
  sluice.child.once('exit', (code, signal) => {
    crashes += 1;
    exit = `exited with code ${code} signal ${signal}`;
  });
  const start = memoryOf(sluice.pid);
  let peakRss = start.rssMiB;
  const sampler = setInterval(() => {
    if (sluice.child.exitCode === null) peakRss = Math.max(peakRss, memoryOf(sluice.pid).rssMiB);
  }, 1000);
  let done = 0;
  const progress = setInterval(() => console.log(`fuzz: ${done} connections fuzzed`), 30_000);
  const target = (port, server) => ({
    port,
    user: sluice.user,
    password: sluice.secret,
    database: server.database,
  });
  const started = Date.now();
  const report = await runSocketFuzz({
    postgres: target(sluice.ports.pg, pg),
    mysql: target(sluice.ports.my, maria),
    seed,
    durationMs: seconds * 1000,
    concurrency,
    onOutcome: () => {
      done += 1;
    },
  });
  clearInterval(progress);
  clearInterval(sampler);
  const alive = sluice.child.exitCode === null && sluice.child.signalCode === null;
  const end = alive ? memoryOf(sluice.pid) : { rssMiB: Number.NaN, peakMiB: Number.NaN };

  console.log('');
  line('seed', seed);
  line('duration', `${((Date.now() - started) / 1000).toFixed(0)} s`);
  line('connections fuzzed', JSON.stringify(report.connections));
  line('good-session statements', JSON.stringify(report.goodStatements));
  line('good-session failures', report.goodFailures.length);
  line('slowest good-session statement', `${JSON.stringify(report.goodSlowestMs)} ms`);
  line('rule breaks in answers', report.problems.length);
  line('probes that could not run', report.probeFailures.length);
  line('crashes (must be 0)', crashes);
  line(
    'gateway RSS start / end / peak',
    `${start.rssMiB.toFixed(0)} / ${end.rssMiB.toFixed(0)} / ${peakRss.toFixed(0)} MiB`,
  );
  table('endings (protocol, ending, SQLSTATE or errno)', report.endings);
  table('endings by what was sent', report.byLabel);
  for (const [title, list] of [
    ['good-session failures', report.goodFailures],
    ['rule breaks', report.problems],
    ['probe failures', report.probeFailures],
    ['cases sent around the slowest good-session statement', report.goodSlowestSuspects],
  ]) {
    if (list.length > 0) console.log(`\n${title}:\n  ${list.join('\n  ')}`);
  }
  if (!alive) console.log(`\nthe gateway ${exit}\n${sluice.child.errorTail()}`);
  const failed = crashes > 0 || report.goodFailures.length > 0 || report.problems.length > 0;
  return failed ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`fuzz: ${error instanceof Error ? error.stack : error}`);
} finally {
  await stopAll();
}
process.exit(code);
