import type Database from 'better-sqlite3';
import { type AccountRequest, checkAccountName } from './account-change.js';
import { AccountStore } from './accounts.js';
import { Chain, type ControlRecordType, type RecordType } from './chain.js';
import { guarded, guardedIteration, JournalError } from './errors.js';
import {
  type JournalRecovery,
  JournalWriter,
  type SharedStore,
  type WriterOptions,
} from './journal-writer.js';
import type { StatementHandle } from './pending.js';
import type { StoreAddress } from './pg/connect.js';
import { type PurgeResult, purgeOlderThan } from './purge.js';
import { RecordReader } from './record-reader.js';
import { readSessionTimeline, type SessionTimeline } from './replay.js';
import { openDatabase } from './schema.js';
import { readSessionList, type SessionListQuery, type SessionSummary } from './session-list.js';
import { outcomePayload, readStatements, statementPayload } from './statements.js';
import type {
  Account,
  AccountChanges,
  AccountEvent,
  JournalEntry,
  NewAccount,
  SessionStart,
  SignInFailure,
  StatementOutcome,
  StatementQuery,
  StatementRecord,
  StatementStart,
  VerifyResult,
} from './types.js';
import { verifyChain } from './verify.js';

export interface JournalOptions extends WriterOptions {
  /** Open for reading only: no lock, no writes, and only what is already in the store. */
  readonly readonly?: boolean;
  /**
   * The shared PostgreSQL store (`journal.store`) this gateway writes to; the journal file is
   * then this gateway's read replica of it. Ignored by a read-only open, which reads the replica.
   */
  readonly store?: StoreAddress;
  /** This gateway's id on the shared store (`journal.gateway_id`); required with `store`. */
  readonly gatewayId?: string;
}

/**
 * Sluice's tamper-evident journal (SPEC §7): sessions, statements and account events in one
 * SHA-256 hash chain, kept in a SQLite store that every reader uses.
 *
 * One process writes a journal (a writable open takes its writer lock). A statement is
 * journalled before it is forwarded: the gateway queues statement records (`queueStatement`)
 * and forwards them only once `afterCommit` says they are appended to the segment log, which
 * takes the records of every session in one write per event-loop turn; a worker thread moves
 * them into the store. `recordStatement` appends one at once.
 */
export class Journal {
  private readonly chain: Chain;
  private readonly accounts: AccountStore;
  /** Searches, ranges and counts of records of every type (audit evidence). */
  readonly records: RecordReader;

  private constructor(
    private readonly db: Database.Database,
    /** The write path; null for a read-only journal. */
    private readonly writer: JournalWriter | null,
  ) {
    this.chain = new Chain(db);
    this.records = new RecordReader(db, () => this.flushIfWritable());
    this.accounts = new AccountStore(db, this.chain);
  }

