import { unlinkSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { AccountRequest } from './account-change.js';
import { ChainHead, type ChainLink, type RecordType } from './chain.js';
import { guarded, JournalError } from './errors.js';
import { Ingester } from './ingester.js';
import { LocalIngest } from './local-ingest.js';
import { PendingRecords, type RecordSink, type StatementHandle } from './pending.js';
import type { StoreAddress } from './pg/connect.js';
import type { PurgeResult } from './purge.js';
import type { ReplicaOf } from './schema.js';
import { listSegments, segmentDirectory } from './segments/segment-files.js';
import { type IngestRound, SegmentIngest } from './segments/segment-ingest.js';
import { encodeRecords, type SealedRecord } from './segments/segment-record.js';
import { DEFAULT_SEGMENT_BYTES, type JournalSync, SegmentWriter } from './segments/segment-writer.js';
import { StoreLink } from './store-link.js';
import type { Account } from './types.js';
import { writeSoon } from './write-lock.js';
import { WriterLock } from './writer-lock.js';

/** How long an outcome may wait to share the next append. */
const OUTCOME_DELAY_MS = 20;

export interface WriterOptions {
  /** `none` (default) survives a crash of the process; `always` adds fdatasync per append. */
  readonly sync?: JournalSync;
  /** Segments roll at this size (16 MiB by default). */
  readonly segmentBytes?: number;
  /** Appends are refused while the journal's disk has less free space than this (default 0: none). */
  readonly minFreeBytes?: number;
}

/** What opening found in the segment log a previous run left behind. */
export interface JournalRecovery {
  /** Records moved from left-over segments into the store. */
  readonly records: number;
  /** A record torn by a crash at the end of the newest segment: dropped, its statement never ran. */
  readonly torn: IngestRound['torn'];
}

/** A gateway's place on a shared store: its records go there, and the journal file is its replica. */
export interface SharedStore {
  readonly address: StoreAddress;
  readonly gatewayId: string;
  readonly replica: ReplicaOf;
}

export interface NewRecord {
  readonly type: RecordType;
  readonly ref: string | null;
  readonly payload: string;
}

/**
 * The write path of the one process that writes a journal (SPEC §7). Records are sealed into
 * the chain in memory and appended to the segment log — one write per event-loop turn — before
 * anything they describe is forwarded; a worker moves them into the store. Account changes and
 * purges, rare and transactional, catch the store up and then write it directly.
 */
export class JournalWriter {
  private readonly pending = new PendingRecords();
  private outcomeTimer: NodeJS.Timeout | undefined;
  private barrier: NodeJS.Immediate | undefined;
  private readonly commitWaiters: (() => void)[] = [];
  private appendObserver: ((seconds: number, records: number) => void) | null = null;

  private constructor(
    private readonly db: Database.Database,
    private readonly lock: WriterLock,
    private readonly head: ChainHead,
    private readonly segments: SegmentWriter,
    private readonly store: LocalIngest | StoreLink,
    readonly recovery: JournalRecovery,
  ) {}

  /**
   * Takes the journal's writer lock, ingests what a previous run left in the segment log
   * (dropping a torn final record, refusing damage anywhere else), and starts the ingest worker.
   */
  static open(
    db: Database.Database,
    journalPath: string,
    options: WriterOptions,
    shared?: SharedStore,
  ): JournalWriter {
    const directory = segmentDirectory(journalPath);
    const lock = WriterLock.take(directory, journalPath);
    try {
      const started = shared
        ? startShared(journalPath, directory, shared)
        : startLocal(db, journalPath, directory);
      const segments = new SegmentWriter(
        directory,
        options.sync ?? 'none',
        options.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
        options.minFreeBytes ?? 0,
      );
      return new JournalWriter(
        db,
        lock,
        new ChainHead(started.head),
        segments,
        started.store,
        started.recovery,
      );
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Whether records go to a shared store (the journal file is then its replica). */
  get shared(): boolean {
    return this.store instanceof StoreLink;
  }

  /** The newest record's seq, appended or not yet ingested. */
  get headSeq(): number {
    return this.head.seq;
  }

  /** Records queued for the next append (statements and outcomes). */
  get queuedRecords(): number {
    return this.pending.size;
  }

  /** Records appended but not yet in the store (the reader lag, in records). */
  get unIngested(): number {
    return this.head.seq - this.store.ingested;
  }

  /** Why the ingest worker cannot move records into the store, if it cannot. */
  get ingestFailure(): string | null {
    return this.store.failure;
  }

  /** Why the last append failed, in words fit for a client; null once an append succeeds. */
  appendFailure: string | null = null;

  observeAppends(observer: (seconds: number, records: number) => void): void {
    this.appendObserver = observer;
  }

  queueStatement(sessionId: string, payload: string): StatementHandle {
    const handle = this.pending.queueStatement(sessionId, payload);
    this.scheduleBarrier();
    return handle;
  }

  afterCommit(callback: () => void): void {
    this.commitWaiters.push(callback);
    this.scheduleBarrier();
  }

  queueOutcome(statement: number | StatementHandle, payload: string): void {
    this.pending.queueOutcome(statement, payload);
    this.outcomeTimer ??= setTimeout(() => {
      this.outcomeTimer = undefined;
      try {
        this.flush();
      } catch {
        // Still pending: the next append retries them, and fails loudly if it cannot.
      }
    }, OUTCOME_DELAY_MS);
  }

  /** Appends what is pending, then `record`, in one write; returns the record's seq. */
  appendNow(action: string, record: NewRecord): number {
    return this.append(action, record);
  }

  /** Appends records still waiting (to the segment log only). */
  flush(): void {
    if (!this.pending.empty) this.append('record statement outcomes', null);
  }

  /** Appends what waits and brings the store up to the head: readers in this process then see everything. */
  catchUp(): void {
    this.flush();
    this.store.catchUp(this.head.seq);
  }

  /** A change written to the SQLite store directly in a transaction of its own (accounts, purges). */
  direct<T>(action: string, change: () => T): T {
    const store = this.store;
    if (!(store instanceof LocalIngest)) {
      throw new JournalError('unavailable', `sluice: cannot ${action} on a gateway of a shared store`);
    }
    this.catchUp();
    const result = writeSoon(this.db, action, change);
    this.head.advance(store.afterDirect(action));
    return result;
  }

  /** An account change made in the shared store, after the records appended so far. */
  changeSharedAccount(request: AccountRequest): Account {
    const store = this.store;
    if (!(store instanceof StoreLink)) throw new Error('not a gateway of a shared store');
    this.flush();
    const change = store.changeAccount(request, this.head.seq);
    this.head.advance(change.head);
    store.published(change.head.seq);
    return change.account;
  }

  /** A purge of this gateway's chain in the shared store, after the records appended so far. */
  purgeShared(cutoff: Date, actor: string): PurgeResult {
    const store = this.store;
    if (!(store instanceof StoreLink)) throw new Error('not a gateway of a shared store');
    this.flush();
    const purge = store.purge(cutoff, actor, this.head.seq);
    this.head.advance(purge.head);
    store.published(purge.head.seq);
    return purge.result;
  }

  /** Appends and ingests everything, stops the worker, releases the lock; the store then holds it all. */
  close(): void {
    try {
      clearTimeout(this.outcomeTimer);
      this.commitBarrier();
      this.flush();
      this.segments.close();
      this.store.close(this.head.seq);
    } finally {
      this.lock.release();
    }
  }

  private scheduleBarrier(): void {
    this.barrier ??= setImmediate(() => this.commitBarrier());
  }

  /**
   * One append for the statements every session queued during this event-loop turn; if it
   * fails they are refused. Then the sessions waiting on it go on.
   */
  private commitBarrier(): void {
    clearImmediate(this.barrier);
    this.barrier = undefined;
    if (this.pending.hasStatements) {
      try {
        this.append('record statements', null);
      } catch {
        this.pending.refuseStatements();
      }
    }
    for (const waiter of this.commitWaiters.splice(0)) waiter();
  }

  private append(action: string, record: NewRecord | null): number {
    const started = this.appendObserver ? process.hrtime.bigint() : 0n;
    const at = new Date().toISOString();
    const batch = new SegmentBatch(this.head);
    this.pending.write(batch, at);
    const seq = record ? batch.append(record.type, record.ref, record.payload, at).seq : 0;
    const first = batch.records[0];
    const last = batch.records.at(-1);
    if (!first || !last) return seq;
    try {
      const statements = this.pending.hasStatements || record?.type === 'statement';
      this.segments.append(encodeRecords(batch.records), first.seq, statements);
    } catch (error) {
      this.pending.rolledBack();
      this.appendFailure = failureReason(error);
      if (error instanceof JournalError) throw error;
      throw new JournalError('unavailable', `cannot ${action}: ${describe(error)}`, { cause: error });
    }
    this.appendFailure = null;
    this.head.advance(last);
    this.pending.committed();
    this.store.published(last.seq);
    this.appendObserver?.(Number(process.hrtime.bigint() - started) / 1e9, batch.records.length);
    return seq;
  }
}

interface Started {
  readonly head: ChainLink;
  readonly store: LocalIngest | StoreLink;
  readonly recovery: JournalRecovery;
}

/** A journal of its own: what a previous run left in the segment log goes into the SQLite file first. */
function startLocal(db: Database.Database, journalPath: string, directory: string): Started {
  const ingest = new SegmentIngest(db, directory);
  const round = guarded('ingest the segment log', () => ingest.run(Number.MAX_SAFE_INTEGER, 'recover'));
  // Everything whole is in the store now; a torn tail must not be appended after.
  for (const segment of listSegments(directory)) unlinkSync(segment.path);
  const ingester = new Ingester(journalPath, directory, round.head.seq);
  return {
    head: round.head,
    store: new LocalIngest(ingest, ingester, directory),
    recovery: { records: round.ingested, torn: round.torn },
  };
}

/** A gateway of a shared store: its worker connects, recovers the segment log into the store and syncs the replica. */
function startShared(journalPath: string, directory: string, shared: SharedStore): Started {
  const started = StoreLink.start(journalPath, directory, shared.replica, shared.address, shared.gatewayId);
  return {
    head: started.head,
    store: started.link,
    recovery: { records: started.recovered, torn: started.torn },
  };
}

/** The records of one append, sealed one after the other from the chain's head. */
class SegmentBatch implements RecordSink {
  readonly records: SealedRecord[] = [];
  private link: ChainLink;

  constructor(private readonly head: ChainHead) {
    this.link = { seq: head.seq, hash: head.hash };
  }

  append(type: RecordType, ref: string | null, payload: string, at: string): ChainLink {
    const record = this.head.seal(type, ref, payload, at, this.link);
    this.records.push(record);
    this.link = record;
    return record;
  }
}

/** What a client may be told: no path, no detail of the host beyond the kind of failure. */
function failureReason(error: unknown): string {
  if (error instanceof JournalError && error.code === 'disk-full') {
    return 'the disk holding the journal is below journal.min_free_space';
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'the disk holding the journal is full';
  return `the journal's segment log cannot be written${code ? ` (${code})` : ''}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
