import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { JournalError } from './errors.js';

/** How long an operation waits for another connection's lock before it fails. */
export const BUSY_TIMEOUT_MS = 5000;

/** Stored in `PRAGMA user_version`; 0 means the file has never been set up as a journal. */
export const JOURNAL_SCHEMA_VERSION = 3;

// Records are chained by their hash; UPDATE and DELETE are refused by triggers so that no code
// path of Sluice can rewrite history by accident. Someone with the file can drop the triggers,
// which is what `verify()` is for.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  type TEXT NOT NULL,
  ref TEXT,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
-- Only outcomes are looked up by ref (to join them to their statement); a partial index keeps
-- the other records, statements above all, from paying for an index write on the hot path.
CREATE INDEX IF NOT EXISTS records_statement_end ON records (ref) WHERE type = 'statement_end';
CREATE TRIGGER IF NOT EXISTS records_refuse_update BEFORE UPDATE ON records
BEGIN SELECT RAISE(ABORT, 'journal records are append-only'); END;
CREATE TABLE IF NOT EXISTS accounts (
  name TEXT PRIMARY KEY,
  groups TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  expires_at TEXT,
  verifiers TEXT NOT NULL
) STRICT;
`;

// Version 2: deletion only by a purge, and an index for the few records that are not statements.
// A purge writes a permit in its own transaction, deletes up to it, removes the permit and
// journals a `purge` record; without a permit the trigger still refuses every DELETE. Nothing
// is indexed per statement: every index costs each append, and appends are the gateway's hot
// path (statement fields as expression indexes cut append throughput by half or more), so
// searches bisect seqs for time ranges and pre-filter the rest with LIKE (search.ts).
const SCHEMA_V2 = `
CREATE INDEX IF NOT EXISTS records_rare ON records (type, seq)
  WHERE type NOT IN ('statement', 'statement_end');
