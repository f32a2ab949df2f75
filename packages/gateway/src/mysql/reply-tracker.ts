import { ErrorCode, encodePackets, errPacket, nextSequenceId, type Packet } from '@sluice/wire-mysql';
import type { StatementRun } from '../postgres/reply-tracker.js';
import type { ResponseEvent, ResponseReader } from './response-reader.js';
import type { ResultMasker } from './result-masker.js';
import type { MysqlRowMasking } from './row-masking.js';
import type { MysqlRowRecorder, RecordedFormat } from './row-recorder.js';

/** A command forwarded to the server, whose reply is relayed back packet by packet. */
export interface ForwardedCommand {
  readonly kind: 'forwarded';
  readonly reader: ResponseReader;
  /** Journalled statements the reply reports on, in order: one per result. */
  readonly runs: readonly StatementRun[];
  current: number;
  /** Runs stay open after the reply, as a cursor's rows arrive with later COM_STMT_FETCH. */
  leaveRunsOpen: boolean;
  /**
   * Sequence id from which the rest of the reply is replaced by one ERR: a refused LOCAL INFILE
   * request, or a statement Sluice interrupted.
   */
  refusedInfileAt: number | null;
  /** Sluice interrupted the statement (max_statement_time): the ERR that ends its reply. */
  interruption: Interruption | null;
  readonly observe?: (event: ResponseEvent) => void;
  /** Rewrites the rows of its results; absent when nothing is masked for the session. */
  readonly masker?: ResultMasker | null;
  /**
   * How far the client's sequence ids run ahead of the server's in this reply: a masked row can
   * take more or fewer physical packets than the row it replaces.
   */
  sequenceShift: number;
  /** How its rows are encoded, for the recorder. */
  readonly rowFormat?: RecordedFormat;
}

export interface Interruption {
  /** The ERR packet's payload. */
  readonly payload: Buffer;
  readonly message: string;
}

/** Sluice's own answer to a command (a refusal), sent once every earlier reply has gone out. */
export interface LocalReply {
  readonly kind: 'local';
  readonly bytes: Buffer;
}

export type Expected = ForwardedCommand | LocalReply;

export interface MysqlReplyEvents {
  complete(run: StatementRun): void;
  /** A command's reply is complete; `statusFlags` are those of its last OK or EOF, if any. */
  commandDone(statusFlags: number | null): void;
  toClient(bytes: Buffer): void;
  toServer(bytes: Buffer): void;
}

const SKIPPED_IN_QUERY = 'not executed: an earlier statement of the query failed';
const LOCAL_INFILE_REFUSED = 'sluice: LOAD DATA LOCAL INFILE is not supported through Sluice';

/**
 * Attributes every server reply to the command that caused it, in order, so that commands a
 * client pipelines are journalled with their own rows and errors, and Sluice's own answers are
 * sent in the place of the command they answer.
 */
export class MysqlReplyTracker {
  private readonly queue: Expected[] = [];
  private head = 0;
  private lastStatusFlags: number | null = null;
  /** Sequence id of the last packet sent to the client. */
  lastSequenceId = 0;

  constructor(
    private readonly events: MysqlReplyEvents,
    /** Null when nothing is masked for the session: replies then pass byte for byte. */
    private readonly masking: MysqlRowMasking | null = null,
    /** Null unless `journal.record_rows` keeps rows for replay. */
    private readonly recorder: MysqlRowRecorder | null = null,
  ) {}

  get idle(): boolean {
    return this.head === this.queue.length;
  }

  expect(entry: Expected): void {
    this.queue.push(entry);
    this.sendLocalReplies();
  }

  onServerPacket(packet: Packet): void {
    const entry = this.queue[this.head];
    if (entry?.kind !== 'forwarded') {
      // Nothing was asked: a server that kills the connection says why unprompted.
      this.toClient(packet.bytes, packet.lastSequenceId);
      return;
    }
    const event = entry.reader.read(packet.payload);
    entry.observe?.(event);
    const replacement = this.replacementFor(entry, event, packet.payload);
    this.recorder?.observe(
      event,
      replacement ?? packet.payload,
      entry.runs[entry.current],
      entry.rowFormat ?? 'text',
    );
    this.account(entry, event);
    if (event.kind === 'local-infile') {
      // An empty packet is an empty file: the server finishes the statement without client data.
      this.events.toServer(encodePackets(Buffer.alloc(0), (packet.lastSequenceId + 1) % 256));
      entry.refusedInfileAt ??= packet.sequenceId;
    } else if (entry.refusedInfileAt === null) {
      if (entry.interruption === null) this.forward(entry, packet, replacement);
      else entry.refusedInfileAt = (packet.sequenceId + entry.sequenceShift) % 256;
    }
    if (!entry.reader.done) return;
    if (entry.refusedInfileAt !== null) {
      const error = entry.interruption?.payload ?? errPacket(ErrorCode.notSupportedYet, LOCAL_INFILE_REFUSED);
      this.toClient(encodePackets(error, entry.refusedInfileAt), entry.refusedInfileAt);
    }
    if (entry.interruption !== null) this.interrupted(entry, entry.interruption.message);
    this.finishHead();
    const statusFlags = this.lastStatusFlags;
    this.lastStatusFlags = null;
    this.events.commandDone(statusFlags);
    this.sendLocalReplies();
  }

