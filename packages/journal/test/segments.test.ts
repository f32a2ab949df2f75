import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Journal, JournalError } from '../src/index.js';
import { openJournal, sampleSession, sampleStatement, tempJournalPath } from './helpers.js';

const APPENDER = fileURLToPath(new URL('./fixtures/append-forever.mjs', import.meta.url));

function segmentFiles(path: string): string[] {
  const directory = `${path}.segments`;
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => name.endsWith('.seg'))
    .sort()
    .map((name) => join(directory, name));
}

/** Runs the appender until it has printed `atLeast` forwarded ids, then kills it with SIGKILL. */
async function crashAfter(path: string, atLeast: number, segmentBytes = 1 << 20): Promise<number[]> {
  const child: ChildProcess = spawn(process.execPath, [APPENDER, path, String(segmentBytes)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const forwarded: number[] = [];
  let buffered = '';
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the appender exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (/^\d+$/.test(line)) forwarded.push(Number(line));
      if (forwarded.length >= atLeast) resolve();
    });
  });
  child.removeAllListeners('exit');
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
  return forwarded;
}

function storedStatementIds(path: string): Set<number> {
  const reader = Journal.open(path, { readonly: true });
  try {
    return new Set([...reader.statements()].map((statement) => statement.id));
  } finally {
    reader.close();
  }
}

describe('segment log', () => {
  it('rolls segments at the size limit and leaves every record in the store, in one chain', () => {
    const path = tempJournalPath();
    const journal = Journal.open(path, { segmentBytes: 4096 });
    const seen = new Set<string>();
    for (let index = 0; index < 400; index += 1) {
      const id = journal.recordStatement(sampleStatement({ text: `SELECT ${index}` }));
      journal.completeStatement(id, { rows: 1, durationMs: 0.1, error: null });
      for (const file of segmentFiles(path)) seen.add(file);
    }
    // ~300 bytes per record: 400 statements with their outcomes fill dozens of 4 KiB segments.
    expect(seen.size).toBeGreaterThan(20);
    journal.close();
    expect(segmentFiles(path)).toEqual([]);
    const reader = openJournal(path, { readonly: true });
    expect(reader.verify()).toMatchObject({ ok: true, checked: 800 });
    expect([...reader.statements()].every((statement) => statement.completed)).toBe(true);
  });

  it('shows appended records to readers in other connections without being asked', async () => {
    const path = tempJournalPath();
    const journal = openJournal(path);
    const reader = openJournal(path, { readonly: true });
    const id = journal.recordStatement(sampleStatement({ text: 'SELECT 42' }));
    const started = Date.now();
    while (reader.headSeq() < id) {
      expect(Date.now() - started, 'the ingest worker never brought the record into the store').toBeLessThan(
        5000,
      );
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect([...reader.statements()].map((statement) => statement.statement)).toEqual(['SELECT 42']);
  });

  it('lets one process write a journal: a second writer is refused, a reader is not', () => {
    const path = tempJournalPath();
    const journal = openJournal(path);
    let refusal: unknown;
    try {
      Journal.open(path);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(JournalError);
    expect(refusal).toMatchObject({ code: 'locked' });
    expect(String((refusal as Error).message)).toMatch(
      new RegExp(`^sluice: the journal .* is written by another Sluice process \\(pid ${process.pid}\\)`),
    );
    expect(() => openJournal(path, { readonly: true }).headSeq()).not.toThrow();
    journal.close();
    // Closed, the lock is free again.
    openJournal(path).close();
  });

  it('after kill -9 of the writer, has a record of every statement it forwarded, and the chain verifies', async () => {
    const path = tempJournalPath();
    const forwarded = await crashAfter(path, 3000, 64 * 1024);
    const journal = openJournal(path);
    expect(journal.recovery?.torn).toBeNull();
    const stored = storedStatementIds(path);
    expect(forwarded.filter((id) => !stored.has(id))).toEqual([]);
    expect(journal.verify()).toMatchObject({ ok: true, problems: [] });
    // The new run goes on from the recovered chain.
    journal.recordStatement(sampleStatement());
    expect(journal.verify().ok).toBe(true);
  });

  it('drops a torn final record at start, says so, and keeps every whole one', async () => {
    const path = tempJournalPath();
    const forwarded = await crashAfter(path, 200);
    const newest = segmentFiles(path).at(-1) as string;
    // A crash in the middle of an append: half of a record at the end of the newest segment.
    appendFileSync(newest, Buffer.from([200, 1, 0, 0, 1, 2, 3, 4, 9, 9, 9]));
    const journal = openJournal(path);
    expect(journal.recovery?.torn).toMatchObject({ kind: 'torn', segment: newest, bytes: 11 });
    const stored = storedStatementIds(path);
    expect(forwarded.filter((id) => !stored.has(id))).toEqual([]);
    expect(journal.verify().ok).toBe(true);
    // Everything whole is in the store: the damaged segment is gone, and new appends start a new one.
    expect(segmentFiles(path)).toEqual([]);
  });

  it('ingests segments past the store at start, and refuses to start on damage in the middle', async () => {
    const path = tempJournalPath();
    const forwarded = await crashAfter(path, 2000, 8 << 20);
    // The worker may have ingested much of it before the crash: start over from an empty store,
    // so that every record must come from the segment.
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    const segment = segmentFiles(path)[0] as string;
    const intact = readFileSync(segment);
    const damaged = Buffer.from(intact);
    damaged[Math.floor(damaged.length / 3)] ^= 0xff;
    writeFileSync(segment, damaged);
    let refusal: unknown;
    try {
      Journal.open(path);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'corrupt' });
    expect(String((refusal as Error).message)).toMatch(
      /^sluice: journal segment .* is damaged at byte \d+ .*sluice audit verify/,
    );

    writeFileSync(segment, intact);
    const journal = openJournal(path);
    expect(journal.recovery?.records).toBeGreaterThanOrEqual(forwarded.length);
    const stored = storedStatementIds(path);
    expect(forwarded.filter((id) => !stored.has(id))).toEqual([]);
    expect(journal.verify().ok).toBe(true);
  });
});

describe('disk-space floor', () => {
  it('refuses new statements below journal.min_free_space, still records sessions and outcomes', async () => {
    const path = tempJournalPath();
    // No disk has this much free: every statement is refused, nothing else is.
    const journal = openJournal(path, { minFreeBytes: Number.MAX_SAFE_INTEGER });
    journal.startSession(sampleSession());
    const handle = journal.queueStatement(sampleStatement());
    await new Promise<void>((resolve) => journal.afterCommit(resolve));
    expect(handle.state).toBe('refused');
    expect(journal.writeState().appendFailure).toBe(
      'the disk holding the journal is below journal.min_free_space',
    );
    expect(() => journal.recordStatement(sampleStatement())).toThrow(
      expect.objectContaining({
        code: 'disk-full',
        message: expect.stringMatching(/ MB free, below journal.min_free_space/),
      }),
    );
    journal.endSession('session-1', 'client closed');
    expect(journal.tail(5).map((entry) => entry.type)).toEqual(['session_start', 'session_end']);
    expect(journal.verify().ok).toBe(true);
  });
});
