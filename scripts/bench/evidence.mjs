// Figures for audit evidence on a large journal: search time, export memory, report time.
//
//   node scripts/bench/evidence.mjs [JOURNAL]    (default /tmp/sluice-evidence-bench/journal.db)
//
// Seeds 1,000,000 records through the journal's own write path (statements queued per event-loop
// turn, each with its outcome) when the file does not exist yet, then measures searches in this
// process (median of 5), and `sluice audit export` and `sluice report` as child processes whose
// resident memory is sampled every 100 ms.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { Journal } = await import(join(ROOT, 'packages/journal/dist/index.js'));
const CLI = join(ROOT, 'apps/cli/dist/main.js');
const path = process.argv[2] ?? '/tmp/sluice-evidence-bench/journal.db';
const STATEMENTS = 500_000;
const IDENTITIES = 50;

async function seedAsync(path, statements) {
  mkdirSync(dirname(path), { recursive: true });
  const journal = Journal.open(path);
  const started = performance.now();
  let session = '';
  for (let index = 0; index < statements; index += 1) {
    const identity = `agent-${index % IDENTITIES}`;
    if (index % 1000 === 0) {
      if (session) journal.endSession(session, 'client closed');
      session = `s-${index / 1000}`;
      journal.startSession({
        id: session,
        identity,
        groups: [identity.endsWith('7') ? 'etl' : 'ci'],
        connection: index % 2 ? 'orders' : 'billing',
        protocol: 'postgres',
        clientAddress: '10.0.0.1:5000',
        authMethod: 'scram-sha-256',
      });
    }
    const blocked = index % 97 === 0;
    const kind = ['select', 'select', 'select', 'insert', 'update', 'delete'][index % 6];
    const table = index % 10_007 === 0 ? 'payroll' : `t${index % 40}`;
    const handle = journal.queueStatement({
      sessionId: session,
      identity,
      groups: [identity.endsWith('7') ? 'etl' : 'ci'],
      connection: index % 2 ? 'orders' : 'billing',
      protocol: 'postgres',
      clientAddress: '10.0.0.1:5000',
      text: `${kind === 'select' ? 'SELECT * FROM' : kind.toUpperCase()} ${table} WHERE id = $1 /* ${index % 50_000 === 0 ? 'needle-rare' : 'job'} ${index} */`,
      parameters: [String(index)],
      kind,
      tables: [table],
      decision: blocked ? 'blocked' : 'allowed',
      rule: blocked ? 'no-drop' : null,
      reason: null,
      approver: null,
      maskedColumns: index % 5 ? [] : ['email'],
    });
    journal.completeStatement(handle, { rows: index % 20, durationMs: 1, error: null });
    if (index % 2000 === 1999) await new Promise((resolve) => setImmediate(resolve));
  }
  journal.endSession(session, 'client closed');
  journal.close();
  console.log(`seeded ${statements} statements in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (!existsSync(path)) await seedAsync(path, STATEMENTS);
// A tenth of the size, to show that export memory does not grow with the journal.
const small = join(dirname(path), 'journal-100k.db');
if (!existsSync(small)) await seedAsync(small, STATEMENTS / 10);
const journal = Journal.open(path, { readonly: true });
const head = journal.headSeq();
console.log(
  `load average ${(await import('node:os'))
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')} on ${(await import('node:os')).cpus().length} cores`,
);
console.log(
  `journal ${path}: ${journal.records.extent().records} records (head #${head}), ${(statSync(path).size / 2 ** 20).toFixed(0)} MiB\n`,
);

const searches = {
  'newest page, no filter': {},
  identity: { identity: 'agent-7' },
  'decision blocked': { decision: 'blocked' },
  'identity + decision': { identity: 'agent-7', decision: 'blocked' },
  group: { group: 'etl' },
  'connection + kind': { connection: 'billing', kind: 'delete' },
  'table (rare: 50 statements)': { table: 'payroll' },
  'text (rare: 10 statements)': { text: 'needle-rare' },
  'text (absent: full scan)': { text: 'no-such-text' },
  session: { session: 's-250' },
  'record type sign_in_failed (none)': { type: 'sign_in_failed' },
  'time range (a minute in the middle)': range(),
  'identity, deep page (before #500000)': { identity: 'agent-7', before: 500_000 },
};
console.log('| search (first page of 50) | median ms | records |\n| --- | --- | --- |');
for (const [name, query] of Object.entries(searches)) {
  const times = [];
  let found = 0;
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now();
    found = journal.records.search(query).records.length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(`| ${name} | ${times[2].toFixed(1)} | ${found} |`);
}
journal.close();

function range() {
  const page = journal.records.search({ before: Math.floor(head / 2), limit: 1 }).records[0];
  const at = new Date(page.at);
  return { from: at, to: new Date(at.getTime() + 60_000) };
}

// Read by name from the environment; turbo never runs this script.
const { BENCH_SEARCH_ONLY } = process.env;
if (BENCH_SEARCH_ONLY) process.exit(0);
console.log(
  '\n| command | seconds | peak RSS MiB | RSS at 25% / 50% / 75% of the run |\n| --- | --- | --- | --- |',
);
const out = (name) => join(dirname(path), name);
for (const args of [
  ['audit', 'export', '--journal', small, '--format', 'jsonl', '--out', out('export-100k.jsonl')],
  ['audit', 'export', '--journal', path, '--format', 'jsonl', '--out', out('export.jsonl')],
  ['audit', 'export', '--journal', path, '--format', 'csv', '--out', out('export.csv')],
  ['audit', 'export', '--journal', path, '--format', 'jsonl'],
  ['report', '--journal', path, '--format', 'html', '--out', out('report.html')],
  ['audit', 'verify', '--journal', path],
]) {
  const { seconds, samples } = await measure(args);
  const peak = Math.max(...samples);
  const at = (fraction) => samples[Math.floor(samples.length * fraction)] ?? 0;
  const label =
    (args[3] === small ? '(100,000 records) ' : '') +
    args.slice(0, 2).join(' ') +
    (args.includes('--format') ? ` ${args[args.indexOf('--format') + 1]}` : '') +
    (args.includes('--out') || args[0] !== 'audit' || args[1] !== 'export' ? '' : ' | cat');
  console.log(
    `| ${label} | ${seconds.toFixed(1)} | ${peak.toFixed(0)} | ${at(0.25).toFixed(0)} / ${at(0.5).toFixed(0)} / ${at(0.75).toFixed(0)} |`,
  );
}

function measure(args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], {
      stdio: ['ignore', args.includes('--out') || args[1] !== 'export' ? 'ignore' : 'pipe', 'ignore'],
    });
    // A slow reader: standard output drained at about 20 MiB/s, so back-pressure is exercised.
    child.stdout?.on('data', () => {
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 2);
    });
    const samples = [];
    const timer = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        if (kb) samples.push(kb / 1024);
      } catch {}
    }, 100);
    child.on('error', reject);
    child.on('exit', () => {
      clearInterval(timer);
      resolve({ seconds: (performance.now() - started) / 1000, samples: samples.length ? samples : [0] });
    });
  });
}