  /** A masked payload to send instead of the server's, or null to forward its bytes. */
  private replacementFor(entry: ForwardedCommand, event: ResponseEvent, payload: Buffer): Buffer | null {
    if (this.masking === null) return null;
    if (event.kind === 'error') return this.masking.maskError(payload);
    return entry.masker?.payloadFor(event, payload, entry.current, entry.runs[entry.current]) ?? null;
  }

  private forward(entry: ForwardedCommand, packet: Packet, replacement: Buffer | null): void {
    if (replacement === null && entry.sequenceShift === 0) {
      this.toClient(packet.bytes, packet.lastSequenceId);
      return;
    }
    const payload = replacement ?? packet.payload;
    const first = (packet.sequenceId + entry.sequenceShift) % 256;
    const last = (nextSequenceId(payload.length, first) + 255) % 256;
    entry.sequenceShift = (last - packet.lastSequenceId + 256) % 256;
    this.toClient(encodePackets(payload, first), last);
  }

  /**
   * The statement the server works on now was cancelled by Sluice: what is left of its reply is
   * replaced by `interruption`'s ERR, whatever the server answers (a killed `DO SLEEP` ends with OK).
   */
  interrupt(interruption: Interruption): void {
    const entry = this.queue[this.head];
    if (entry?.kind === 'forwarded') entry.interruption = interruption;
  }

  private interrupted(entry: ForwardedCommand, message: string): void {
    for (const [index, run] of entry.runs.slice(entry.current).entries())
      run.error = index === 0 ? message : SKIPPED_IN_QUERY;
  }

  /** Completes whatever is still running when the session ends. */
  abandon(reason: string): void {
    for (const entry of this.queue.slice(this.head)) {
      if (entry.kind !== 'forwarded') continue;
      for (const run of entry.runs.slice(entry.current)) {
        run.error ??= reason;
        this.events.complete(run);
      }
    }
    this.queue.length = 0;
    this.head = 0;
  }

  private account(entry: ForwardedCommand, event: ResponseEvent): void {
    const run = entry.runs[entry.current];
    switch (event.kind) {
      case 'row':
        if (run) run.dataRows++;
        return;
      case 'result-end':
        this.lastStatusFlags = event.statusFlags;
        if (run && event.affectedRows !== null)
          run.taggedRows = (run.taggedRows ?? 0) + Number(event.affectedRows);
        // Results beyond the statements (a CALL's result sets) count towards the last statement.
        if (event.moreResults && entry.current < entry.runs.length - 1) {
          if (run) this.events.complete(run);
          entry.current++;
        }
        return;
      case 'cursor-opened':
        this.lastStatusFlags = event.statusFlags;
        entry.leaveRunsOpen = true;
        return;
      case 'error':
        for (const [index, pending] of entry.runs.slice(entry.current).entries()) {
          pending.error = index === 0 ? event.message : SKIPPED_IN_QUERY;
        }
        return;
      case 'local-infile':
        if (run) run.error = LOCAL_INFILE_REFUSED;
        return;
      default:
        return;
    }
  }

  private finishHead(): void {
    const entry = this.queue[this.head];
    if (entry?.kind === 'forwarded' && !entry.leaveRunsOpen) {
      for (const run of entry.runs.slice(entry.current)) this.events.complete(run);
    }
    this.advance();
  }

  private sendLocalReplies(): void {
    for (let entry = this.queue[this.head]; entry?.kind === 'local'; entry = this.queue[this.head]) {
      this.toClient(entry.bytes, entry.bytes[3] ?? 0);
      this.advance();
    }
  }

  private toClient(bytes: Buffer, lastSequenceId: number): void {
    this.lastSequenceId = lastSequenceId;
    this.events.toClient(bytes);
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
