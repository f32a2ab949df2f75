export { GENESIS_HASH, recordHash } from './chain.js';
export { JournalError, type JournalErrorCode } from './errors.js';
export { STATEMENT_FIELDS, writeCsv, writeJsonl } from './export.js';
export { Journal } from './journal.js';
export type { StatementHandle } from './pending.js';
export type { ApprovalStep, SessionTimeline, TimelineStatement } from './replay.js';
export { JOURNAL_SCHEMA_VERSION } from './schema.js';
export {
  type Account,
  type AccountAction,
  type AccountChanges,
  type AccountEvent,
  DECISIONS,
  type Decision,
  type JournalEntry,
  type NewAccount,
  type RecordedRows,
  type SessionStart,
  type StatementOutcome,
  type StatementQuery,
  type StatementRecord,
  type StatementStart,
  type VerifyProblem,
  type VerifyResult,
} from './types.js';
