import type { ChainLink, RecordType } from './chain.js';

/** Where pending records are appended: the chain's end, in a store transaction or a segment batch. */
export interface RecordSink {
  append(type: RecordType, ref: string | null, payload: string, at: string): ChainLink;
}

/**
 * A statement's record queued for the journal's next group commit. Its id, the record's seq,
 * exists only once the record is committed; a statement whose record was refused must not run.
 */
export interface StatementHandle {
  /** The statement id (`audit export`'s `id`) once committed; null before, and if refused. */
  readonly id: number | null;
  /**
   * `queued` until the commit barrier after it, then `committed`, or `refused` when the journal
   * could not be written.
   */
  readonly state: 'queued' | 'committed' | 'refused';
}

class QueuedStatement implements StatementHandle {
  id: number | null = null;
  state: 'queued' | 'committed' | 'refused' = 'queued';

  constructor(
    readonly sessionId: string,
    readonly payload: string,
  ) {}
}

interface PendingOutcome {
  readonly statement: number | QueuedStatement;
  readonly payload: string;
}

/**
 * Records waiting in memory for the next write transaction, in the order they happened:
 * statements queued for the commit barrier, and outcomes waiting to share a transaction with
 * later records. Written all at once through one chain cursor, so the head is read once.
 */
export class PendingRecords {
  private entries: (QueuedStatement | PendingOutcome)[] = [];
  private queuedStatements = 0;

  get empty(): boolean {
    return this.entries.length === 0;
  }

  /** Records waiting to be written (outcomes of refused statements excepted, as they are dropped). */
  get size(): number {
    return this.entries.length;
  }

  /** Statement records are waiting: a commit barrier must write them before they are forwarded. */
  get hasStatements(): boolean {
    return this.queuedStatements > 0;
  }

  queueStatement(sessionId: string, payload: string): StatementHandle {
    const statement = new QueuedStatement(sessionId, payload);
    this.entries.push(statement);
    this.queuedStatements += 1;
    return statement;
  }

  /** Queues an outcome; one of a refused statement is dropped, as that statement never ran. */
  queueOutcome(statement: number | StatementHandle, payload: string): void {
    if (typeof statement === 'number') {
      this.entries.push({ statement, payload });
      return;
    }
    if (!(statement instanceof QueuedStatement)) throw new TypeError('not a statement of this journal');
    if (statement.state === 'refused') return;
    const committed = statement.state === 'committed' ? statement.id : null;
    this.entries.push({ statement: committed ?? statement, payload });
  }

  /**
   * Appends every entry; runs inside the write transaction. Every record gets the time of the
   * transaction, so times never go backwards along the chain. Ids are final only after `committed()`.
   */
  write(cursor: RecordSink, at: string): void {
    for (const entry of this.entries) {
      if (entry instanceof QueuedStatement) {
        entry.id = cursor.append('statement', entry.sessionId, entry.payload, at).seq;
        continue;
      }
      const id = typeof entry.statement === 'number' ? entry.statement : entry.statement.id;
      if (id !== null) cursor.append('statement_end', String(id), entry.payload, at);
    }
  }

  /** The transaction that wrote the entries committed. */
  committed(): void {
    for (const entry of this.entries) if (entry instanceof QueuedStatement) entry.state = 'committed';
    this.entries = [];
    this.queuedStatements = 0;
  }

  /** The transaction rolled back: everything stays pending for the next one. */
  rolledBack(): void {
    for (const entry of this.entries) if (entry instanceof QueuedStatement) entry.id = null;
  }

  /**
   * The commit barrier could not write the queued statements: they are refused (and will not
   * run), with their outcomes; other outcomes stay pending for the next transaction.
   */
  refuseStatements(): void {
    this.rolledBack();
    this.entries = this.entries.filter((entry) => {
      if (entry instanceof QueuedStatement) {
        entry.state = 'refused';
        return false;
      }
      return typeof entry.statement === 'number' || entry.statement.state !== 'refused';
    });
    this.queuedStatements = 0;
  }
}
