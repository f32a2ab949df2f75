import type { Socket } from 'node:net';
import { errorMessage, type Frame, type FrameSplitter, frontend, SqlState } from '@sluice/wire-postgres';
import { OutputBatch } from '../output-batch.js';
import { type Expected, ReplyTracker, type StatementRun } from './reply-tracker.js';

/** What the relay asks of its session: journalling, identity checks, and the session's end. */
export interface RelayHooks {
  /** Journals a statement before it is forwarded; returns its run, or a fatal reason to end the session. */
  beginStatement(
    text: string,
    parameters: readonly (string | null)[] | null,
  ): StatementRun | { readonly fatal: string };
  completeStatement(run: StatementRun): void;
  transactionStatus(status: 'I' | 'T' | 'E'): void;
  /** A client sent something the relay cannot accept; the session ends with this FATAL error. */
  protocolViolation(message: string): void;
  /** The server sent something unreadable; the session ends. */
  upstreamFailure(message: string): void;
}

interface PreparedText {
  readonly text: string;
}
interface BoundPortal {
  readonly text: string;
  readonly parameters: readonly (string | null)[];
}

const PARAMETER_JOURNAL_LIMIT = 4096;

/**
 * The running phase of a Postgres session: frames flow both ways byte for byte, while the
 * statements they carry are journalled and every reply is attributed to its statement.
 * Back-pressure is end to end: a destination that cannot keep up pauses its source.
 */
