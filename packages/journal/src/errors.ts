/**
 * Why the journal refused an operation.
 * - `not-found`: a read-only open of a file that does not exist.
 * - `corrupt`: the file is not a Sluice journal, has a schema newer than this code knows, or
 *   holds a record or account whose stored form cannot be read back.
 * - `invalid-name`: an account name outside `^[a-z][a-z0-9_.-]{0,62}$`.
 * - `account-exists`: the name is taken, also by a revoked account (names are never reused, so
 *   the journal's history of a name describes one account).
 * - `account-not-found` / `account-revoked`: the account to change does not exist or is revoked.
 */
export type JournalErrorCode =
  | 'not-found'
  | 'account-exists'
  | 'account-not-found'
  | 'account-revoked'
  | 'corrupt'
  | 'invalid-name';

export class JournalError extends Error {
  override readonly name = 'JournalError';
  readonly code: JournalErrorCode;

  constructor(code: JournalErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
