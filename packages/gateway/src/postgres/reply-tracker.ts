import type { RecordedRows, StatementHandle } from '@sluice/journal';
import type { StatementAnalysis } from '@sluice/sql';
import { backend } from '@sluice/wire-postgres';
import type { RowMask } from './row-masking.js';

/** One journalled statement execution, from forward to its last reply. */
export interface StatementRun {
  /** The statement id in the journal, known once its record is committed. */
  readonly id: number | null;
  /** The queued journal record its outcome is written for; a run without one is known by `id` alone. */
  readonly record?: StatementHandle;
  readonly startedAt: bigint;
  dataRows: number;
  taggedRows: number | null;
  error: string | null;
  /** 'table.column' names masked in its results, once known. */
  maskedColumns?: readonly string[];
  /** Values detectors masked in its results. */
  detectorMatches?: number;
  /** Its first rows as the client received them, with `journal.record_rows`. */
  recorded?: RecordedRows;
}

/** A simple Query (or fastpath call) whose statements finish one CommandComplete at a time. */
export interface QueryExpectation {
  readonly kind: 'query';
  readonly runs: readonly StatementRun[];
  /** One per run, when the statements were analysed. */
  readonly analyses?: readonly (StatementAnalysis | undefined)[];
  current: number;
  /** The mask of the result being returned now; null when its rows pass untouched. */
  mask?: RowMask | null;
}

/** What the rows of a portal need: its statement's analysis, and the mask its description led to. */
export interface PortalResult {
  readonly analysis: StatementAnalysis | undefined;
  mask: RowMask | null;
}

/**
 * A blocked statement: the server was sent a statement that fails in its place, so that it
 * leaves the transaction as a failed statement would; its error is replaced by Sluice's. In the
 * extended protocol it was sent as Parse, Bind and Execute, whose completions are dropped, and
 * the client's messages up to Sync are discarded; the Sync itself is forwarded.
 */
export interface BlockedExpectation {
  readonly kind: 'blocked';
  readonly error: Buffer;
  readonly extended: boolean;
}

/** What the server owes the client for each message forwarded, in order (PgDog's ProtocolState). */
export type Expected =
  | QueryExpectation
  | BlockedExpectation
  | {
      readonly kind: 'execute';
      readonly run: StatementRun;
      readonly portal: string;
      readonly result?: PortalResult | null;
    }
  | DescribeExpectation
  /** A hidden Close is Sluice's own (before a name is reused) and its reply is dropped. */
  | { readonly kind: 'close'; readonly hidden?: boolean }
  | { readonly kind: 'parse' | 'bind' | 'sync' };

/**
 * A Describe. One of a portal yields the description its rows are masked by; a hidden one is
 * Sluice's own (sent after Bind so every portal's rows are described) and its reply is dropped.
 */
export interface DescribeExpectation {
  readonly kind: 'describe';
  readonly result?: PortalResult | null;
  readonly hidden?: boolean;
}

export interface ReplyTrackerEvents {
  complete(run: StatementRun): void;
  /** ReadyForQuery arrived: the server is idle and reports this transaction status. */
  ready(status: 'I' | 'T' | 'E'): void;
}

/** What to send the client for a server frame: the frame itself, other bytes, or nothing. */
export type ReplyAction = undefined | Buffer | null;

const SKIPPED_IN_PIPELINE = 'not executed: an earlier message of the pipeline failed';
const SKIPPED_IN_QUERY = 'not executed: an earlier statement of the query failed';

/**
 * Attributes every server reply to the client message that caused it, so pipelined statements
 * are journalled with their own rows and errors. Only the few reply types that end or describe
 * a statement are looked at; rows are counted without decoding them.
 */
export class ReplyTracker {
  private readonly queue: Expected[] = [];
  private head = 0;
  /** Portals suspended by an Execute row limit: their run continues with the next Execute. */
  private readonly suspended = new Map<string, StatementRun>();

  constructor(private readonly events: ReplyTrackerEvents) {}

  expect(entry: Expected): void {
    this.queue.push(entry);
  }

  /** The entry the next server reply belongs to. */
  get current(): Expected | undefined {
    return this.queue[this.head];
  }

  /** The run that rows arriving now belong to, if any. */
  get currentRun(): StatementRun | undefined {
    return runOf(this.queue[this.head]);
  }

  get idle(): boolean {
    return this.head === this.queue.length;
  }

  /** A run resumed by a new Execute of a suspended portal keeps its journal record. */
  takeSuspended(portal: string): StatementRun | undefined {
    const run = this.suspended.get(portal);
    this.suspended.delete(portal);
    return run;
  }

  /** A Bind or Close replaces the portal: what it had produced so far is final. */
  portalReplaced(portal: string): void {
    const run = this.suspended.get(portal);
    if (!run) return;
    this.suspended.delete(portal);
    this.events.complete(run);
  }

