import type Database from 'better-sqlite3';
import { AccountStore } from './accounts.js';
import { Chain, type RecordType } from './chain.js';
import { guarded, guardedIteration } from './errors.js';
import { parseObject } from './payload-fields.js';
import { openDatabase } from './schema.js';
import { outcomePayload, readStatements, statementPayload } from './statements.js';
import type {
  Account,
  AccountChanges,
  AccountEvent,
  JournalEntry,
  NewAccount,
  SessionStart,
  StatementOutcome,
  StatementQuery,
  StatementRecord,
  StatementStart,
  VerifyResult,
} from './types.js';
import { verifyChain } from './verify.js';

/** How long an outcome may wait for the next record's transaction. */
const OUTCOME_DELAY_MS = 20;

interface EntryRow {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly ref: string | null;
  readonly payload: string;
  readonly hash: string;
}

/**
 * Sluice's tamper-evident journal (SPEC §7): sessions, statements and account events in one
 * SHA-256 hash chain in a SQLite file that the gateway and the CLI use at the same time.
 * Everything is synchronous: a statement is journalled before it is forwarded.
 */
export class Journal {
  private readonly chain: Chain;
  private readonly accounts: AccountStore;
  private readonly appendRecord: Database.Transaction<
    (type: RecordType, ref: string | null, payload: string) => number
  >;
  private readonly selectTail: Database.Statement<[number], EntryRow>;
  /**
   * Outcomes wait briefly and are written in the transaction of the next record (or after
   * OUTCOME_DELAY_MS): one transaction per statement instead of two. A crash loses at most
   * these few outcomes, never the record of a statement that was forwarded.
   */
  private readonly pendingOutcomes: { readonly id: number; readonly payload: string }[] = [];
  private outcomeTimer: NodeJS.Timeout | undefined;
  private readonly appendOutcomes: Database.Transaction<() => void>;

  private constructor(
    private readonly db: Database.Database,
    private readonly isReadonly: boolean,
  ) {
    this.chain = new Chain(db);
    this.accounts = new AccountStore(db, this.chain);
    this.appendOutcomes = db.transaction(() => this.writePendingOutcomes());
    this.appendRecord = db.transaction((type, ref, payload) => {
      this.writePendingOutcomes();
      return this.chain.append(type, ref, payload, new Date().toISOString()).seq;
    });
    this.selectTail = db.prepare(
      'SELECT seq, at, type, ref, payload, hash FROM (SELECT * FROM records ORDER BY seq DESC LIMIT ?) ORDER BY seq',
    );
  }

  /**
   * Opens a journal file, creating it and its schema unless `readonly`. A read-only open of a
   * missing file throws JournalError 'not-found'.
   */
  static open(path: string, options: { readonly readonly?: boolean } = {}): Journal {
    const readonly = options.readonly ?? false;
    return new Journal(openDatabase(path, readonly), readonly);
  }

