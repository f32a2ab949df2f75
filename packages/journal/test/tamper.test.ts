import { describe, expect, it } from 'vitest';
import { type Journal, recordHash } from '../src/index.js';
import { openJournal, sampleSession, sampleStatement, tamper, tempJournalPath } from './helpers.js';

interface StoredRecord {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly ref: string | null;
  readonly payload: string;
  readonly prev_hash: string;
  readonly hash: string;
}

/** Ten records: a session, four statements with outcomes, the session's end. */
function filledJournal(): { readonly path: string; readonly journal: Journal } {
  const path = tempJournalPath();
  const journal = openJournal(path);
  journal.startSession(sampleSession());
  for (let index = 0; index < 4; index += 1) {
    const id = journal.recordStatement(sampleStatement({ text: `SELECT ${index}` }));
    journal.completeStatement(id, { rows: index, durationMs: 1, error: null });
  }
  journal.endSession('session-1', 'client closed');
  expect(journal.verify()).toMatchObject({ ok: true, checked: 10 });
  return { path, journal };
}

describe('verify detects tampering', () => {
  it('an edited payload', () => {
    const { path, journal } = filledJournal();
    tamper(path, (db) => {
      db.prepare(`UPDATE records SET payload = replace(payload, 'SELECT 2', 'SELECT 9') WHERE seq = 6`).run();
    });
    const result = journal.verify();
    expect(result.ok).toBe(false);
    expect(result.checked).toBe(10);
    expect(result.problems).toEqual([
      { seq: 6, message: expect.stringContaining('does not match its hash') },
    ]);
  });

  it('an edited record whose own hash was recomputed, through the broken link to the next', () => {
    const { path, journal } = filledJournal();
    tamper(path, (db) => {
      const record = db.prepare<[], StoredRecord>('SELECT * FROM records WHERE seq = 4').get();
      if (!record) throw new Error('record 4 is missing');
      const payload = record.payload.replace('SELECT 1', 'SELECT 8');
      const hash = recordHash({ ...record, payload, prevHash: record.prev_hash });
      db.prepare('UPDATE records SET payload = ?, hash = ? WHERE seq = 4').run(payload, hash);
    });
    expect(journal.verify().problems).toEqual([
      { seq: 5, message: 'does not follow record 4: the chain link is broken' },
    ]);
  });

  it('a deleted record in the middle', () => {
    const { path, journal } = filledJournal();
    tamper(path, (db) => {
      db.prepare('DELETE FROM records WHERE seq = 5').run();
    });
    const result = journal.verify();
    expect(result).toMatchObject({ ok: false, checked: 9 });
    expect(result.problems).toEqual([{ seq: 6, message: 'record 5 is missing: deleted from the chain' }]);
  });

  it('deleted records at the start of the chain', () => {
    const { path, journal } = filledJournal();
    tamper(path, (db) => {
      db.prepare('DELETE FROM records WHERE seq <= 2').run();
    });
    expect(journal.verify().problems).toEqual([
      { seq: 3, message: 'records 1–2 are missing: deleted from the chain' },
    ]);
  });

  it('two records whose payloads were swapped', () => {
    const { path, journal } = filledJournal();
    tamper(path, (db) => {
      const payloadOf = db.prepare<[number], string>('SELECT payload FROM records WHERE seq = ?').pluck();
      const [second, fourth] = [payloadOf.get(2), payloadOf.get(4)];
      const setPayload = db.prepare('UPDATE records SET payload = ? WHERE seq = ?');
      setPayload.run(fourth, 2);
      setPayload.run(second, 4);
    });
    const result = journal.verify();
    expect(result.ok).toBe(false);
    expect(result.problems.map((problem) => problem.seq)).toEqual([2, 4]);
  });

  it('two whole records whose positions were swapped', () => {
    const { path, journal } = filledJournal();
    tamper(path, (db) => {
      db.exec(`
        UPDATE records SET seq = -1 WHERE seq = 3;
        UPDATE records SET seq = 3 WHERE seq = 7;
        UPDATE records SET seq = 7 WHERE seq = -1;`);
    });
    const result = journal.verify();
    expect(result).toMatchObject({ ok: false, checked: 10 });
    // Each moved record neither hashes to its stored hash at its new seq nor links to its new
    // predecessor, and each record after a moved one no longer links to it.
    expect(new Set(result.problems.map((problem) => problem.seq))).toEqual(new Set([3, 4, 7, 8]));
    expect(result.problems.filter((problem) => problem.seq === 3).map((problem) => problem.message)).toEqual([
      expect.stringContaining('does not match its hash'),
      expect.stringContaining('does not follow record 2'),
    ]);
  });

  it('cannot tell that the newest records were deleted, but the head hash changes', () => {
    const { path, journal } = filledJournal();
    const headBefore = journal.verify().headHash;
    tamper(path, (db) => {
      db.prepare('DELETE FROM records WHERE seq >= 9').run();
    });
    const result = journal.verify();
    // A shorter chain is still a valid chain: only a head hash kept elsewhere exposes this.
    expect(result).toMatchObject({ ok: true, checked: 8 });
    expect(result.headHash).not.toBe(headBefore);
  });
});
