import type { Socket } from 'node:net';
import { backend, errorMessage, type Frame, type FrameSplitter, SqlState } from '@sluice/wire-postgres';
import type { ApprovalGate } from '../approval-gate.js';
import { flushWithBackPressure, OutputBatch } from '../output-batch.js';
import type { SessionRefusal, StatementJournal } from '../statement-journal.js';
import type { Judgement } from '../statement-judge.js';
import type { StatementTimer } from '../statement-timer.js';
import { ClientFrameHandler } from './client-frames.js';
import { ReplyMasking } from './reply-masking.js';
import { ReplyTracker, type StatementRun } from './reply-tracker.js';
import type { PostgresRowMasking } from './row-masking.js';
import type { PostgresRowRecorder } from './row-recorder.js';

/** What the relay asks of its session: judgement, journalling, and the session's end. */
export interface RelayHooks {
  readonly journal: StatementJournal;
  readonly approvals: ApprovalGate;
  /** Null when nothing is masked for this session: rows then pass without being decoded. */
  readonly masking: PostgresRowMasking | null;
  /** Null unless `journal.record_rows` keeps rows for replay. */
  readonly recorder: PostgresRowRecorder | null;
  /** The policy's max_statement_time; null when it sets no limit. */
  readonly timer: StatementTimer | null;
  judge(text: string): Judgement;
  judgeFunctionCall(functionOid: number): Judgement;
  completeStatement(run: StatementRun): void;
  /** The server reported a setting (standard_conforming_strings, client_encoding, …). */
  parameterStatus(name: string, value: string): void;
  transactionStatus(status: 'I' | 'T' | 'E'): void;
  /** The session may not go on (journal unavailable, token expired): end it with this FATAL error. */
  refuse(refusal: SessionRefusal): void;
  /** A client sent something the relay cannot accept; the session ends with this FATAL error. */
  protocolViolation(message: string): void;
  /** The server sent something unreadable; the session ends. */
  /** `cause` tells a limit of Sluice's (a masked row too large) from a broken upstream. */
  upstreamFailure(message: string, cause?: unknown): void;
  /** The client sent Terminate. */
  clientQuit(): void;
}

/**
 * The running phase of a Postgres session: frames flow both ways byte for byte, while the
 * statements they carry are judged and journalled and every reply is attributed to its
 * statement. Back-pressure is end to end: a destination that cannot keep up pauses its source.
 */
export class PostgresRelay {
  readonly tracker: ReplyTracker;
  private readonly clientFrames: ClientFrameHandler;
  private readonly toServer = new OutputBatch();
  private readonly toClient = new OutputBatch();
  private readonly replyMasking: ReplyMasking | null;
  /** Server frames that arrived while a result's mask waited for the catalog, in order. */
  private waiting: Frame[] | null = null;
  private stopped = false;

  constructor(
    private readonly client: Socket,
    private readonly clientSplitter: FrameSplitter,
    private readonly server: Socket,
    private readonly serverSplitter: FrameSplitter,
    private readonly hooks: RelayHooks,
  ) {
    this.tracker = new ReplyTracker({
      complete: (run) => hooks.completeStatement(run),
      ready: (status) => hooks.transactionStatus(status),
    });
    this.replyMasking = hooks.masking ? new ReplyMasking(hooks.masking, this.tracker) : null;
    this.clientFrames = new ClientFrameHandler({
      tracker: this.tracker,
      journal: hooks.journal,
      masking: hooks.masking?.session ?? null,
      judge: (text) => hooks.judge(text),
      judgeFunctionCall: (oid) => hooks.judgeFunctionCall(oid),
      toServer: (bytes) => this.toServer.add(bytes),
      toClient: (bytes) => this.toClient.add(bytes),
      fatal: (refusal) => {
        this.stopped = true;
        hooks.refuse(refusal);
      },
      protocolViolation: (message) => {
        this.stopped = true;
        hooks.protocolViolation(message);
      },
      approvals: hooks.approvals,
      resumed: () => this.flushAll(),
      active: () => !this.stopped,
      pauseClient: () => this.client.pause(),
      resumeClient: () => this.client.resume(),
      clientQuit: () => hooks.clientQuit(),
    });
  }

  /** Starts relaying, beginning with frames the handshake had already read. */
  start(pendingClientFrames: readonly Frame[], pendingServerFrames: readonly Frame[]): void {
    for (const frame of pendingServerFrames) this.onServerFrame(frame);
    for (const frame of pendingClientFrames) this.onClientFrame(frame);
    this.flushAll();
    this.client.on('data', (chunk: Buffer) => this.onClientData(chunk));
    this.server.on('data', (chunk: Buffer) => this.onServerData(chunk));
  }

  stop(): void {
    this.stopped = true;
  }

