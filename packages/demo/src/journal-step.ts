import { Journal, type JournalEntry, type VerifyResult } from '@sluice/journal';
import { DemoError } from './errors.js';
import { expectThat } from './expect.js';
import type { Transcript } from './transcript.js';

/** How `sluice audit tail` and `sluice audit verify` print; the CLI passes its own functions in. */
export interface AuditFormat {
  describeEntry(entry: JournalEntry): string;
  describeVerify(result: VerifyResult): string;
}

export interface JournalStepInput {
  readonly transcript: Transcript;
  readonly journalPath: string;
  readonly afterSeq: number;
  /** Sessions this run opened; their end records are waited for before the journal is shown. */
  readonly sessions: number;
  readonly audit: AuditFormat;
}

/** Outcomes and session ends are written a few milliseconds after the client saw its answer. */
const SETTLE_TIMEOUT_MS = 3_000;
const SETTLE_POLL_MS = 25;

/** Steps 7 and 8: what the journal recorded of this run, and its hash chain verified. */
export async function runJournalSteps(input: JournalStepInput): Promise<void> {
  const { transcript, audit } = input;
  const entries = await settledEntries(input);
  transcript.step('The journal of what happened (sluice audit tail)');
  for (const entry of entries) transcript.line(audit.describeEntry(entry));
  expectThat(
    entries.some((entry) => entry.type === 'statement' && entry.payload.decision === 'blocked'),
    'the journal has no blocked statement',
  );

  transcript.step('The journal is tamper-evident (sluice audit verify)');
  const result = withJournal(input.journalPath, (journal) => journal.verify());
  transcript.line(audit.describeVerify(result));
  if (!result.ok) throw new DemoError('journal-tampered', audit.describeVerify(result).split('\n')[0] ?? '');
}

async function settledEntries(input: JournalStepInput): Promise<JournalEntry[]> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const entries = withJournal(input.journalPath, (journal) =>
      journal.tail(Math.max(journal.headSeq() - input.afterSeq, 0)),
    );
    const ended = entries.filter((entry) => entry.type === 'session_end').length;
    if (ended >= input.sessions || Date.now() > deadline) return entries;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
}

function withJournal<T>(path: string, use: (journal: Journal) => T): T {
  const journal = Journal.open(path, { readonly: true });
  try {
    return use(journal);
  } finally {
    journal.close();
  }
}
