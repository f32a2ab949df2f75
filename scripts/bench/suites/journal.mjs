// The journal on its own: records/s appended to the segment log as the gateway appends them
// (8 sessions per event-loop turn, statements and outcomes), the reader lag meanwhile, records/s
// ingested into the SQLite store, statements/s with `journal.sync: always`, the chain verified;
// and the statement analysis cost, cold and cached, from the sql package's own benchmark.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run } from '../lib/processes.mjs';
import { formatNumber, markdownTable, median } from '../lib/report.mjs';

const DIST = join(ROOT, 'packages/journal/dist');
const { Journal } = await import(join(DIST, 'index.js'));

const BATCH = 500;
/** Statements/s for the paced reader-lag run: about twice Sluice's rate under pgbench -S here. */
const PACED_STATEMENTS_PER_SECOND = 20_000;
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

/**
 * Records appended per second to the segment log through the journal's own API (sealing,
 * SHA-256, encoding, one write per turn) by a gateway-like loop, while the ingest worker moves
 * them into the store on the other core; and the reader lag: every 100 ms the newest seq is
 * noted, and a read-only reader (another connection) polled until its store shows it.
 */
async function appendWithLag(path, seconds, statementsPerSecond = Number.POSITIVE_INFINITY) {
  const journal = Journal.open(path);
  const reader = Journal.open(path, { readonly: true });
  const lags = [];
  let probe = null;
  const noteProbe = setInterval(() => {
    if (probe === null) probe = { seq: journal.headSeq(), at: process.hrtime.bigint() };
  }, 100);
  const checkProbe = setInterval(() => {
    if (probe && reader.headSeq() >= probe.seq) {
      lags.push(Number(process.hrtime.bigint() - probe.at) / 1e6);
      probe = null;
    }
  }, 2);
  try {
    const writer = groupCommits();
    const started = process.hrtime.bigint();
    const deadline = started + BigInt(Math.round(seconds * 1e9));
    let count = 0;
    while (process.hrtime.bigint() < deadline) {
      count = await writer.step(journal, count);
      // Paced: wait while ahead of the rate (a gateway under pgbench load appends about this fast).
      const due = Number(process.hrtime.bigint() - started) / 1e9;
      if (count / statementsPerSecond > due) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    writer.finish(journal);
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    // Statements and their outcomes: two records each.
    return { recordsPerSecond: (2 * count) / elapsed, lagsMs: lags, records: 2 * count };
  } finally {
    clearInterval(noteProbe);
    clearInterval(checkProbe);
    reader.close();
    journal.close();
  }
}

/**
 * The ingest step alone: a segment log of `records` records written with the journal's own
 * segment writer, then moved into a new store as a gateway does at start — records/s.
 */
async function ingestRate(scratch, records) {
  const directory = `${scratch}.segments`;
  mkdirSync(directory, { recursive: true });
  const { ChainHead, GENESIS_HASH } = await import(join(DIST, 'chain.js'));
  const { SegmentWriter } = await import(join(DIST, 'segments/segment-writer.js'));
  const { encodeRecords } = await import(join(DIST, 'segments/segment-record.js'));
  const { SegmentIngest } = await import(join(DIST, 'segments/segment-ingest.js'));
  const { openDatabase } = await import(join(DIST, 'schema.js'));
  const head = new ChainHead({ seq: 0, hash: GENESIS_HASH });
  const writer = new SegmentWriter(directory, 'none', 16 * 1024 * 1024);
  const at = new Date().toISOString();
  const payload = JSON.stringify(statement(1));
  for (let written = 0; written < records; written += BATCH) {
    const batch = [];
    let link = { seq: head.seq, hash: head.hash };
    for (let index = 0; index < BATCH; index++) {
      link = head.seal(index % 2 ? 'statement_end' : 'statement', 'bench-1', payload, at, link);
      batch.push(link);
    }
    writer.append(encodeRecords(batch), batch[0].seq);
    head.advance(link);
  }
  writer.close();
  const db = openDatabase(scratch, false);
  try {
    const started = process.hrtime.bigint();
    const round = new SegmentIngest(db, directory).run(Number.MAX_SAFE_INTEGER, 'recover');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { recordsPerSecond: round.ingested / seconds, records: round.ingested };
  } finally {
    db.close();
  }
}

/** Appends with `journal.sync: always` (fdatasync per append), as one session at a time writes. */
async function syncedRate(path, seconds) {
  const journal = Journal.open(path, { sync: 'always' });
  try {
    const started = process.hrtime.bigint();
    const deadline = started + BigInt(Math.round(seconds * 1e9));
    let count = 0;
    const latencies = [];
    while (process.hrtime.bigint() < deadline) {
      const before = process.hrtime.bigint();
      journal.recordStatement(statement(count++));
      latencies.push(Number(process.hrtime.bigint() - before) / 1e3);
    }
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    return { statementsPerSecond: count / elapsed, appendP50Us: median(latencies) };
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
  const appends = [];
  const pacedLags = [];
  const ingests = [];
  const synced = [];
  let last;
  for (let repeat = 0; repeat < settings.repeats; repeat++) {
    last = join(settings.scratch, `journal-append-${repeat}.db`);
    const append = await appendWithLag(last, settings.seconds);
    appends.push(append);
    const paced = await appendWithLag(
      join(settings.scratch, `journal-paced-${repeat}.db`),
      settings.seconds,
      PACED_STATEMENTS_PER_SECOND,
    );
    pacedLags.push(...paced.lagsMs);
    const ingest = await ingestRate(join(settings.scratch, `journal-ingest-${repeat}.db`), 400_000);
    ingests.push(ingest);
    const sync = await syncedRate(
      join(settings.scratch, `journal-sync-${repeat}.db`),
      Math.min(3, settings.seconds),
    );
    synced.push(sync);
    console.error(
      `journal run ${repeat + 1}: ${formatNumber(append.recordsPerSecond)} records/s appended ` +
        `(reader lag p50 ${formatNumber(median(append.lagsMs), 1)} ms, max ${formatNumber(Math.max(...append.lagsMs), 1)} ms), ` +
        `${formatNumber(ingest.recordsPerSecond)} records/s ingested, ` +
        `sync always ${formatNumber(sync.statementsPerSecond)} statements/s (append p50 ${formatNumber(sync.appendP50Us)} µs)`,
    );
  }
  const verified = await verify(last);
  if (!verified.ok) throw new Error('the hash chain the benchmark wrote does not verify');
  const analysed = await analysis(Math.max(3, settings.repeats));
  const lags = appends.flatMap((append) => append.lagsMs);
  return {
    appendedRecordsPerSecond: median(appends.map((append) => append.recordsPerSecond)),
    ingestedRecordsPerSecond: median(ingests.map((ingest) => ingest.recordsPerSecond)),
    readerLagP50Ms: median(lags),
    readerLagMaxMs: Math.max(...lags),
    pacedLagP50Ms: median(pacedLags),
    pacedLagMaxMs: Math.max(...pacedLags),
    syncAlwaysStatementsPerSecond: median(synced.map((sync) => sync.statementsPerSecond)),
    syncAlwaysAppendP50Us: median(synced.map((sync) => sync.appendP50Us)),
    sessions: SESSIONS,
    appends: appends.map(({ lagsMs, ...rest }) => ({ ...rest, lagP50Ms: median(lagsMs) })),
    ingests,
    synced,
    verified,
    analysis: analysed,
  };
}

export function journalTable(result) {
  return markdownTable(
    ['measure', 'median', 'detail'],
    [
      [
        'segment log: records appended per second (one core)',
        formatNumber(result.appendedRecordsPerSecond),
        `${result.appends.length} runs; ${result.sessions} sessions per event-loop turn, statements and outcomes, one write per turn`,
      ],
      [
        'store: records ingested per second',
        formatNumber(result.ingestedRecordsPerSecond),
        `${result.ingests.length} runs of ${formatNumber(result.ingests[0]?.records ?? 0)} records into a new SQLite store`,
      ],
      [
        `reader lag at ${formatNumber(PACED_STATEMENTS_PER_SECOND)} statements/s`,
        `${formatNumber(result.pacedLagP50Ms, 1)} ms`,
        `max ${formatNumber(result.pacedLagMaxMs, 1)} ms; twice what Sluice sustains under pgbench -S here`,
      ],
      [
        'reader lag while appending flat out',
        `${formatNumber(result.readerLagP50Ms, 1)} ms`,
        `max ${formatNumber(result.readerLagMaxMs, 1)} ms; a read-only reader's store shows the newest record`,
      ],
      [
        'journal.sync: always — statements per second, one at a time',
        formatNumber(result.syncAlwaysStatementsPerSecond),
        `append p50 ${formatNumber(result.syncAlwaysAppendP50Us)} µs (fdatasync on this machine's disk)`,
      ],
      [
        'chain verification',
        `${formatNumber(result.verified.recordsPerSecond)} records/s`,
        `${formatNumber(result.verified.checked)} records`,
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
