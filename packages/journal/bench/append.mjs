// Statements per second the journal sustains, hash chain included, for two ways of writing:
//   per-record   recordStatement + completeStatement: one append to the segment log per statement
//   grouped×N    N sessions each queue a statement per event-loop turn; one commit barrier appends
//                them (and the outcomes of the turn before) in one write
// (the ingest worker moves the records into the SQLite store meanwhile, on another thread)
// Contenders alternate within each round; the medians of the rounds are compared. Run after a build:
//   node packages/journal/bench/append.mjs [--statements 20000] [--rounds 5] [--groups 1,8,64] [--dir DIR]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Journal } from '../dist/index.js';

const { values: args } = parseArgs({
  options: {
    statements: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
    groups: { type: 'string', default: '1,8,64' },
    dir: { type: 'string', default: tmpdir() },
  },
});
const STATEMENTS = Number(args.statements);
const ROUNDS = Math.max(3, Number(args.rounds));
const GROUPS = args.groups.split(',').map(Number);

const statement = {
  sessionId: '6f1c2a40-9d1e-4c52-a8f4-3b7e0d2c9a11',
  identity: 'ci-bot',
  groups: ['ci'],
  connection: 'orders',
  protocol: 'postgres',
  clientAddress: '127.0.0.1:50432',
  text: 'SELECT abalance FROM pgbench_accounts WHERE aid = 48213;',
  parameters: null,
  kind: 'select',
  tables: ['pgbench_accounts'],
  decision: 'allowed',
  rule: null,
  reason: null,
  approver: null,
  maskedColumns: [],
};
const outcome = { rows: 1, durationMs: 0.042, error: null };

function perRecord(journal) {
  for (let index = 0; index < STATEMENTS; index += 1) {
    journal.completeStatement(journal.recordStatement(statement), outcome);
  }
}

/** Each turn: the outcomes of the last turn's statements, then `sessions` new ones, then the barrier. */
function grouped(journal, sessions) {
  return new Promise((resolve, reject) => {
    let queued = 0;
    let running = [];
    const turn = () => {
      for (const handle of running) {
        if (handle.state !== 'committed') return reject(new Error('a statement was refused'));
        journal.completeStatement(handle, outcome);
      }
      if (queued >= STATEMENTS) return resolve();
      running = [];
      for (let session = 0; session < sessions && queued < STATEMENTS; session += 1, queued += 1) {
        running.push(journal.queueStatement(statement));
      }
      journal.afterCommit(turn);
    };
    turn();
  });
}

async function rate(run) {
  const directory = mkdtempSync(join(args.dir, 'sluice-journal-bench-'));
  const journal = Journal.open(join(directory, 'journal.db'));
  try {
    const start = process.hrtime.bigint();
    await run(journal);
    journal.flush();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const { ok, checked } = journal.verify();
    if (!ok || checked !== 2 * STATEMENTS) throw new Error(`chain not intact: ok=${ok}, ${checked} records`);
    return STATEMENTS / seconds;
  } finally {
    journal.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

const contenders = [
  { name: 'per-record', run: perRecord },
  ...GROUPS.map((sessions) => ({
    name: `grouped×${sessions}`,
    run: (journal) => grouped(journal, sessions),
  })),
];
const rates = new Map(contenders.map((contender) => [contender.name, []]));
for (let round = 1; round <= ROUNDS; round += 1) {
  const line = [];
  for (const contender of contenders) {
    const value = await rate(contender.run);
    rates.get(contender.name).push(value);
    line.push(`${contender.name} ${Math.round(value).toLocaleString('en')}`);
  }
  console.log(`round ${round}: ${line.join('  ')}  statements/s`);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const baseline = median(rates.get('per-record'));
console.log(
  `\n${STATEMENTS.toLocaleString('en')} statements + outcomes per run, medians of ${ROUNDS} rounds`,
);
for (const contender of contenders) {
  const value = median(rates.get(contender.name));
  console.log(
    `${contender.name.padEnd(11)} ${Math.round(value).toLocaleString('en').padStart(8)} statements/s  ${(value / baseline).toFixed(2)}× per-record  ${(1e6 / value).toFixed(1)} µs/statement`,
  );
}
