import { existsSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { JOURNAL_SCHEMA_VERSION, Journal, JournalError } from '../src/index.js';
import { openJournal, sampleStatement, tempJournalPath } from './helpers.js';

function openError(path: string, options?: { readonly readonly?: boolean }): JournalError {
  try {
    Journal.open(path, options).close();
  } catch (error) {
    if (error instanceof JournalError) return error;
    throw error;
  }
  throw new Error('expected a JournalError');
}

describe('opening a journal', () => {
  it('refuses a read-only open of a missing file without creating it', () => {
    const path = tempJournalPath();
    expect(openError(path, { readonly: true }).code).toBe('not-found');
    expect(existsSync(path)).toBe(false);
  });

  it('creates the file in WAL mode with the schema version and keeps records across reopening', () => {
    const path = tempJournalPath();
    const journal = Journal.open(path);
    const id = journal.recordStatement(sampleStatement());
    journal.close();
    journal.close();
    // close() folded the WAL into the file, so the file alone is the whole journal.
    expect(existsSync(`${path}-wal`)).toBe(false);

    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(JOURNAL_SCHEMA_VERSION);
    db.close();

    const reopened = openJournal(path);
    expect(reopened.headSeq()).toBe(id);
    expect(reopened.verify()).toMatchObject({ ok: true, checked: 1 });
  });

  it('reads a journal read-only while a writer has it open, and refuses to write', () => {
    const path = tempJournalPath();
    const writer = openJournal(path);
    writer.recordStatement(sampleStatement());
    writer.flush();
    const reader = openJournal(path, { readonly: true });
    expect([...reader.statements()]).toHaveLength(1);
    writer.recordStatement(sampleStatement());
    writer.flush();
    expect(reader.headSeq()).toBe(2);
    expect(() => reader.recordStatement(sampleStatement())).toThrow(
      expect.objectContaining({
        code: 'unavailable',
        message: expect.stringMatching(/^cannot record a statement: the journal is open read-only/),
      }),
    );
    expect(writer.verify().ok).toBe(true);
  });

  it('refuses a file that is not a database', () => {
    const path = tempJournalPath();
    writeFileSync(path, 'this is not a database, just text that is long enough to have a header'.repeat(20));
    expect(openError(path).code).toBe('corrupt');
    expect(openError(path, { readonly: true }).code).toBe('corrupt');
  });

  it('refuses to write into a database that is not a journal', () => {
    const path = tempJournalPath();
    const db = new Database(path);
    db.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY)');
    db.close();
    expect(openError(path).code).toBe('corrupt');
    expect(openError(path, { readonly: true }).code).toBe('corrupt');
  });

  it('refuses a journal written by a newer schema', () => {
    const path = tempJournalPath();
    Journal.open(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${JOURNAL_SCHEMA_VERSION + 1}`);
    db.close();
    const error = openError(path);
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/schema 4; this version of Sluice reads up to 3/);
  });
});