  private onClientData(chunk: Buffer): void {
    if (this.stopped) return;
    try {
      this.clientSplitter.push(chunk, this.clientFrame);
    } catch (error) {
      this.stopped = true;
      this.hooks.protocolViolation(error instanceof Error ? error.message : String(error));
      return;
    }
    this.flushAll();
  }

  private onServerData(chunk: Buffer): void {
    if (this.stopped) return;
    try {
      this.serverSplitter.push(chunk, this.serverFrame);
    } catch (error) {
      this.stopped = true;
      this.hooks.upstreamFailure(error instanceof Error ? error.message : String(error), error);
      return;
    }
    this.flushAll();
  }

  // Made once per session, as the splitters call back for every frame of every chunk.
  private readonly clientFrame = (frame: Frame): void => this.onClientFrame(frame);
  private readonly serverFrame = (frame: Frame): void => this.onServerFrame(frame);

  private onClientFrame(frame: Frame): void {
    if (!this.stopped) this.clientFrames.onFrame(frame);
  }

  private onServerFrame(received: Frame): void {
    const frame =
      received.code === backend.ErrorResponse.code && this.hooks.timer?.fired
        ? cancelledByTimer(received, this.hooks.timer)
        : received;
    if (this.waiting) {
      this.waiting.push({ code: frame.code, bytes: Buffer.from(frame.bytes) });
      return;
    }
    const forwarded = this.replyMasking ? this.replyMasking.onFrame(frame.code, frame.bytes) : frame.bytes;
    if (forwarded instanceof Promise) {
      this.waitFor({ code: frame.code, bytes: Buffer.from(frame.bytes) }, forwarded);
      return;
    }
    this.deliver(frame, forwarded);
  }

  /** Read through a getter: a frame handled in between may have started another wait. */
  private get queuedServerFrames(): Frame[] | null {
    return this.waiting;
  }

  private deliver(frame: Frame, forwarded: Buffer): void {
    if (frame.code === backend.ParameterStatus.code) {
      const { name, value } = backend.ParameterStatus.decode(frame.bytes);
      this.hooks.parameterStatus(name, value);
    }
    this.hooks.recorder?.observe(frame.code, forwarded, this.tracker);
    const action = this.tracker.onServerFrame(frame.code, frame.bytes);
    if (action === undefined) this.toClient.add(forwarded);
    else if (action !== null) this.toClient.add(action);
  }

  /**
   * A result's mask needs the catalog: this session's server frames wait (the socket paused)
   * while other sessions go on; nothing of the result reaches the client unmasked.
   */
  private waitFor(frame: Frame, forwarded: Promise<Buffer>): void {
    this.waiting = [];
    this.server.pause();
    void forwarded.then(
      (bytes) => {
        if (this.stopped) return;
        const queued = this.waiting ?? [];
        this.waiting = null;
        this.deliver(frame, bytes);
        for (const [index, next] of queued.entries()) {
          this.onServerFrame(next);
          const waitingAgain = this.queuedServerFrames;
          if (waitingAgain) {
            waitingAgain.push(...queued.slice(index + 1));
            break;
          }
        }
        this.flushAll();
        if (!this.queuedServerFrames && !this.client.writableNeedDrain) this.server.resume();
      },
      (error: unknown) => {
        this.stopped = true;
        this.hooks.upstreamFailure(
          `cannot plan masking: ${error instanceof Error ? error.message : String(error)}`,
        );
      },
    );
  }

  private flushAll(): void {
    if (this.stopped) return;
    this.flushToServer();
    flushWithBackPressure(this.toClient, this.client, this.server);
    // A client holding a suspended portal between fetches has nothing running: no limit then.
    if (this.hooks.timer !== null) this.hooks.timer.track(!this.tracker.idle);
  }

  private flushToServer(): void {
    this.hooks.journal.forwardWhenCommitted(this.forwardToServer, this.committed);
  }

  // Made once per session rather than on every flush: flushing happens on every chunk read.
  private readonly forwardToServer = (): void =>
    flushWithBackPressure(this.toServer, this.server, this.client);

  private readonly committed = (refusal: SessionRefusal | undefined): void => {
    if (this.stopped) return;
    if (refusal) {
      this.stopped = true;
      this.hooks.refuse(refusal);
      return;
    }
    this.flushAll();
  };
}

/** The server's "canceling statement due to user request" for a statement Sluice cancelled, in Sluice's words. */
function cancelledByTimer(frame: Frame, timer: StatementTimer): Frame {
  const { fields } = backend.ErrorResponse.decode(frame.bytes);
  if (fields.get('C') !== SqlState.queryCanceled) return frame;
  return { code: frame.code, bytes: errorMessage(SqlState.queryCanceled, timer.message) };
}
