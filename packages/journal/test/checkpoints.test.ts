import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Journal, type StatementHandle } from '../src/index.js';
import { openJournal, sampleStatement, tempJournalPath } from './helpers.js';

const MIB = 1024 * 1024;

/** `statements` statements and their outcomes, 64 per event-loop turn, as a busy gateway writes them. */
async function appendGrouped(journal: Journal, statements: number): Promise<void> {
  let queued = 0;
  let running: StatementHandle[] = [];
  while (queued < statements) {
    for (const handle of running)
      journal.completeStatement(handle, { rows: 1, durationMs: 0.1, error: null });
    running = [];
    for (let index = 0; index < 64 && queued < statements; index += 1, queued += 1) {
      running.push(journal.queueStatement(sampleStatement({ text: `SELECT ${queued}` })));
    }
    await new Promise<void>((resolve) => journal.afterCommit(resolve));
  }
  for (const handle of running) journal.completeStatement(handle, { rows: 1, durationMs: 0.1, error: null });
  journal.flush();
}

describe('checkpoints', () => {
  it('keep the WAL from growing while statements arrive without pause', async () => {
    const path = tempJournalPath();
    const journal = openJournal(path);
    const statements = 40_000;
    await appendGrouped(journal, statements);
    // The records take about 45 MiB: without checkpoints that let the WAL start over, it
    // would hold all of them.
    expect(statSync(`${path}-wal`).size).toBeLessThan(32 * MIB);
    const reader = Journal.open(path, { readonly: true });
    try {
      expect(reader.verify()).toMatchObject({ ok: true, checked: 2 * statements });
    } finally {
      reader.close();
    }
  });
});
