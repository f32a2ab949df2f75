import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Journal, type StatementHandle, type StatementRecord } from '../src/index.js';
import { openJournal, sampleSession, sampleStatement, tamper, tempJournalPath } from './helpers.js';

const ACCOUNT_WORKER = fileURLToPath(new URL('./fixtures/account-worker.mjs', import.meta.url));

/** What another process would read from the file now. */
function readElsewhere(path: string): { statements: StatementRecord[]; ok: boolean } {
  const reader = Journal.open(path, { readonly: true });
  try {
    return { statements: [...reader.statements()], ok: reader.verify().ok };
  } finally {
    reader.close();
  }
}

function committed(journal: Journal): Promise<void> {
  return new Promise((resolve) => journal.afterCommit(resolve));
}

/** Makes every write to the records fail, as a full disk would, until the returned function runs. */
function breakWrites(path: string): () => void {
  tamper(path, (db) =>
    db.exec(
      "CREATE TRIGGER broken BEFORE INSERT ON records BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END",
    ),
  );
  return () => tamper(path, (db) => db.exec('DROP TRIGGER broken'));
}

describe('group commit', () => {
  it('commits the statements queued in one turn before the barrier calls back, visible to other readers', async () => {
    const path = tempJournalPath();
    const journal = openJournal(path);
    const handles = [
      journal.queueStatement(sampleStatement({ sessionId: 'a', text: 'SELECT 1' })),
      journal.queueStatement(sampleStatement({ sessionId: 'b', text: 'SELECT 2' })),
      journal.queueStatement(sampleStatement({ sessionId: 'a', text: 'SELECT 3' })),
    ];
    expect(handles.map((handle) => [handle.state, handle.id])).toEqual([
      ['queued', null],
      ['queued', null],
      ['queued', null],
    ]);
    expect(readElsewhere(path).statements).toEqual([]);

    const seenInCallback = await new Promise<ReturnType<typeof readElsewhere>>((resolve) =>
      journal.afterCommit(() => resolve(readElsewhere(path))),
    );
    expect(handles.map((handle) => [handle.state, handle.id])).toEqual([
      ['committed', 1],
      ['committed', 2],
      ['committed', 3],
    ]);
    expect(seenInCallback.ok).toBe(true);
    expect(seenInCallback.statements.map((s) => [s.id, s.session, s.statement])).toEqual([
      [1, 'a', 'SELECT 1'],
      [2, 'b', 'SELECT 2'],
      [3, 'a', 'SELECT 3'],
    ]);
  });

  it('links outcomes to their statement, also an outcome given before the statement was committed', async () => {
    const journal = openJournal();
    const blocked = journal.queueStatement(sampleStatement({ decision: 'blocked', text: 'DROP TABLE t' }));
    journal.completeStatement(blocked, { rows: null, durationMs: 0, error: 'sluice: blocked' });
    const allowed = journal.queueStatement(sampleStatement({ text: 'SELECT 1' }));
    await committed(journal);
    journal.completeStatement(allowed, { rows: 1, durationMs: 0.3, error: null });

    const records = [...journal.statements()];
    expect(records.map((r) => [r.id, r.decision, r.completed, r.rows, r.error])).toEqual([
      [blocked.id, 'blocked', true, null, 'sluice: blocked'],
      [allowed.id, 'allowed', true, 1, null],
    ]);
    expect(journal.verify()).toMatchObject({ ok: true, checked: 4 });
  });

  it('writes queued statements first when a record is written at once, in event order', () => {
    const journal = openJournal();
    const handle = journal.queueStatement(sampleStatement());
    journal.startSession(sampleSession({ id: 'session-2' }));
    expect(handle).toMatchObject({ state: 'committed', id: 1 });
    expect(journal.tail(2).map((entry) => entry.type)).toEqual(['statement', 'session_start']);
  });

  it('refuses the queued statements and their outcomes when the journal cannot be written, and goes on after', async () => {
    const path = tempJournalPath();
    const journal = openJournal(path);
    const earlier = journal.recordStatement(sampleStatement({ text: 'SELECT 0' }));
    journal.completeStatement(earlier, { rows: 5, durationMs: 1, error: null });
    const repair = breakWrites(path);

    const refused: StatementHandle = journal.queueStatement(sampleStatement({ text: 'SELECT 1' }));
    journal.completeStatement(refused, { rows: null, durationMs: 0, error: 'session ended' });
    await committed(journal);
    expect(refused).toMatchObject({ state: 'refused', id: null });

    repair();
    const later = journal.queueStatement(sampleStatement({ text: 'SELECT 2' }));
    await committed(journal);
    expect(later.state).toBe('committed');
    const records = [...journal.statements()];
    // The earlier outcome was kept for the next transaction; the refused statement left nothing.
    expect(records.map((r) => [r.statement, r.completed, r.rows])).toEqual([
      ['SELECT 0', true, 5],
      ['SELECT 2', false, null],
    ]);
    expect(journal.verify()).toMatchObject({ ok: true, checked: 3 });
  });

  it('keeps one linear chain while another process appends account events', async () => {
    const path = tempJournalPath();
    const journal = openJournal(path);
    const accounts = 100;
    const worker: ChildProcess = spawn(process.execPath, [ACCOUNT_WORKER, path, String(accounts)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exit = once(worker, 'exit');
    await once(worker.stdout ?? worker, 'data');
    worker.stdin?.write('go\n');
    let statements = 0;
    while (worker.exitCode === null) {
      for (let index = 0; index < 5; index += 1) {
        const handle = journal.queueStatement(sampleStatement({ text: `SELECT ${statements}` }));
        journal.completeStatement(handle, { rows: 1, durationMs: 0.1, error: null });
        statements += 1;
      }
      await committed(journal);
    }
    expect((await exit)[0]).toBe(0);
    journal.flush();

    const result = journal.verify();
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.checked).toBe(accounts + 2 * statements);
    const types = journal.tail(result.checked).map((entry) => entry.type);
    const switches = types.filter(
      (type, index) => index > 0 && (type === 'account') !== (types[index - 1] === 'account'),
    );
    // The two processes' transactions really were interleaved.
    expect(switches.length).toBeGreaterThan(10);
  });

  it('commits what is queued on close and lets its waiters go on', () => {
    const path = tempJournalPath();
    const journal = Journal.open(path);
    const handle = journal.queueStatement(sampleStatement());
    let called = false;
    journal.afterCommit(() => {
      called = true;
    });
    journal.close();
    expect(called).toBe(true);
    expect(handle.state).toBe('committed');
    expect(readElsewhere(path).statements).toHaveLength(1);
  });
});