  /** Folds the WAL into the database file so it can be copied on its own; idempotent. */
  close(): void {
    if (!this.db.open) return;
    try {
      clearTimeout(this.outcomeTimer);
      if (!this.isReadonly) this.flush();
      // Another process may still be reading: a partial checkpoint is fine, the next one finishes.
      if (!this.isReadonly) this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }

  startSession(session: SessionStart): void {
    this.append('record a session start', 'session_start', session.id, {
      identity: session.identity,
      groups: session.groups,
      connection: session.connection,
      protocol: session.protocol,
      client_address: session.clientAddress,
      auth_method: session.authMethod,
    });
  }

  endSession(id: string, reason: string): void {
    this.append('record a session end', 'session_end', id, { reason });
  }

  /** Journals a statement before it is forwarded; its seq is the statement id. */
  recordStatement(statement: StatementStart): number {
    const payload = statementPayload(statement);
    return this.commit('record a statement', () =>
      this.appendRecord.immediate('statement', statement.sessionId, payload),
    );
  }

  /** Records a statement's outcome; written with the next record, or within OUTCOME_DELAY_MS. */
  completeStatement(id: number, outcome: StatementOutcome): void {
    this.pendingOutcomes.push({ id, payload: outcomePayload(outcome) });
    this.outcomeTimer ??= setTimeout(() => {
      this.outcomeTimer = undefined;
      try {
        this.flush();
      } catch {
        // Still pending: the next append retries them, and fails loudly if it cannot.
      }
    }, OUTCOME_DELAY_MS);
  }

  /** Writes outcomes still waiting; readers in this process call it so they see everything. */
  flush(): void {
    if (this.pendingOutcomes.length === 0) return;
    this.commit('record statement outcomes', () => this.appendOutcomes.immediate());
  }

  createAccount(input: NewAccount, actor: string): Account {
    this.flush();
    return guarded('create an account', () => this.accounts.create(input, actor));
  }

  rotateAccount(name: string, verifiers: Record<string, string>, actor: string): Account {
    this.flush();
    return guarded('rotate an account', () => this.accounts.rotate(name, verifiers, actor));
  }

  revokeAccount(name: string, actor: string, reason: string): Account {
    this.flush();
    return guarded('revoke an account', () => this.accounts.revoke(name, actor, reason));
  }

  /** Changes groups and/or expiry of an active account ('account-not-found' / 'account-revoked'). */
  modifyAccount(name: string, changes: AccountChanges, actor: string): Account {
    this.flush();
    return guarded('modify an account', () => this.accounts.modify(name, changes, actor));
  }

  getAccount(name: string): Account | undefined {
    return guarded('read an account', () => this.accounts.get(name));
  }

  listAccounts(): Account[] {
    return guarded('list accounts', () => this.accounts.list());
  }

  /** Account records appended after `afterSeq` (for a running gateway to notice revocations made by another process). */
  accountEventsSince(afterSeq: number): AccountEvent[] {
    return guarded('read account events', () => this.accounts.eventsSince(afterSeq));
  }

  /** The seq of the newest record; 0 when the journal is empty. */
  headSeq(): number {
    this.flushIfWritable();
    return guarded('read the chain head', () => this.chain.head()?.seq ?? 0);
  }

  /** The newest `limit` records, oldest first. */
  tail(limit: number): JournalEntry[] {
    if (limit <= 0) return [];
    this.flushIfWritable();
    const rows = guarded('read the newest records', () => this.selectTail.all(limit));
    return rows.map((row) => ({ ...row, payload: parseObject(row.payload, `record ${row.seq}`) }));
  }

  /**
   * The statements journalled so far, oldest first, each joined with its outcome, read page by
   * page as the iteration goes on; appending meanwhile is fine.
   */
  statements(query?: StatementQuery): IterableIterator<StatementRecord> {
    const action = 'read statements';
    this.flushIfWritable();
    return guardedIteration(
      action,
      guarded(action, () => readStatements(this.db, query)),
    );
  }

  verify(): VerifyResult {
    this.flushIfWritable();
    return guarded('verify the chain', () => verifyChain(this.db));
  }

  private flushIfWritable(): void {
    if (!this.isReadonly) this.flush();
  }

  private writePendingOutcomes(): void {
    const at = new Date().toISOString();
    for (const outcome of this.pendingOutcomes)
      this.chain.append('statement_end', String(outcome.id), outcome.payload, at);
  }

  /** Runs an appending transaction; pending outcomes are dropped from memory only once it committed. */
  private commit<T>(action: string, run: () => T): T {
    const result = guarded(action, run);
    this.pendingOutcomes.length = 0;
    return result;
  }

  private append(
    action: string,
    type: RecordType,
    ref: string | null,
    payload: Readonly<Record<string, unknown>>,
  ): number {
    const text = JSON.stringify(payload);
    return this.commit(action, () => this.appendRecord.immediate(type, ref, text));
  }
}
