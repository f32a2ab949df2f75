import { backend } from '@sluice/wire-postgres';

/** One journalled statement execution, from forward to its last reply. */
export interface StatementRun {
  readonly id: number;
  readonly startedAt: bigint;
  dataRows: number;
  taggedRows: number | null;
  error: string | null;
}

/** What the server owes the client for each message forwarded, in order (PgDog's ProtocolState). */
export type Expected =
  | { readonly kind: 'query'; readonly run: StatementRun }
  | { readonly kind: 'function-call'; readonly run: StatementRun }
  | { readonly kind: 'execute'; readonly run: StatementRun; readonly portal: string }
  | { readonly kind: 'parse' | 'bind' | 'describe' | 'close' | 'sync' };

export interface ReplyTrackerEvents {
  complete(run: StatementRun): void;
  /** ReadyForQuery arrived: the server is idle and reports this transaction status. */
  ready(status: 'I' | 'T' | 'E'): void;
}

const SKIPPED_AFTER_ERROR = 'not executed: an earlier message of the pipeline failed';

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

  /** Called for every server frame, before it is forwarded. `bytes` is only read for a few types. */
  onServerFrame(code: number, bytes: Buffer): void {
    const current = this.queue[this.head];
    switch (code) {
      case backend.DataRow.code:
        if (current && 'run' in current) current.run.dataRows++;
        return;
      case backend.CommandComplete.code:
        if (!current || !('run' in current)) return;
        addTaggedRows(current.run, bytes);
        if (current.kind === 'execute') this.finishHead();
        return;
      case backend.EmptyQueryResponse.code:
        if (current?.kind === 'execute') this.finishHead();
        return;
      case backend.PortalSuspended.code:
        if (current?.kind === 'execute') {
          this.suspended.set(current.portal, current.run);
          this.advance();
        }
        return;
      case backend.ParseComplete.code:
      case backend.BindComplete.code:
      case backend.CloseComplete.code:
      case backend.NoData.code:
        this.advance();
        return;
      case backend.RowDescription.code:
        if (current?.kind === 'describe') this.advance();
        return;
      case backend.ErrorResponse.code:
        this.onError(current, bytes);
        return;
      case backend.ReadyForQuery.code:
        this.onReady(bytes);
        return;
    }
  }

  /** Completes whatever is still running when the session ends. */
  abandon(reason: string): void {
    for (const entry of this.queue.slice(this.head)) {
      if ('run' in entry) {
        entry.run.error ??= reason;
        this.events.complete(entry.run);
      }
    }
    this.queue.length = 0;
    this.head = 0;
    for (const run of this.suspended.values()) this.events.complete(run);
    this.suspended.clear();
  }

  private onError(current: Expected | undefined, bytes: Buffer): void {
    if (!current) return;
    const message = backend.ErrorResponse.decode(bytes).fields.get('M') ?? 'error';
    if (current.kind === 'query' || current.kind === 'function-call') {
      current.run.error ??= message;
      return;
    }
    if (current.kind === 'sync') return;
    // An error at Parse or Bind (planning happens there) belongs to the Execute that follows.
    let owner: StatementRun | undefined;
    if (current.kind === 'execute') {
      current.run.error = message;
      owner = current.run;
    }
    this.finishHead();
    // After an error the server skips everything up to the next Sync.
    for (let entry = this.queue[this.head]; entry && entry.kind !== 'sync'; entry = this.queue[this.head]) {
      if ('run' in entry) {
        entry.run.error = owner ? SKIPPED_AFTER_ERROR : message;
        owner ??= entry.run;
      }
      this.finishHead();
    }
  }

  private onReady(bytes: Buffer): void {
    const { status } = backend.ReadyForQuery.decode(bytes);
    // ReadyForQuery ends a simple query, a function call or a Sync; anything still ahead of
    // it was skipped by the server.
    for (let entry = this.queue[this.head]; entry; entry = this.queue[this.head]) {
      const last = entry.kind === 'query' || entry.kind === 'function-call' || entry.kind === 'sync';
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
    if (entry && 'run' in entry) this.events.complete(entry.run);
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
