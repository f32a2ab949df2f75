import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import { Journal, type JournalOptions, type SessionStart, type StatementStart } from '../src/index.js';
import { listSegments, segmentDirectory } from '../src/segments/segment-files.js';
import { readSegment } from '../src/segments/segment-reader.js';

const directories: string[] = [];
const journals: Journal[] = [];

afterEach(() => {
  for (const journal of journals.splice(0)) journal.close();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A path for a journal file in a fresh temporary directory, removed after the test. */
export function tempJournalPath(): string {
  const directory = mkdtempSync(join(tmpdir(), 'sluice-journal-'));
  directories.push(directory);
  return join(directory, 'journal.db');
}

/** Waits until `condition` holds, checking every few milliseconds; fails after `timeoutMs`. */
export async function eventually(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The types of the records appended to a journal's segment log and not yet removed, oldest first. */
export function appendedTypes(path: string): string[] {
  return listSegments(segmentDirectory(path)).flatMap((segment) =>
    readSegment(segment.path, 0, { live: true, newest: true }).records.map(({ record }) => record.type),
  );
}

/** Opens a journal that is closed after the test. */
export function openJournal(path = tempJournalPath(), options: JournalOptions = {}): Journal {
  const journal = Journal.open(path, options);
  journals.push(journal);
  return journal;
}

export function sampleSession(overrides: Partial<SessionStart> = {}): SessionStart {
  return {
    id: 'session-1',
    identity: 'ci-bot',
    groups: ['ci'],
    connection: 'orders',
    protocol: 'postgres',
    clientAddress: '127.0.0.1:50432',
    authMethod: 'scram-sha-256',
    ...overrides,
  };
}

export function sampleStatement(overrides: Partial<StatementStart> = {}): StatementStart {
  return {
    sessionId: 'session-1',
    identity: 'ci-bot',
    groups: ['ci'],
    connection: 'orders',
    protocol: 'postgres',
    clientAddress: '127.0.0.1:50432',
    text: 'SELECT id, email FROM users WHERE id = $1',
    parameters: ['42'],
    kind: 'select',
    tables: ['public.users'],
    decision: 'allowed',
    rule: null,
    reason: null,
    approver: null,
    maskedColumns: ['email'],
    ...overrides,
  };
}

/**
 * A connection that bypasses Sluice, as someone with the file would: the append-only triggers
 * are dropped first, which anyone holding the file can do.
 */
export function tamper(path: string, edit: (db: Database.Database) => void): void {
  const db = new Database(path);
  try {
    db.exec('DROP TRIGGER IF EXISTS records_refuse_update; DROP TRIGGER IF EXISTS records_refuse_delete;');
    edit(db);
  } finally {
    db.close();
  }
}
