import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, recordHash } from '../src/index.js';
import { openJournal, sampleSession, sampleStatement, tempJournalPath } from './helpers.js';

interface RawRecord {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly ref: string | null;
  readonly payload: string;
  readonly prev_hash: string;
  readonly hash: string;
}

function rawRecords(path: string): RawRecord[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[], RawRecord>('SELECT * FROM records ORDER BY seq').all();
  } finally {
    db.close();
  }
}

describe('hash chain', () => {
  it('chains sessions, statements and account events in one sequence', () => {
    const path = tempJournalPath();
    const journal = openJournal(path);
    journal.startSession(sampleSession());
    const id = journal.recordStatement(sampleStatement());
    journal.completeStatement(id, { rows: 1, durationMs: 2.5, error: null });
    journal.createAccount(
      { name: 'ci-bot', groups: ['ci'], expiresAt: null, verifiers: { scram: 'v' } },
      'alice',
    );
    journal.endSession('session-1', 'client closed');
    journal.flush();

    const records = rawRecords(path);
    expect(records.map((record) => [record.seq, record.type, record.ref])).toEqual([
      [1, 'session_start', 'session-1'],
      [2, 'statement', 'session-1'],
      [3, 'statement_end', '2'],
      [4, 'account', 'ci-bot'],
      [5, 'session_end', 'session-1'],
    ]);
    expect(id).toBe(2);
    expect(records[0]?.prev_hash).toBe(GENESIS_HASH);
    for (const [index, record] of records.entries()) {
      expect(record.hash).toBe(recordHash({ ...record, prevHash: record.prev_hash }));
      if (index > 0) expect(record.prev_hash).toBe(records[index - 1]?.hash);
      expect(record.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(journal.headSeq()).toBe(5);
  });

  it('hashes exactly prev_hash, seq, at, type, ref and payload joined by newlines', () => {
    const hash = recordHash({
      seq: 1,
      at: '2025-01-01T00:00:00.000Z',
      type: 'session_end',
      ref: null,
      payload: '{}',
      prevHash: GENESIS_HASH,
    });
    expect(hash).toBe(sha256(`${GENESIS_HASH}\n1\n2025-01-01T00:00:00.000Z\nsession_end\n\n{}`));
    const withRef = recordHash({
      seq: 2,
      at: '2025-01-01T00:00:00.000Z',
      type: 'statement_end',
      ref: '1',
      payload: '{"rows":1}',
      prevHash: hash,
    });
    expect(withRef).toBe(sha256(`${hash}\n2\n2025-01-01T00:00:00.000Z\nstatement_end\n1\n{"rows":1}`));
  });

  it('verifies an untouched journal and reports its head', () => {
    const journal = openJournal();
    expect(journal.verify()).toEqual({
      ok: true,
      checked: 0,
      problems: [],
      headHash: null,
      headSeq: null,
      purgedThrough: null,
    });
    for (let index = 0; index < 40; index += 1) {
      const id = journal.recordStatement(sampleStatement({ text: `SELECT ${index}` }));
      journal.completeStatement(id, { rows: index, durationMs: 1, error: null });
    }
    const result = journal.verify();
    expect(result).toMatchObject({ ok: true, checked: 80, problems: [] });
    expect(result.headHash).toBe(journal.tail(1)[0]?.hash);
  });

  it('keeps one linear chain when account changes go to the store between appends to the segment log', () => {
    const path = tempJournalPath();
    const gateway = openJournal(path);
    const cli = gateway;
    for (let index = 0; index < 25; index += 1) {
      const id = gateway.recordStatement(sampleStatement({ text: `SELECT ${index}` }));
      cli.createAccount({ name: `agent-${index}`, groups: [], expiresAt: null, verifiers: {} }, 'alice');
      gateway.completeStatement(id, { rows: 0, durationMs: 1, error: null });
    }
    expect(gateway.headSeq()).toBe(75);
    expect(cli.headSeq()).toBe(75);
    expect(cli.verify()).toMatchObject({ ok: true, checked: 75 });
    expect(openJournal(path, { readonly: true }).verify()).toMatchObject({ ok: true, checked: 75 });
    expect(rawRecords(path).map((record) => record.seq)).toEqual(
      Array.from({ length: 75 }, (_, index) => index + 1),
    );
  });

  it('refuses updates and deletes of records through SQL while the triggers are in place', () => {
    const path = tempJournalPath();
    const journal = openJournal(path);
    journal.startSession(sampleSession());
    journal.flush();
    const db = new Database(path);
    try {
      expect(() => db.prepare("UPDATE records SET payload = '{}'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM records').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
    expect(journal.verify()).toMatchObject({ ok: true, checked: 1 });
  });
});

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
