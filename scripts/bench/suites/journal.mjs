// The journal on its own: statements/s recorded with their outcomes in the SHA-256 hash chain,
// written to a file on disk exactly as the gateway writes it, then the chain verified. And the
// statement analysis cost, cold and cached, from the sql package's own benchmark.
import { join } from 'node:path';
import { ROOT, run } from '../lib/processes.mjs';
import { formatNumber, markdownTable, median } from '../lib/report.mjs';

const { Journal } = await import(join(ROOT, 'packages/journal/dist/index.js'));

const BATCH = 500;

function statement(index) {
  return {
    sessionId: `bench-${index % 8}`,
    identity: 'bench',
    groups: ['ci'],
    connection: 'orders',
    protocol: 'postgres',
    clientAddress: '127.0.0.1:50000',
    text: 'SELECT abalance FROM pgbench_accounts WHERE aid = $1',
    parameters: [String(index)],
    kind: 'select',
    tables: ['pgbench_accounts'],
    decision: 'allowed',
    rule: null,
    reason: null,
    approver: null,
    maskedColumns: [],
  };
}

/** Records and completes statements for `seconds`; resolves with statements/s. */
async function recordFor(path, seconds) {
  const journal = Journal.open(path);
  try {
    const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
    const started = process.hrtime.bigint();
    let count = 0;
    while (process.hrtime.bigint() < deadline) {
      for (let step = 0; step < BATCH; step++, count++) {
        let id = journal.recordStatement(statement(count));
        // Should recording become asynchronous, this still measures it to completion.
        if (typeof id?.then === 'function') id = await id;
        journal.completeStatement(id, { rows: 1, durationMs: 0.2, error: null });
      }
    }
    await journal.flush();
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    return { value: count / elapsed, unit: 'statements/s', count };
  } finally {
    await journal.close();
  }
}

async function verify(path) {
  const journal = Journal.open(path, { readonly: true });
  try {
    const started = process.hrtime.bigint();
    const result = await journal.verify();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { ok: result.ok, checked: result.checked, recordsPerSecond: result.checked / seconds };
  } finally {
    journal.close();
  }
}

/** Runs packages/sql/bench/analyze.mjs and reads its µs figures. */
async function analysis(rounds) {
  const { stdout } = await run('node', ['packages/sql/bench/analyze.mjs', String(rounds)]);
  const figure = (label) => Number(new RegExp(`${label}[^:]*: ([\\d.]+) µs`).exec(stdout)?.[1]);
  return {
    coldUs: figure('cold analysis'),
    cachedUs: figure('cache hit'),
    shortSelectCachedUs: figure('of which a short OLTP SELECT'),
    output: stdout.trim(),
  };
}

export async function runJournal(settings) {
  const samples = [];
  let last;
  for (let repeat = 0; repeat < settings.repeats; repeat++) {
    last = join(settings.scratch, `journal-${repeat}.db`);
    const sample = await recordFor(last, settings.seconds);
    samples.push(sample);
    console.error(`journal run ${repeat + 1}: ${formatNumber(sample.value)} statements/s`);
  }
  const verified = await verify(last);
  if (!verified.ok) throw new Error('the hash chain the benchmark wrote does not verify');
  const analysed = await analysis(Math.max(3, settings.repeats));
  return { statementsPerSecond: median(samples.map((s) => s.value)), samples, verified, analysis: analysed };
}

export function journalTable(result) {
  return markdownTable(
    ['measure', 'median', 'detail'],
    [
      [
        'journal: statements recorded + completed per second',
        formatNumber(result.statementsPerSecond),
        `${result.samples.length} runs; chain of ${formatNumber(result.verified.checked)} records verifies at ${formatNumber(result.verified.recordsPerSecond)} records/s`,
      ],
      [
        'analysis, cold (parse + classify)',
        `${formatNumber(result.analysis.coldUs, 1)} µs`,
        'per statement, mixed OLTP/ORM/psql',
      ],
      [
        'analysis, cached',
        `${formatNumber(result.analysis.cachedUs, 2)} µs`,
        'per statement (lex + fingerprint + lookup)',
      ],
      ['analysis, cached short SELECT', `${formatNumber(result.analysis.shortSelectCachedUs, 2)} µs`, ''],
    ],
  );
}
