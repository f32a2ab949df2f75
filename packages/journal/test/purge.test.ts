import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { JOURNAL_SCHEMA_VERSION, type Journal } from '../src/index.js';
import { openJournal, sampleSession, sampleStatement, tamper, tempJournalPath } from './helpers.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Six old records, a cutoff, then four newer ones. */
async function journalWithOldRecords(path = tempJournalPath()): Promise<{ journal: Journal; cutoff: Date }> {
  const journal = openJournal(path);
  journal.startSession(sampleSession());
  for (let index = 0; index < 5; index += 1)
    journal.recordStatement(sampleStatement({ text: `SELECT ${index}` }));
  await pause(5);
  const cutoff = new Date();
  await pause(5);
  for (let index = 0; index < 3; index += 1)
    journal.recordStatement(sampleStatement({ text: `SELECT new ${index}` }));
  journal.endSession('session-1', 'client closed');
  journal.flush();
  return { journal, cutoff };
}

describe('purge', () => {
  it('deletes what is older than the cutoff and leaves a chain that verifies', async () => {
    const path = tempJournalPath();
    const { journal, cutoff } = await journalWithOldRecords(path);
    const result = journal.purge(cutoff, 'test');
    expect(result).toMatchObject({ purged: 6, through: 6, checkpoint: 11 });
    const verified = journal.verify();
    expect(verified).toMatchObject({ ok: true, checked: 5, purgedThrough: 6, headSeq: 11 });
    const checkpoint = journal.tail(1)[0];
    expect(checkpoint).toMatchObject({
      type: 'purge',
      payload: { purged_from: 1, purged_through: 6, purged_records: 6, purged_hash: result.throughHash },
    });
    expect(journal.purge(cutoff, 'test').purged).toBe(0);
  });

  it('still refuses a DELETE that is not a purge', async () => {
    const path = tempJournalPath();
    await journalWithOldRecords(path);
    const db = new Database(path);
    try {
      expect(() => db.prepare('DELETE FROM records WHERE seq = 8').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it('detects an edit, a deletion and a reordering after the checkpoint', async () => {
    const cases: [string, (db: Database.Database) => void, RegExp][] = [
      [
        'edit',
        (db) => db.exec(`UPDATE records SET payload = replace(payload, 'new 2', 'new 9') WHERE seq = 9`),
        /edited/,
      ],
      ['first deleted', (db) => db.exec('DELETE FROM records WHERE seq = 7'), /missing/],
      [
        'checkpoint edited',
        (db) =>
          db.exec(
            `UPDATE records SET payload = replace(payload, '"actor":"test"', '"actor":"x"') WHERE type = 'purge'`,
          ),
        /edited/,
      ],
      [
        'reordered',
        (db) =>
          db.exec(
            'UPDATE records SET seq = -8 WHERE seq = 8; UPDATE records SET seq = 8 WHERE seq = 9; UPDATE records SET seq = 9 WHERE seq = -8',
          ),
        /edited|moved/,
      ],
    ];
    for (const [name, edit, expected] of cases) {
      const path = tempJournalPath();
      const { journal, cutoff } = await journalWithOldRecords(path);
      journal.purge(cutoff, 'test');
      tamper(path, edit);
      const result = journal.verify();
      expect(result.ok, name).toBe(false);
      expect(result.problems.map((p) => p.message).join('\n'), name).toMatch(expected);
    }
  });

  it('upgrades a version 1 journal in place, keeping its chain', async () => {
    const path = tempJournalPath();
    const { journal, cutoff } = await journalWithOldRecords(path);
    journal.close();
    const db = new Database(path);
    db.exec(`DROP TRIGGER records_refuse_delete; DROP TABLE purge_permits; DROP INDEX records_rare;
      CREATE TRIGGER records_refuse_delete BEFORE DELETE ON records
      BEGIN SELECT RAISE(ABORT, 'journal records are append-only'); END;
      PRAGMA user_version = 1;`);
    db.close();
    expect(openJournal(path, { readonly: true }).verify()).toMatchObject({ ok: true, checked: 10 });
    const upgraded = openJournal(path);
    expect(upgraded.verify()).toMatchObject({ ok: true, checked: 10 });
    expect(upgraded.purge(cutoff, 'test').purged).toBe(6);
    expect(upgraded.verify().ok).toBe(true);
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(JOURNAL_SCHEMA_VERSION);
    check.close();
  });
});
