// Prints how many recordStatement + completeStatement pairs per second the journal sustains,
// and how long verify() and a full statements() read take. Run after a build:
//   node packages/journal/bench/append-throughput.mjs [pairs-per-round]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../dist/index.js';

const pairsPerRound = Number(process.argv[2] ?? 20_000);
const rounds = 5;
const statement = {
  sessionId: '6f1c2a40-9d1e-4c52-a8f4-3b7e0d2c9a11',
  identity: 'ci-bot',
  groups: ['ci'],
  connection: 'orders',
  protocol: 'postgres',
  clientAddress: '127.0.0.1:50432',
  text: 'SELECT id, email, created_at FROM public.users WHERE id = $1',
  parameters: ['42'],
  kind: 'select',
  tables: ['public.users'],
  decision: 'allowed',
  rule: null,
  reason: null,
  approver: null,
  maskedColumns: ['email'],
};

function seconds(start) {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const directory = mkdtempSync(join(tmpdir(), 'sluice-journal-bench-'));
const journal = Journal.open(join(directory, 'journal.db'));
try {
  const rates = [];
  for (let round = 0; round < rounds; round += 1) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < pairsPerRound; index += 1) {
      const id = journal.recordStatement(statement);
      journal.completeStatement(id, { rows: 1, durationMs: 0.42, error: null });
    }
    rates.push(pairsPerRound / seconds(start));
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)] ?? 0;
  console.log(`pairs/s per round: ${rates.map(Math.round).join(', ')} (median ${Math.round(median)})`);
  console.log(`µs per pair (median): ${(1e6 / median).toFixed(1)}`);

  let start = process.hrtime.bigint();
  const result = journal.verify();
  console.log(
    `verify: ${result.checked} records, ok=${result.ok}, ${(result.checked / seconds(start)).toFixed(0)} records/s`,
  );

  start = process.hrtime.bigint();
  let count = 0;
  for (const record of journal.statements()) count += record.completed ? 1 : 0;
  console.log(`statements(): ${count} records, ${(count / seconds(start)).toFixed(0)} records/s`);
} finally {
  journal.close();
  rmSync(directory, { recursive: true, force: true });
}