export class PostgresRelay {
  readonly tracker: ReplyTracker;
  private readonly statements = new Map<string, PreparedText>();
  private readonly portals = new Map<string, BoundPortal>();
  private readonly toServer = new OutputBatch();
  private readonly toClient = new OutputBatch();
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
  }

  /** Starts relaying, beginning with frames the handshake had already read. */
  start(pendingClientFrames: readonly Frame[], pendingServerFrames: readonly Frame[]): void {
    this.processServerFrames(pendingServerFrames);
    this.processClientFrames(pendingClientFrames);
    this.client.on('data', (chunk: Buffer) => this.onClientData(chunk));
    this.server.on('data', (chunk: Buffer) => this.onServerData(chunk));
  }

  stop(): void {
    this.stopped = true;
  }

  private onClientData(chunk: Buffer): void {
    if (this.stopped) return;
    try {
      this.clientSplitter.push(chunk, (frame) => this.onClientFrame(frame));
    } catch (error) {
      this.hooks.protocolViolation(error instanceof Error ? error.message : String(error));
      return;
    }
    this.flush(this.toServer, this.server, this.client);
  }

  private onServerData(chunk: Buffer): void {
    if (this.stopped) return;
    try {
      this.serverSplitter.push(chunk, (frame) => this.onServerFrame(frame));
    } catch (error) {
      this.hooks.upstreamFailure(error instanceof Error ? error.message : String(error));
      return;
    }
    this.flush(this.toClient, this.client, this.server);
  }

  private processClientFrames(frames: readonly Frame[]): void {
    for (const frame of frames) this.onClientFrame(frame);
    this.flush(this.toServer, this.server, this.client);
  }

  private processServerFrames(frames: readonly Frame[]): void {
    for (const frame of frames) this.onServerFrame(frame);
    this.flush(this.toClient, this.client, this.server);
  }

  private flush(batch: OutputBatch, destination: Socket, source: Socket): void {
    if (batch.empty || destination.destroyed) return;
    if (batch.flushTo(destination)) return;
    source.pause();
    destination.once('drain', () => {
      if (!source.destroyed) source.resume();
    });
  }

  private onServerFrame(frame: Frame): void {
    this.tracker.onServerFrame(frame.code, frame.bytes);
    this.toClient.add(frame.bytes);
  }

  private onClientFrame(frame: Frame): void {
    if (this.stopped) return;
    switch (frame.code) {
      case frontend.Query.code:
        this.forwardStatement(frame, frontend.Query.decode(frame.bytes).text, null, (run) => ({
          kind: 'query',
          run,
        }));
        return;
      case frontend.Parse.code: {
        const parse = frontend.Parse.decode(frame.bytes);
        this.statements.set(parse.name, { text: parse.text });
        this.forward(frame, { kind: 'parse' });
        return;
      }
      case frontend.Bind.code:
        this.onBind(frame);
        return;
      case frontend.Execute.code:
        this.onExecute(frame);
        return;
      case frontend.Describe.code:
        this.forward(frame, { kind: 'describe' });
        return;
      case frontend.Close.code:
        this.onClose(frame);
        return;
      case frontend.Sync.code:
        this.forward(frame, { kind: 'sync' });
        return;
      case frontend.FunctionCall.code: {
        const call = frontend.FunctionCall.decode(frame.bytes);
        const text = `-- fastpath function call: oid ${call.functionOid}`;
        this.forwardStatement(frame, text, null, (run) => ({ kind: 'function-call', run }));
        return;
      }
      case frontend.Flush.code:
      case frontend.CopyData.code:
      case frontend.CopyDone.code:
      case frontend.CopyFail.code:
      case frontend.Terminate.code:
        this.toServer.add(frame.bytes);
        return;
      default:
        this.hooks.protocolViolation(`unexpected message type '${String.fromCharCode(frame.code)}'`);
    }
  }

  private onBind(frame: Frame): void {
    const bind = frontend.Bind.decode(frame.bytes);
    const prepared = this.statements.get(bind.statement);
    this.tracker.portalReplaced(bind.portal);
    this.portals.set(bind.portal, {
      text: prepared?.text ?? `-- unknown prepared statement "${bind.statement}"`,
      parameters: bind.parameters.map((value, index) => describeParameter(value, formatOf(bind, index))),
    });
    this.forward(frame, { kind: 'bind' });
  }

  private onExecute(frame: Frame): void {
    const { portal } = frontend.Execute.decode(frame.bytes);
    const resumed = this.tracker.takeSuspended(portal);
    if (resumed) {
      this.forward(frame, { kind: 'execute', run: resumed, portal });
      return;
    }
    const bound = this.portals.get(portal);
    const text = bound?.text ?? `-- unknown portal "${portal}"`;
    this.forwardStatement(frame, text, bound?.parameters ?? null, (run) => ({
      kind: 'execute',
      run,
      portal,
    }));
  }

  private onClose(frame: Frame): void {
    const close = frontend.Close.decode(frame.bytes);
    if (close.target === 'statement') this.statements.delete(close.name);
    else {
      this.tracker.portalReplaced(close.name);
      this.portals.delete(close.name);
    }
    this.forward(frame, { kind: 'close' });
  }

  private forwardStatement(
    frame: Frame,
    text: string,
    parameters: readonly (string | null)[] | null,
    expected: (run: StatementRun) => Expected,
  ): void {
    const run = this.hooks.beginStatement(text, parameters);
    if ('fatal' in run) {
      this.stopped = true;
      this.flush(this.toServer, this.server, this.client);
      this.client.end(errorMessage(SqlState.invalidAuthorizationSpecification, run.fatal, 'FATAL'));
      this.server.end(frontend.Terminate.encode({ kind: 'terminate' }));
      return;
    }
    this.forward(frame, expected(run));
  }

  private forward(frame: Frame, expected: Expected): void {
    this.tracker.expect(expected);
    this.toServer.add(frame.bytes);
  }
}

function formatOf(bind: frontend.Bind, index: number): number {
  // One format code applies to all parameters; none means text (protocol-message-formats, Bind).
  if (bind.parameterFormats.length === 0) return 0;
  if (bind.parameterFormats.length === 1) return bind.parameterFormats[0] ?? 0;
  return bind.parameterFormats[index] ?? 0;
}

function describeParameter(value: Buffer | null, format: number): string | null {
  if (value === null) return null;
  const shown = value.subarray(0, PARAMETER_JOURNAL_LIMIT);
  const text = format === 0 ? shown.toString('utf8') : `\\x${shown.toString('hex')}`;
  return value.length > PARAMETER_JOURNAL_LIMIT ? `${text}…` : text;
}
