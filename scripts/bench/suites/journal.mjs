// The journal on its own: statements/s recorded with their outcomes in the SHA-256 hash chain,
// written to a file on disk, then the chain verified. Two ways, alternating: as the gateway
// writes them when 8 sessions are busy (each event-loop turn's statements in one commit, their
// outcomes with the next), and one transaction per statement (one session, one statement at a
// time). And the statement analysis cost, cold and cached, from the sql package's own benchmark.
import { join } from 'node:path';
import { ROOT, run } from '../lib/processes.mjs';
import { formatNumber, markdownTable, median } from '../lib/report.mjs';

const { Journal } = await import(join(ROOT, 'packages/journal/dist/index.js'));

const BATCH = 500;
/** Sessions whose statements share a commit in the grouped runs, as pgbench's 8 clients do. */
const SESSIONS = 8;

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

const OUTCOME = { rows: 1, durationMs: 0.2, error: null };

/**
 * Calls `writer.step` (which records statements and returns the new total) until `seconds`
 * have passed, then `writer.finish`; resolves with the statements/s once all is written.
 */
async function rateOf(path, seconds, writer) {
  const journal = Journal.open(path);
  try {
    const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
    const started = process.hrtime.bigint();
    let count = 0;
    while (process.hrtime.bigint() < deadline) count = await writer.step(journal, count);
    writer.finish?.(journal);
    await journal.flush();
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    return { value: count / elapsed, unit: 'statements/s', count };
  } finally {
    await journal.close();
  }
}

/** One transaction per statement, its outcome with the next. */
const oneByOne = {
  async step(journal, count) {
    for (let step = 0; step < BATCH; step++, count++) {
      let id = journal.recordStatement(statement(count));
      // Should recording become asynchronous, this still measures it to completion.
      if (typeof id?.then === 'function') id = await id;
      journal.completeStatement(id, OUTCOME);
    }
    return count;
  },
};

/**
 * As the gateway records statements of SESSIONS busy sessions: each event-loop turn queues one
 * statement per session and waits for the commit barrier, and completes them in the turn after.
 */
function groupCommits() {
  let running = [];
  const completeRunning = (journal) => {
    for (const handle of running) {
      if (handle.state !== 'committed') throw new Error('the journal refused a statement');
      journal.completeStatement(handle, OUTCOME);
    }
    running = [];
  };
  return {
    async step(journal, count) {
      completeRunning(journal);
      for (let session = 0; session < SESSIONS; session++)
        running.push(journal.queueStatement(statement(count + session)));
      await new Promise((resolve) => journal.afterCommit(resolve));
      return count + SESSIONS;
    },
    finish: completeRunning,
  };
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
  const grouped = [];
  let last;
  for (let repeat = 0; repeat < settings.repeats; repeat++) {
    const groupedSample = await rateOf(
      join(settings.scratch, `journal-grouped-${repeat}.db`),
      settings.seconds,
      groupCommits(),
    );
    grouped.push(groupedSample);
    last = join(settings.scratch, `journal-${repeat}.db`);
    const sample = await rateOf(last, settings.seconds, oneByOne);
    samples.push(sample);
    console.error(
      `journal run ${repeat + 1}: ${formatNumber(groupedSample.value)} statements/s grouped ×${SESSIONS}, ${formatNumber(sample.value)} one per transaction`,
    );
  }
  const verified = await verify(last);
  if (!verified.ok) throw new Error('the hash chain the benchmark wrote does not verify');
  const analysed = await analysis(Math.max(3, settings.repeats));
  return {
    statementsPerSecond: median(samples.map((s) => s.value)),
    groupedStatementsPerSecond: median(grouped.map((s) => s.value)),
    sessions: SESSIONS,
    samples,
    grouped,
    verified,
    analysis: analysed,
  };
}

export function journalTable(result) {
  return markdownTable(
    ['measure', 'median', 'detail'],
    [
      [
        `journal: statements recorded + completed per second, ${result.sessions} sessions per commit`,
        formatNumber(result.groupedStatementsPerSecond),
        `${result.grouped.length} runs; as the gateway writes them: one commit per event-loop turn`,
      ],
      [
        'journal: statements recorded + completed per second, one transaction each',
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
