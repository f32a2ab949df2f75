import Database from 'better-sqlite3';

/**
 * Why the journal refused an operation.
 * - `not-found`: a read-only open of a file that does not exist.
 * - `corrupt`: the file is not a Sluice journal, has a schema newer than this code knows, or
 *   holds a record or account whose stored form cannot be read back.
 * - `invalid-name`: an account name outside `^[a-z][a-z0-9_.-]{0,62}$`.
 * - `account-exists`: the name is taken, also by a revoked account (names are never reused, so
 *   the journal's history of a name describes one account).
 * - `account-not-found` / `account-revoked`: the account to change does not exist or is revoked.
 * - `invalid-query`: a search or purge asked for something the journal cannot answer.
 * - `disk-full`: the journal's disk is full, or below `journal.min_free_space`: appends refused.
 * - `locked`: another process writes the journal (one gateway writes a journal).
 * - `unavailable`: SQLite could not read or write the file (still locked by another process
 *   after the busy timeout, disk full, I/O error, or a write to a journal opened read-only).
 */
export type JournalErrorCode =
  | 'not-found'
  | 'account-exists'
  | 'account-not-found'
  | 'account-revoked'
  | 'corrupt'
  | 'invalid-name'
  | 'invalid-query'
  | 'disk-full'
  | 'locked'
  | 'unavailable';

export class JournalError extends Error {
  override readonly name = 'JournalError';
  readonly code: JournalErrorCode;

  constructor(code: JournalErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Turns an error of SQLite into a JournalError saying what the journal was doing; others pass. */
export function journalFailure(action: string, error: unknown): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  return new JournalError('unavailable', `cannot ${action}: ${error.message}`, { cause: error });
}

/** Runs `operation`, reporting SQLite failures as JournalError 'unavailable'. */
export function guarded<T>(action: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw journalFailure(action, error);
  }
}

/** Iterates `records`, reporting SQLite failures while reading as JournalError 'unavailable'. */
export function* guardedIteration<T>(action: string, records: Iterator<T>): Generator<T> {
  for (;;) {
    const step = guarded(action, () => records.next());
    if (step.done) return;
    yield step.value;
  }
}