CREATE TABLE IF NOT EXISTS purge_permits (up_to INTEGER NOT NULL) STRICT;
DROP TRIGGER IF EXISTS records_refuse_delete;
CREATE TRIGGER records_refuse_delete BEFORE DELETE ON records
WHEN NOT EXISTS (SELECT 1 FROM purge_permits WHERE OLD.seq <= up_to)
BEGIN SELECT RAISE(ABORT, 'journal records are append-only'); END;
`;

// Version 3: the file can be a gateway's read replica of a shared PostgreSQL store. There `seq`
// is the store's id (one order for every gateway), `gateway` and `chain_seq` the record's place
// in its gateway's own chain; both stay NULL in a journal of its own. `replica_of` names the
// store and gateway of a replica, so that neither kind of file is ever opened as the other.
const SCHEMA_V3_COLUMNS = `
ALTER TABLE records ADD COLUMN gateway TEXT;
ALTER TABLE records ADD COLUMN chain_seq INTEGER;
`;
const SCHEMA_V3 = `
CREATE INDEX IF NOT EXISTS records_chain ON records (gateway, chain_seq) WHERE gateway IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_replica_at ON records (at) WHERE gateway IS NOT NULL;
CREATE TABLE IF NOT EXISTS replica_of (store TEXT NOT NULL, gateway TEXT NOT NULL) STRICT;
`;

/** The shared store and gateway a replica belongs to. */
export interface ReplicaOf {
  /** `host:port/database` of the store. */
  readonly store: string;
  readonly gateway: string;
}

/**
 * Opens the SQLite file behind a journal. Writers create the file and its schema; readers
 * require an existing journal and never write to it. A writer names the store and gateway when
 * the file is a replica (`replica`), and must not name one for a journal of its own. Writers create the file and its schema; readers
 * require an existing journal and never write to it.
 */
export function openDatabase(path: string, readonly: boolean, replica?: ReplicaOf): Database.Database {
  if (readonly && !existsSync(path)) throw new JournalError('not-found', `no journal at ${path}`);
  const db = new Database(path, { readonly, fileMustExist: readonly });
  try {
    // Set first, so that the pragmas and schema set-up below wait for other processes' locks.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (readonly) {
      checkVersion(path, db.pragma('user_version', { simple: true }), true);
    } else {
      db.pragma('journal_mode = WAL');
      // In WAL mode NORMAL keeps every committed transaction across a crash of the process;
      // only a power loss can drop the newest commits.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      ensureSchema(path, db);
      checkReplica(path, db, replica);
    }
    return db;
  } catch (error) {
    db.close();
    if (error instanceof JournalError) throw error;
    throw new JournalError('corrupt', `${path} cannot be opened as a journal: ${describe(error)}`, {
      cause: error,
    });
  }
}

function ensureSchema(path: string, db: Database.Database): void {
  // IMMEDIATE: two processes starting on a new file must not both decide to create the schema.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true });
    if (version === JOURNAL_SCHEMA_VERSION) return;
    checkVersion(path, version, false);
    if (version === 0) {
      // Set-up and version are written in one transaction, so version 0 with tables means a
      // database of something else that must not be written into.
      const objects = db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get();
      if (objects !== 0) throw new JournalError('corrupt', `${path} is a database but not a Sluice journal`);
      db.exec(SCHEMA);
    }
    // A version 1 file keeps its records and chain; it gains the index and the purge trigger.
    if (Number(version) < 2) db.exec(SCHEMA_V2);
    if (!hasChainColumns(db)) db.exec(SCHEMA_V3_COLUMNS);
    db.exec(SCHEMA_V3);
    db.pragma(`user_version = ${JOURNAL_SCHEMA_VERSION}`);
  }).immediate();
}

/** Whether records carry `gateway` and `chain_seq` (schema 3; a reader may open an older file). */
export function hasChainColumns(db: Database.Database): boolean {
  return (
    db.prepare("SELECT 1 FROM pragma_table_info('records') WHERE name = 'chain_seq'").get() !== undefined
  );
}

/** The store and gateway a replica file belongs to; undefined for a journal of its own or an older file. */
export function replicaOf(db: Database.Database): ReplicaOf | undefined {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'replica_of'").get();
  if (!table) return undefined;
  return db.prepare<[], ReplicaOf>('SELECT store, gateway FROM replica_of').get();
}

function checkReplica(path: string, db: Database.Database, wanted: ReplicaOf | undefined): void {
  db.transaction(() => {
    const found = replicaOf(db);
    if (!wanted) {
      if (found) {
        throw new JournalError(
          'corrupt',
          `sluice: ${path} is the read replica of the shared store ${found.store} (gateway ${found.gateway}), ` +
            'not a journal of its own: set journal.store, or give journal.path a file of its own',
        );
      }
      return;
    }
    if (found) {
      if (found.store === wanted.store && found.gateway === wanted.gateway) return;
      throw new JournalError(
        'corrupt',
        `sluice: ${path} is the read replica of the shared store ${found.store} for gateway ${found.gateway}, ` +
          `not of ${wanted.store} for gateway ${wanted.gateway}: give journal.path a file of its own`,
      );
    }
    const records = db.prepare('SELECT count(*) FROM records').pluck().get();
    if (records !== 0) {
      throw new JournalError(
        'corrupt',
        `sluice: ${path} is a journal of its own with records, and cannot become the read replica of a ` +
          'shared store: give journal.path a new file when journal.store is set',
      );
    }
    db.prepare('INSERT INTO replica_of (store, gateway) VALUES (?, ?)').run(wanted.store, wanted.gateway);
  }).immediate();
}

function checkVersion(path: string, version: unknown, readonly: boolean): void {
  if (typeof version !== 'number') throw new JournalError('corrupt', `${path}: unreadable schema version`);
  if (version > JOURNAL_SCHEMA_VERSION) {
    throw new JournalError(
      'corrupt',
      `${path} has journal schema ${version}; this version of Sluice reads up to ${JOURNAL_SCHEMA_VERSION}`,
    );
  }
  // A reader takes a version 1 file as it is: it lacks only indexes, which make reads faster.
  if (readonly && version < 1) {
    throw new JournalError('corrupt', `${path} is not a Sluice journal (schema version ${version})`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