  /**
   * Opens a journal file, creating it and its schema unless `readonly`. A read-only open of a
   * missing file throws JournalError 'not-found'. A writable open takes the journal's writer
   * lock ('locked' while another process writes it) and first ingests what a previous run left
   * in the segment log ('corrupt' if that is damaged anywhere but a torn final record).
   */
  static open(path: string, options: JournalOptions = {}): Journal {
    const readonly = options.readonly ?? false;
    const shared = readonly ? undefined : sharedStore(options);
    const db = openDatabase(path, readonly, shared?.replica);
    try {
      return new Journal(db, readonly ? null : JournalWriter.open(db, path, options, shared));
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** What opening found in the segment log left by a previous run (null when read-only). */
  get recovery(): JournalRecovery | null {
    return this.writer?.recovery ?? null;
  }

  /**
   * Appends and ingests what is pending, releases the writer lock, and folds the WAL into the
   * database file so it can be copied on its own; idempotent.
   */
  close(): void {
    if (!this.db.open) return;
    try {
      if (this.writer) {
        this.writer.close();
        // Another process may still be reading: a partial checkpoint is fine, the next one finishes.
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      }
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
      ...(session.clientName ? { client_name: session.clientName } : {}),
    });
  }

  endSession(id: string, reason: string): void {
    this.append('record a session end', 'session_end', id, { reason });
  }

  /**
   * An approval request or decision, a grant change or an admin call, written at once in a
   * transaction of its own (with whatever is pending); returns its seq.
   */
  recordEvent(
    type: ControlRecordType,
    ref: string | null,
    payload: Readonly<Record<string, unknown>>,
  ): number {
    return this.append(
      `record ${type === 'admin' ? 'an admin call' : `a ${type} event`}`,
      type,
      ref,
      payload,
    );
  }

  /** A failed sign-in or a coalesced burst of them (IA-2); carries no secret. */
  recordSignInFailure(failure: SignInFailure): number {
    return this.append('record a failed sign-in', 'sign_in_failed', failure.user, {
      user: failure.user,
      method: failure.method,
      cause: failure.cause,
      reason: failure.reason,
      client_address: failure.clientAddress,
      connection: failure.connection,
      protocol: failure.protocol,
      count: failure.count,
      first_at: failure.firstAt,
      last_at: failure.lastAt,
    });
  }

  /**
   * Deletes the records older than `cutoff` (AU-11), journalling a `purge` checkpoint that
   * carries the hash of the last one deleted, so what remains still verifies. On a shared store,
   * this gateway's chain only: each gateway purges its own.
   */
  purge(cutoff: Date, actor: string): PurgeResult {
    if (this.writer?.shared) return this.writer.purgeShared(cutoff, actor);
    return this.writable().direct('purge old records', () =>
      purgeOlderThan(this.db, this.chain, cutoff, actor),
    );
  }

  /** Journals a statement before it is forwarded, in an append of its own; its seq is the statement id. */
  recordStatement(statement: StatementStart): number {
    return this.writable('record a statement').appendNow('record a statement', {
      type: 'statement',
      ref: statement.sessionId,
      payload: statementPayload(statement),
    });
  }

  /**
   * Queues a statement's record for the commit barrier at the end of this event-loop turn.
   * Nothing of the statement may be forwarded before `afterCommit` reports the handle committed.
   */
  queueStatement(statement: StatementStart): StatementHandle {
    return this.writable().queueStatement(statement.sessionId, statementPayload(statement));
  }

  /**
   * Calls back once every statement queued so far is appended or refused (see each handle's
   * `state`). Callbacks run after the commit barrier's append, never synchronously.
   */
  afterCommit(callback: () => void): void {
    this.writable().afterCommit(callback);
  }

  /** Records a statement's outcome; appended with the next record, or within a few milliseconds. */
  completeStatement(statement: number | StatementHandle, outcome: StatementOutcome): void {
    this.writable().queueOutcome(statement, outcomePayload(outcome));
  }

  /** Called after each append to the segment log with its duration and how many records it wrote (metrics). */
  observeCommits(observer: (seconds: number, records: number) => void): void {
    this.writable().observeAppends(observer);
  }

  /**
   * Appends records still waiting and brings the store up to date with the segment log, so
   * that readers — in this process or another — see everything written so far.
   */
  flush(): void {
    this.writable().catchUp();
  }

  /**
   * The write path's state, for readiness and metrics: records not yet in the store, why the
   * store cannot take them, and why the last append failed (in words fit for a client).
   */
  writeState(): {
    readonly unIngested: number;
    readonly ingestFailure: string | null;
    readonly appendFailure: string | null;
  } {
    const writer = this.writer;
    if (!writer) return { unIngested: 0, ingestFailure: null, appendFailure: null };
    return {
      unIngested: writer.unIngested,
      ingestFailure: writer.ingestFailure,
      appendFailure: writer.appendFailure,
    };
  }

  createAccount(input: NewAccount, actor: string): Account {
    return this.changeAccount('create an account', { action: 'create', input, actor });
  }

  rotateAccount(name: string, verifiers: Record<string, string>, actor: string): Account {
    return this.changeAccount('rotate an account', { action: 'rotate', name, verifiers, actor });
  }

  revokeAccount(name: string, actor: string, reason: string): Account {
    return this.changeAccount('revoke an account', { action: 'revoke', name, reason, actor });
  }

  /** Changes groups and/or expiry of an active account ('account-not-found' / 'account-revoked'). */
  modifyAccount(name: string, changes: AccountChanges, actor: string): Account {
    return this.changeAccount('modify an account', { action: 'modify', name, changes, actor });
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

  /** Records queued for the next append (statements and outcomes): the write queue's depth, for metrics. */
  get queuedRecords(): number {
    return this.writer?.queuedRecords ?? 0;
  }

  /** The seq of the newest record; 0 when the journal is empty. */
  headSeq(): number {
    if (this.writer) {
      this.writer.flush();
      return this.writer.headSeq;
    }
    return guarded('read the chain head', () => this.chain.head()?.seq ?? 0);
  }

  /** Every record of one control type after `afterSeq`, oldest first (grants read back at start). */
  entriesOfType(type: ControlRecordType, afterSeq = 0): JournalEntry[] {
    return this.records.ofType(type, afterSeq);
  }

  /** The newest `limit` records, oldest first. */
  tail(limit: number): JournalEntry[] {
    return this.records.newest(limit);
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

  /** One session as it happened: start, statements with their approvals and recorded rows, end. */
  sessionTimeline(session: string): SessionTimeline {
    this.flushIfWritable();
    return guarded('read a session', () => readSessionTimeline(this.db, session));
  }

  /** The newest sessions first, ended or not, for the console's search of past sessions. */
  sessionList(query: SessionListQuery = {}): SessionSummary[] {
    this.flushIfWritable();
    return guarded('list sessions', () => readSessionList(this.db, query));
  }

  verify(): VerifyResult {
    this.flushIfWritable();
    return guarded('verify the chain', () => verifyChain(this.db));
  }

  private flushIfWritable(): void {
    this.writer?.catchUp();
  }

  private writable(action = 'write'): JournalWriter {
    if (this.writer) return this.writer;
    throw new JournalError('unavailable', `cannot ${action}: the journal is open read-only`);
  }

  /**
   * An account change, usually through the admin API while the gateway runs; on a shared store
   * it is made there, so every gateway sees it.
   */
  private changeAccount(action: string, request: AccountRequest): Account {
    const writer = this.writable();
    checkAccountName(request);
    if (writer.shared) return writer.changeSharedAccount(request);
    return writer.direct(action, () => this.accounts.change(request));
  }

  private append(
    action: string,
    type: RecordType,
    ref: string | null,
    payload: Readonly<Record<string, unknown>>,
  ): number {
    return this.writable().appendNow(action, { type, ref, payload: JSON.stringify(payload) });
  }
}

function sharedStore(options: JournalOptions): SharedStore | undefined {
  const address = options.store;
  if (!address) return undefined;
  const gatewayId = options.gatewayId;
  if (!gatewayId) throw new JournalError('unavailable', 'sluice: journal.store needs journal.gateway_id');
  const replica = { store: `${address.host}:${address.port}/${address.database}`, gateway: gatewayId };
  return { address, gatewayId, replica };
}