  /** Called for every server frame before it is forwarded. `bytes` is only read for a few types. */
  onServerFrame(code: number, bytes: Buffer): ReplyAction {
    const current = this.queue[this.head];
    if (current?.kind === 'blocked') return this.onBlockedReply(current, code, bytes);
    switch (code) {
      case backend.DataRow.code: {
        const run = runOf(current);
        if (run) run.dataRows++;
        return undefined;
      }
      case backend.CommandComplete.code:
        this.onCommandComplete(current, bytes);
        return undefined;
      case backend.EmptyQueryResponse.code:
        if (current?.kind === 'execute') this.finishHead();
        return undefined;
      case backend.PortalSuspended.code:
        if (current?.kind === 'execute') {
          this.suspended.set(current.portal, current.run);
          this.advance();
        }
        return undefined;
      case backend.ParseComplete.code:
      case backend.BindComplete.code:
        this.advance();
        return undefined;
      case backend.CloseComplete.code:
        this.advance();
        return current?.kind === 'close' && current.hidden ? null : undefined;
      case backend.NoData.code:
      case backend.RowDescription.code:
        if (current?.kind !== 'describe') return undefined;
        this.advance();
        return current.hidden ? null : undefined;
      case backend.ErrorResponse.code:
        this.onError(current, bytes);
        return undefined;
      case backend.ReadyForQuery.code:
        this.onReady(bytes);
        return undefined;
      default:
        return undefined;
    }
  }

  /** Completes whatever is still running when the session ends. */
  abandon(reason: string): void {
    for (const entry of this.queue.slice(this.head)) {
      for (const run of runsOf(entry)) {
        run.error ??= reason;
        this.events.complete(run);
      }
    }
    this.queue.length = 0;
    this.head = 0;
    for (const run of this.suspended.values()) this.events.complete(run);
    this.suspended.clear();
  }

  private onBlockedReply(blocked: BlockedExpectation, code: number, bytes: Buffer): ReplyAction {
    if (code === backend.ErrorResponse.code) {
      // In a pipeline the server now skips to the client's Sync, which has an entry of its own.
      if (blocked.extended) this.advance();
      return blocked.error;
    }
    if (blocked.extended) {
      return code === backend.ParseComplete.code || code === backend.BindComplete.code ? null : undefined;
    }
    if (code !== backend.ReadyForQuery.code) return undefined;
    this.events.ready(backend.ReadyForQuery.decode(bytes).status);
    this.advance();
    return undefined;
  }

  private onCommandComplete(current: Expected | undefined, bytes: Buffer): void {
    if (current?.kind === 'execute') {
      addTaggedRows(current.run, bytes);
      this.finishHead();
    } else if (current?.kind === 'query') {
      const run = current.runs[current.current];
      if (!run) return;
      addTaggedRows(run, bytes);
      this.events.complete(run);
      current.current++;
    }
  }

  private onError(current: Expected | undefined, bytes: Buffer): void {
    if (!current || current.kind === 'sync') return;
    const message = backend.ErrorResponse.decode(bytes).fields.get('M') ?? 'error';
    if (current.kind === 'query') {
      for (const run of current.runs.slice(current.current)) {
        run.error = run === current.runs[current.current] ? message : SKIPPED_IN_QUERY;
        this.events.complete(run);
      }
      current.current = current.runs.length;
      return;
    }
    // An error at Parse or Bind (planning happens there) belongs to the Execute that follows.
    let owner: StatementRun | undefined;
    if (current.kind === 'execute') {
      current.run.error = message;
      owner = current.run;
    }
    this.finishHead();
    // After an error the server skips everything up to the next Sync.
    for (let entry = this.queue[this.head]; entry && entry.kind !== 'sync'; entry = this.queue[this.head]) {
      if (entry.kind === 'execute') {
        entry.run.error = owner ? SKIPPED_IN_PIPELINE : message;
        owner ??= entry.run;
      }
      this.finishHead();
    }
  }

  private onReady(bytes: Buffer): void {
    const { status } = backend.ReadyForQuery.decode(bytes);
    // ReadyForQuery ends a simple query or a Sync; anything still ahead of it was skipped.
    for (let entry = this.queue[this.head]; entry; entry = this.queue[this.head]) {
      const last = entry.kind === 'query' || entry.kind === 'sync';
      this.finishHead();
      if (last) break;
    }
    if (status === 'I') {
      for (const run of this.suspended.values()) this.events.complete(run);
      this.suspended.clear();
    }
    this.events.ready(status);
  }

  private finishHead(): void {
    const entry = this.queue[this.head];
    if (entry) for (const run of runsOf(entry)) this.events.complete(run);
    this.advance();
  }

  private advance(): void {
    this.head++;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** The run that rows arriving now belong to. */
function runOf(entry: Expected | undefined): StatementRun | undefined {
  if (entry?.kind === 'execute') return entry.run;
  if (entry?.kind === 'query') return entry.runs[entry.current];
  return undefined;
}

/** Runs of an entry not completed yet. */
function runsOf(entry: Expected): readonly StatementRun[] {
  if (entry.kind === 'execute') return [entry.run];
  if (entry.kind === 'query') return entry.runs.slice(entry.current);
  return [];
}

function addTaggedRows(run: StatementRun, bytes: Buffer): void {
  const rows = backend.rowsFromCommandTag(backend.CommandComplete.decode(bytes).tag);
  if (rows !== null) run.taggedRows = (run.taggedRows ?? 0) + rows;
}

/**
 * Rows returned or affected. Tags count writes; a portal fetched in batches ends with a tag
 * that counts only its last batch, so rows seen on the wire win when there are more.
 */
export function rowsOf(run: StatementRun): number | null {
  if (run.taggedRows === null && run.dataRows === 0) return null;
  return Math.max(run.taggedRows ?? 0, run.dataRows);
}
