import type Database from 'better-sqlite3';
import { AccountStore } from './accounts.js';
import { Chain, type ControlRecordType, type RecordType } from './chain.js';
import { Checkpoints } from './checkpoints.js';
import { guarded, guardedIteration, journalFailure } from './errors.js';
import { parseObject } from './payload-fields.js';
import { PendingRecords, type StatementHandle } from './pending.js';
import { readSessionTimeline, type SessionTimeline } from './replay.js';
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
import { writeSoon } from './write-lock.js';

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

interface NewRecord {
  readonly type: RecordType;
  readonly ref: string | null;
  readonly payload: string;
}

/**
 * Sluice's tamper-evident journal (SPEC §7): sessions, statements and account events in one
 * SHA-256 hash chain in a SQLite file that the gateway and the CLI use at the same time.
 *
 * A statement is journalled before it is forwarded. The gateway queues statement records
 * (`queueStatement`) and forwards them only once `afterCommit` says they are committed: one
 * commit barrier per event-loop turn writes the records of every session in one transaction.
 * `recordStatement` writes one at once, in a transaction of its own.
 */
export class Journal {
  private readonly chain: Chain;
  private readonly accounts: AccountStore;
  private readonly writePending: Database.Transaction<(record: NewRecord | null) => number>;
  private readonly selectTail: Database.Statement<[number], EntryRow>;
  private readonly selectOfType: Database.Statement<[string, number], EntryRow>;
  /**
   * Queued statements, and outcomes: these wait briefly to be written in the transaction of
   * the next record (or after OUTCOME_DELAY_MS), so a statement costs one transaction, not two.
   * A crash loses at most these few outcomes, never the record of a statement that was forwarded.
   */
  private readonly pending = new PendingRecords();
  private outcomeTimer: NodeJS.Timeout | undefined;
  private barrier: NodeJS.Immediate | undefined;
  private readonly commitWaiters: (() => void)[] = [];
  private readonly checkpoints: Checkpoints | null;
  private commitObserver: ((seconds: number, records: number) => void) | null = null;

  private constructor(
    private readonly db: Database.Database,
    private readonly isReadonly: boolean,
    path: string,
  ) {
    this.checkpoints = isReadonly ? null : new Checkpoints(db, path);
    this.chain = new Chain(db);
    this.accounts = new AccountStore(db, this.chain);
    this.writePending = db.transaction((record) => {
      const cursor = this.chain.cursor();
      const at = new Date().toISOString();
      this.pending.write(cursor, at);
      return record ? cursor.append(record.type, record.ref, record.payload, at).seq : 0;
    });
    this.selectOfType = db.prepare(
      'SELECT seq, at, type, ref, payload, hash FROM records WHERE type = ? AND seq > ? ORDER BY seq',
    );
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
    return new Journal(openDatabase(path, readonly), readonly, path);
  }

