import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { firstSeqAtOrAfter, lastSeqBefore } from '../src/time-bounds.js';

/** Records at minutes 0, 2, 4, …; seqs with a gap where a purge or tampering left one. */
function records(seqs: readonly number[]): Database.Database {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE records (seq INTEGER PRIMARY KEY, at TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO records (seq, at) VALUES (?, ?)');
  for (const seq of seqs) insert.run(seq, new Date(Date.UTC(2026, 11, 1, 0, seq * 2)).toISOString());
  return db;
}

const minute = (m: number) => new Date(Date.UTC(2026, 11, 1, 0, m)).toISOString();

describe('time bounds by bisection', () => {
  it('finds the first record at or after a time and the last before it, across gaps', () => {
    const seqs = [5, 6, 7, 9, 10, 11, 12, 20, 21];
    const db = records(seqs);
    for (let m = 0; m <= 50; m += 1) {
      const first = seqs.find((seq) => seq * 2 >= m) ?? null;
      const before = [...seqs].reverse().find((seq) => seq * 2 < m) ?? 0;
      expect(firstSeqAtOrAfter(db, minute(m)), `first at ${m}`).toBe(first);
      expect(lastSeqBefore(db, minute(m)), `last before ${m}`).toBe(before);
    }
    expect(firstSeqAtOrAfter(records([]), minute(0))).toBeNull();
  });
});
