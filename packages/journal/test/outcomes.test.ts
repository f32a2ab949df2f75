import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Journal } from '../src/index.js';
import { appendedTypes, eventually, openJournal, sampleStatement, tempJournalPath } from './helpers.js';

function appendedOutcomes(path: string): number {
  return appendedTypes(path).filter((type) => type === 'statement_end').length;
}

function outcomeRows(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db.prepare("SELECT count(*) AS n FROM records WHERE type = 'statement_end'").get() as { n: number }
    ).n;
  } finally {
    db.close();
  }
}

describe('statement outcomes', () => {
  it('are appended with the next statement, keeping one chain', () => {
    const path = tempJournalPath();
    const journal = openJournal(path);
    const first = journal.recordStatement(sampleStatement());
    journal.completeStatement(first, { rows: 1, durationMs: 1, error: null });
    expect(appendedOutcomes(path)).toBe(0);
    journal.recordStatement(sampleStatement());
    expect(appendedOutcomes(path)).toBe(1);
    expect(journal.verify()).toMatchObject({ ok: true, checked: 3 });
  });

  it('are written within a few milliseconds when no statement follows', async () => {
    const path = tempJournalPath();
    const journal = openJournal(path);
    const id = journal.recordStatement(sampleStatement());
    journal.completeStatement(id, { rows: 7, durationMs: 1, error: null });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(appendedOutcomes(path)).toBe(1);
    await eventually(() => outcomeRows(path) === 1, 'the outcome reaches the store');
    const other = Journal.open(path, { readonly: true });
    expect([...other.statements()][0]).toMatchObject({ rows: 7, completed: true });
    other.close();
  });

  it('are visible at once to readers of the same journal and written on close', () => {
    const path = tempJournalPath();
    const journal = openJournal(path);
    const id = journal.recordStatement(sampleStatement());
    journal.completeStatement(id, { rows: 2, durationMs: 1, error: null });
    expect([...journal.statements()][0]).toMatchObject({ rows: 2, completed: true });
    const next = journal.recordStatement(sampleStatement());
    journal.completeStatement(next, { rows: 3, durationMs: 1, error: null });
    journal.close();
    expect(outcomeRows(path)).toBe(2);
  });
});

describe('masked columns known only from the results', () => {
  it('join the record, and an outcome without them reads as before', () => {
    const journal = openJournal(tempJournalPath());
    const masked = journal.recordStatement({ ...sampleStatement(), maskedColumns: ['customers.email'] });
    journal.completeStatement(masked, {
      rows: 2,
      durationMs: 1,
      error: null,
      maskedColumns: ['customers.ssn', 'customers.email'],
      detectorMatches: 3,
    });
    const plain = journal.recordStatement(sampleStatement());
    journal.completeStatement(plain, { rows: 1, durationMs: 1, error: null });
    journal.flush();
    const [first, second] = [...journal.statements()];
    expect(first?.masked_columns).toEqual(['customers.email', 'customers.ssn']);
    expect(second?.masked_columns).toEqual(sampleStatement().maskedColumns);
    expect(journal.verify()).toMatchObject({ ok: true });
  });
});