  /** Writes what is pending and folds the WAL into the database file so it can be copied on its own; idempotent. */
  close(): void {
    if (!this.db.open) return;
    try {
      clearTimeout(this.outcomeTimer);
      this.checkpoints?.close();
      if (!this.isReadonly) {
        this.commitBarrier();
        this.flush();
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

  /** Every record of one control type after `afterSeq`, oldest first (grants read back at start). */
  entriesOfType(type: ControlRecordType, afterSeq = 0): JournalEntry[] {
    this.flushIfWritable();
    const rows = guarded(`read ${type} records`, () => this.selectOfType.all(type, afterSeq));
    return rows.map((row) => ({ ...row, payload: parseObject(row.payload, `record ${row.seq}`) }));
  }

  /** Journals a statement before it is forwarded, in a transaction of its own; its seq is the statement id. */
  recordStatement(statement: StatementStart): number {
    return this.commit('record a statement', {
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
    const handle = this.pending.queueStatement(statement.sessionId, statementPayload(statement));
    this.scheduleBarrier();
    return handle;
  }

  /**
   * Calls back once every statement queued so far is committed or refused (see each handle's
   * `state`). Callbacks run after the commit barrier's transaction, never synchronously.
   */
  afterCommit(callback: () => void): void {
    this.commitWaiters.push(callback);
    this.scheduleBarrier();
  }

  /** Records a statement's outcome; written with the next record, or within OUTCOME_DELAY_MS. */
  completeStatement(statement: number | StatementHandle, outcome: StatementOutcome): void {
    this.pending.queueOutcome(statement, outcomePayload(outcome));
    this.outcomeTimer ??= setTimeout(() => {
      this.outcomeTimer = undefined;
      try {
        this.flush();
      } catch {
        // Still pending: the next append retries them, and fails loudly if it cannot.
      }
    }, OUTCOME_DELAY_MS);
  }

  /** Called after each commit with its duration and how many records it wrote (metrics). */
  observeCommits(observer: (seconds: number, records: number) => void): void {
    this.commitObserver = observer;
  }

  /** Writes records still waiting; readers in this process call it so they see everything. */
  flush(): void {
    if (this.pending.empty) return;
    this.commit('record statement outcomes', null);
  }

  createAccount(input: NewAccount, actor: string): Account {
    return this.changeAccount('create an account', () => this.accounts.create(input, actor));
  }

  rotateAccount(name: string, verifiers: Record<string, string>, actor: string): Account {
    return this.changeAccount('rotate an account', () => this.accounts.rotate(name, verifiers, actor));
  }

  revokeAccount(name: string, actor: string, reason: string): Account {
    return this.changeAccount('revoke an account', () => this.accounts.revoke(name, actor, reason));
  }

  /** Changes groups and/or expiry of an active account ('account-not-found' / 'account-revoked'). */
  modifyAccount(name: string, changes: AccountChanges, actor: string): Account {
    return this.changeAccount('modify an account', () => this.accounts.modify(name, changes, actor));
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

  /** Records queued for the next commit (statements and outcomes): the write queue's depth, for metrics. */
  get queuedRecords(): number {
    return this.pending.size;
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

  /** One session as it happened: start, statements with their approvals and recorded rows, end. */
  sessionTimeline(session: string): SessionTimeline {
    this.flushIfWritable();
    return guarded('read a session', () => readSessionTimeline(this.db, session));
  }

  verify(): VerifyResult {
    this.flushIfWritable();
    return guarded('verify the chain', () => verifyChain(this.db));
  }

  private flushIfWritable(): void {
    if (!this.isReadonly) this.flush();
  }

  /** An account change, usually a CLI command while a gateway writes the same file. */
  private changeAccount<T>(action: string, change: () => T): T {
    this.flush();
    return writeSoon(this.db, action, change);
  }

  private scheduleBarrier(): void {
    this.barrier ??= setImmediate(() => this.commitBarrier());
  }

  /**
   * One transaction for the statements that every session queued during this event-loop turn;
   * if it fails they are refused. Then the sessions waiting on it go on.
   */
  private commitBarrier(): void {
    clearImmediate(this.barrier);
    this.barrier = undefined;
    if (this.pending.hasStatements) {
      try {
        this.commit('record statements', null);
      } catch {
        this.pending.refuseStatements();
      }
    }
    for (const waiter of this.commitWaiters.splice(0)) waiter();
  }

  /** Writes what is pending, then `record` if any, in one transaction; pending records are kept if it fails. */
  private commit(action: string, record: NewRecord | null): number {
    const records = this.pending.size + (record ? 1 : 0);
    const started = this.commitObserver ? process.hrtime.bigint() : 0n;
    let seq: number;
    try {
      seq = this.writePending.immediate(record);
    } catch (error) {
      this.pending.rolledBack();
      throw journalFailure(action, error);
    }
    // The outcome timer, if any, is left to run: re-arming it for every commit would cost more
    // than the rare flush that finds nothing to write.
    this.pending.committed();
    this.checkpoints?.committed(records);
    this.commitObserver?.(Number(process.hrtime.bigint() - started) / 1e9, records);
    return seq;
  }

  private append(
    action: string,
    type: RecordType,
    ref: string | null,
    payload: Readonly<Record<string, unknown>>,
  ): number {
    return this.commit(action, { type, ref, payload: JSON.stringify(payload) });
  }
}
