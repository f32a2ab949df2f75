import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { symlinkSync, unlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Journal, type StatementHandle, type StatementRecord } from '../src/index.js';
import { segmentDirectory, segmentPath } from '../src/segments/segment-files.js';
import {
  appendedTypes,
  eventually,
  openJournal,
  sampleSession,
  sampleStatement,
  tempJournalPath,
} from './helpers.js';

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

/** Makes the next segment file the journal rolls to a device that is always full (ENOSPC). */
function breakWrites(path: string, firstSeq: number): () => void {
  const file = segmentPath(segmentDirectory(path), firstSeq);
  symlinkSync('/dev/full', file);
  return () => unlinkSync(file);
}

function committed(journal: Journal): Promise<void> {
  return new Promise((resolve) => journal.afterCommit(resolve));
}

describe('group commit', () => {
  it('appends the statements queued in one turn before the barrier calls back, then shows them to other readers', async () => {
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

    const appendedInCallback = await new Promise<string[]>((resolve) =>
      journal.afterCommit(() => resolve(appendedTypes(path))),
    );
    expect(handles.map((handle) => [handle.state, handle.id])).toEqual([
      ['committed', 1],
      ['committed', 2],
      ['committed', 3],
    ]);
    // In the segment log when the barrier calls back (forwarding may go on), in the store soon after.
    expect(appendedInCallback).toEqual(['statement', 'statement', 'statement']);
    await eventually(() => readElsewhere(path).statements.length === 3, 'the store has the statements');
    const seenInCallback = readElsewhere(path);
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
    // Segments of one byte: every append starts a new segment file.
    const journal = openJournal(path, { segmentBytes: 1 });
    const earlier = journal.recordStatement(sampleStatement({ text: 'SELECT 0' }));
    journal.completeStatement(earlier, { rows: 5, durationMs: 1, error: null });
    // The next append (the outcome above, seq 2, and what is queued) goes to a full disk.
    const repair = breakWrites(path, 2);

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

  it('refuses another process that tries to write while it runs, and goes on', async () => {
    const path = tempJournalPath();
    const journal = openJournal(path);
    journal.recordStatement(sampleStatement());
    // `sluice agents add` run against the file while the gateway writes it.
    const worker: ChildProcess = spawn(process.execPath, [ACCOUNT_WORKER, path, '1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    worker.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(worker, 'exit');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/sluice: the journal .* is written by another Sluice process \(pid \d+\)/);
    journal.recordStatement(sampleStatement());
    expect(journal.verify()).toMatchObject({ ok: true, checked: 2 });
    expect(journal.listAccounts()).toEqual([]);
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
