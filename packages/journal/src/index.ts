export { chainGenesis, GENESIS_HASH, recordHash } from './chain.js';
export type { JournalExtent, RecordRange } from './entries.js';
export { JournalError, type JournalErrorCode } from './errors.js';
export { CSV_HEADER, csvLine, jsonlLine, STATEMENT_FIELDS, writeCsv, writeJsonl } from './export.js';
export { Journal, type JournalOptions } from './journal.js';
export type { JournalRecovery } from './journal-writer.js';
export type { StatementHandle } from './pending.js';
export {
  connectStore,
  STORE_CONNECT_TIMEOUT_MS,
  type StoreAddress,
  type StoreTarget,
  storeAddress,
  storeClientConfig,
} from './pg/connect.js';
export {
  CONTROL_CHANNEL,
  checkStoreSchema,
  type MigrateResult,
  migrateStore,
  RECORDS_CHANNEL,
  STORE_SCHEMA_VERSION,
} from './pg/schema.js';
export { verifyStore } from './pg/verify-store.js';
export type { PurgeCheckpoint, PurgeResult } from './purge.js';
export type { ApprovalStep, SessionTimeline, TimelineStatement } from './replay.js';
export { JOURNAL_SCHEMA_VERSION } from './schema.js';
export { MAX_SEARCH_LIMIT, type RecordSearch, type SearchPage } from './search.js';
export type { JournalSync } from './segments/segment-writer.js';
export type { SessionListQuery, SessionSummary } from './session-list.js';
export {
  type Account,
  type AccountAction,
  type AccountChanges,
  type AccountEvent,
  type ChainSummary,
  DECISIONS,
  type Decision,
  type JournalEntry,
  type NewAccount,
  type RecordedRows,
  type SessionProtocol,
  type SessionStart,
  type SignInFailure,
  type StatementOutcome,
  type StatementQuery,
  type StatementRecord,
  type StatementStart,
  type VerifyProblem,
  type VerifyResult,
} from './types.js';
