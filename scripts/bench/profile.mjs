// Profiles a gateway under load: `sluice start` with node --cpu-prof, as users run it (strict
// guardrails, a rule, masking rules, every detector), under pgbench -S (8 clients), sysbench
// oltp_point_select (8 threads) or a masked 1,000,000-row stream; prints where the gateway's CPU
// time went, by bucket and by function, and keeps the .cpuprofile for a closer look (Chrome
// DevTools, speedscope).
//
//   PROFILE=pgbench,mysql,stream BENCH_SECONDS=20 [BENCH_BASELINE=<other checkout>] node scripts/bench/profile.mjs
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { profileLines, summarizeProfile } from './lib/cpu-profile.mjs';
import { cpuSecondsOf, ROOT, run, scoped, stopAll } from './lib/processes.mjs';
import { PG_BIN, scratchDir, startMariadb, startPostgres } from './lib/servers.mjs';
import { POLICY_USERS, startSluice } from './lib/sluice.mjs';

const KINDS = ['pgbench', 'mysql', 'stream'];
// Read by name from the environment of whoever runs it; turbo never runs this script.
const { BENCH_SECONDS, PROFILE, BENCH_BASELINE } = process.env;
/** Another built checkout to profile instead of this one (before and after a change). */
const checkout = BENCH_BASELINE || ROOT;
const seconds = Number(BENCH_SECONDS ?? 20);
const kinds = (PROFILE ?? 'pgbench,mysql').split(',').map((kind) => kind.trim());
const unknown = kinds.filter((kind) => !KINDS.includes(kind));
if (unknown.length || !(seconds > 0)) {
  console.error(`usage: PROFILE=${KINDS.join(',')} BENCH_SECONDS=20 node scripts/bench/profile.mjs`);
  process.exit(2);
}

const STREAM_POLICY = `    guardrails: strict
    default: allow
    masking:
      columns:
        - { match: "people.email", strategy: email }
        - { match: "people.ssn", strategy: redact }
      detectors: [email, credit_card, us_ssn, phone, iban, secret]`;

/** Starts a profiled gateway, runs `load` against it, stops it so that the profile is written. */
async function profiled(label, connection, policy, load) {
  const dir = join(ROOT, 'bench/profiles', `${new Date().toISOString().replace(/[:.]/g, '-')}-${label}`);
  mkdirSync(dir, { recursive: true });
  const sluice = await startSluice({
    label,
    connections: [connection],
    policy,
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
    checkout,
  });
  const cpuBefore = cpuSecondsOf(sluice.pid);
  const started = process.hrtime.bigint();
  await load(sluice);
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuSeconds = cpuSecondsOf(sluice.pid) - cpuBefore;
  // SIGTERM drains the sessions and exits, and node writes the profile on its way out.
  const exited = new Promise((resolve) => sluice.child.once('exit', resolve));
  sluice.child.kill('SIGTERM');
  await exited;
  // One profile per thread, named CPU.<date>.<time>.<pid>.<thread>.<n>: the main thread's is
  // thread 0 (the journal's ingest worker has its own, left out here).
  const file = readdirSync(dir).find((name) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(name));
  if (!file) throw new Error(`no profile of the main thread in ${dir}`);
  // The profiler samples the main thread on a wall clock: a syscall the process is descheduled
  // in (a socket write that wakes the reader, on a busy machine) counts as time in it. The
  // process's own CPU time under load says how much of "busy" was spent on a CPU.
  const usage = `under load: ${cpuSeconds.toFixed(1)} s of CPU (all threads) in ${wallSeconds.toFixed(1)} s`;
  console.log(
    `\n## ${label}\n\n${join(dir, file)}\n${usage}\n\n${profileLines(summarizeProfile(join(dir, file)))}`,
  );
}

async function profilePgbench() {
  const pg = await startPostgres();
  await run(`${PG_BIN}/pgbench`, ['-i', '-q', '-s', '10', ...pgTarget(pg, pg.port, pg.user)], {
    env: { ...process.env, PGPASSWORD: pg.password },
  });
  const connection = { name: 'pg', protocol: 'postgres', server: pg };
  await profiled('pgbench-select-c8', connection, POLICY_USERS, async (sluice) => {
    const { stdout } = await run(
      `${PG_BIN}/pgbench`,
      [
        '-n',
        '-S',
        '-T',
        String(seconds),
        '-c',
        '8',
        '-j',
        '2',
        ...pgTarget(pg, sluice.ports.pg, sluice.user),
      ],
      { env: { ...process.env, PGPASSWORD: sluice.secret } },
    );
    console.error(`pgbench: ${/^tps = [\d.]+/m.exec(stdout)?.[0]}`);
  });
}

function pgTarget(pg, port, user) {
  return ['-h', '127.0.0.1', '-p', String(port), '-U', user, pg.database];
}

async function profileMysql() {
  const my = await startMariadb();
  const args = (port, user, password) => [
    '--mysql-host=127.0.0.1',
    `--mysql-port=${port}`,
    `--mysql-user=${user}`,
    `--mysql-password=${password}`,
    `--mysql-db=${my.database}`,
    '--tables=1',
    '--table-size=100000',
  ];
  await run('sysbench', ['oltp_read_only', ...args(my.port, my.user, my.password), 'prepare']);
  const connection = { name: 'my', protocol: 'mysql', server: my };
  await profiled('sysbench-point-select-t8', connection, POLICY_USERS, async (sluice) => {
    const { stdout } = await run('sysbench', [
      'oltp_point_select',
      ...args(sluice.ports.my, sluice.user, sluice.secret),
      '--threads=8',
      `--time=${seconds}`,
      'run',
    ]);
    console.error(`sysbench: ${/queries:\s+\d+\s+\([\d.]+ per sec/.exec(stdout)?.[0]}`);
  });
}

async function profileStream() {
  const pg = await startPostgres();
  await pg.superSql(`CREATE TABLE people AS
    SELECT g AS id, 'Customer ' || g AS name, 'user' || g || '@example.com' AS email,
      lpad((100000000 + g)::text, 9, '0') AS ssn, 'Springfield' AS city,
      CASE WHEN g % 10 = 0 THEN 'call (415) 555-' || lpad((g % 10000)::text, 4, '0') || ' about the order'
        ELSE 'order ' || g || ' shipped from the northern warehouse on time' END AS note
    FROM generate_series(1, 1000000) AS g`);
  const connection = { name: 'pg', protocol: 'postgres', server: pg };
  await profiled('stream-masked', connection, STREAM_POLICY, async (sluice) => {
    const started = Date.now();
    await run(
      `${PG_BIN}/psql`,
      ['-X', '-At', '-v', 'ON_ERROR_STOP=1', ...pgTarget(pg, sluice.ports.pg, sluice.user)],
      {
        env: { ...process.env, PGPASSWORD: sluice.secret },
        input: '\\o /dev/null\nSELECT id, name, email, ssn, city, note FROM people;\n',
      },
    );
    console.error(`stream: 1,000,000 rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}

try {
  scratchDir('sluice-profile-');
  for (const kind of kinds) {
    const body = { pgbench: profilePgbench, mysql: profileMysql, stream: profileStream }[kind];
    await scoped(body);
  }
} catch (error) {
  console.error(`profile: ${error.stack ?? error.message}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
