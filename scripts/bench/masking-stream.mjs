// Streams ROWS rows through three contenders, alternating, in one run:
//   direct    client → PostgreSQL
//   plain     client → Sluice (policy without masking) → PostgreSQL
//   masked    client → Sluice (two masked columns + every detector) → PostgreSQL
// and prints rows/s per round plus each gateway's peak RSS (VmHWM). Each gateway is its own
// `sluice start` child process, so its peak memory is its own.
//
//   pnpm -r build && node scripts/bench/masking-stream.mjs [--rows 1000000] [--rounds 3]
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
// The gateway package's dev dependencies carry the drivers and the scratch-server kit.
const require = createRequire(join(root, 'packages/gateway/package.json'));
const postgres = require('postgres');
// testkit exports ESM only; import it by path from the gateway's node_modules.
const { startPostgres, scratchDir } = await import(
  join(root, 'packages/gateway/node_modules/@sluice/testkit/dist/index.js')
);

const { values: args } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, rounds: { type: 'string', default: '3' } },
});
const ROWS = Number(args.rows);
const ROUNDS = Number(args.rounds);
const QUERY = 'SELECT id, name, email, ssn, note FROM people';
const CLI = join(root, 'apps/cli/dist/main.js');

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function seed(pg) {
  await pg.psql(`CREATE TABLE people AS
    SELECT g AS id, 'Person ' || g AS name, 'user' || g || '@example.com' AS email,
      lpad((100000000 + g)::text, 9, '0') AS ssn,
      CASE WHEN g % 10 = 0 THEN 'call (415) 555-' || lpad((g % 10000)::text, 4, '0') ELSE 'nothing to see ' || g END AS note
    FROM generate_series(1, ${ROWS}) AS g;
    GRANT SELECT ON people TO PUBLIC;`);
}

async function startSluice(pg, name, maskingYaml) {
  const dir = scratchDir(`sluice-bench-${name}-`);
  const port = await freePort();
  const journal = join(dir, 'journal.db');
  const configFile = join(dir, 'sluice.yaml');
  writeFileSync(
    configFile,
    `journal:
  path: ${journal}
connections:
  bench:
    protocol: postgres
    listen: 127.0.0.1:${port}
    upstream: postgres://${pg.roles.scram}@${pg.host}:${pg.port}/${pg.database}
    upstream_password: \${UPSTREAM_PASSWORD}
    policy: bench
policies:
  bench:
    guardrails: standard
    default: allow
${maskingYaml}
`,
  );
  const env = { ...process.env, UPSTREAM_PASSWORD: pg.rolePassword };
  const added = JSON.parse(
    execFileSync('node', [CLI, 'agents', 'add', 'bench', '--config', configFile, '--json'], {
      encoding: 'utf8',
      env,
    }),
  );
  const child = spawn('node', [CLI, 'start', '--config', configFile, '--log-level', 'warn'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForPort(port);
  return {
    name,
    url: `postgres://bench:${encodeURIComponent(added.secret)}@127.0.0.1:${port}/${pg.database}`,
    peakRssMiB: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    stop: () => child.kill('SIGTERM'),
  };
}

async function waitForPort(port) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise((resolve) => {
      const socket = require('node:net').connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(socket.end() && true));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gateway on port ${port} did not start`);
}

/** Streams the whole result row by row (nothing buffered) and returns rows/s. */
async function stream(url) {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    let rows = 0;
    let sample;
    const started = process.hrtime.bigint();
    await sql.unsafe(QUERY).forEach((row) => {
      rows++;
      if (rows === 10) sample = row;
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (rows !== ROWS) throw new Error(`expected ${ROWS} rows, got ${rows}`);
    return { rate: rows / seconds, sample };
  } finally {
    await sql.end();
  }
}

const pg = await startPostgres();
try {
  await seed(pg);
  const plain = await startSluice(pg, 'plain', '');
  const masked = await startSluice(
    pg,
    'masked',
    `    masking:
      columns:
        - { match: "people.email", strategy: email }
        - { match: "people.ssn", strategy: redact }
      detectors: [email, credit_card, us_ssn, phone, iban, secret]`,
  );
  const contenders = [{ name: 'direct', url: pg.url(pg.roles.scram, pg.rolePassword) }, plain, masked];
  const rates = new Map(contenders.map((c) => [c.name, []]));
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const contender of contenders) {
        const { rate, sample } = await stream(contender.url);
        rates.get(contender.name).push(rate);
        console.log(
          `round ${round}  ${contender.name.padEnd(7)} ${Math.round(rate).toLocaleString('en')} rows/s  e.g. ${JSON.stringify(sample)}`,
        );
      }
    }
    const best = (name) => Math.max(...rates.get(name));
    console.log(`\n${ROWS.toLocaleString('en')} rows, best of ${ROUNDS} rounds`);
    for (const contender of contenders) {
      const rss = contender.peakRssMiB ? `  gateway peak RSS ${contender.peakRssMiB().toFixed(0)} MiB` : '';
      const ratio = (best(contender.name) / best('direct')).toFixed(2);
      console.log(
        `${contender.name.padEnd(7)} ${Math.round(best(contender.name)).toLocaleString('en')} rows/s  (${ratio}× direct)${rss}`,
      );
    }
  } finally {
    plain.stop();
    masked.stop();
  }
} finally {
  await pg.stop();
}
