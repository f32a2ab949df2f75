import type { Socket } from 'node:net';
import { MysqlWireError, type Packet, type PacketSplitter } from '@sluice/wire-mysql';
import { flushWithBackPressure, OutputBatch } from '../output-batch.js';
import type { SessionRefusal } from '../statement-journal.js';
import type { StatementTimer } from '../statement-timer.js';
import { CommandHandler } from './client-commands.js';
import type { CommandContext } from './command-context.js';
import { MysqlReplyTracker } from './reply-tracker.js';
import type { MysqlRowRecorder } from './row-recorder.js';

/** What the relay asks of its session besides what the command handlers need. */
export interface MysqlRelayHooks
  extends Omit<
    CommandContext,
    'tracker' | 'toServer' | 'resumed' | 'active' | 'pauseClient' | 'resumeClient'
  > {
  /** A command's reply is complete; `statusFlags` are those of its last OK or EOF, if any. */
  commandDone(statusFlags: number | null): void;
  /** A client sent bytes that cannot be framed; the session ends. */
  clientFramingFailed(error: unknown): void;
  /** The server sent something unreadable; the session ends. */
  /** `cause` tells a limit of Sluice's (a masked row too large) from a broken upstream. */
  upstreamFailure(message: string, cause?: unknown): void;
  /** Null unless `journal.record_rows` keeps rows for replay. */
  readonly recorder: MysqlRowRecorder | null;
  /** The policy's max_statement_time; null when it sets no limit. */
  readonly timer: StatementTimer | null;
}

/**
 * The command phase of a MySQL session: packets flow both ways byte for byte, while the commands
 * they carry are judged and journalled and every reply is attributed to its command.
 * Back-pressure is end to end: a destination that cannot keep up pauses its source.
 */
export class MysqlRelay {
  readonly tracker: MysqlReplyTracker;
  private readonly commands: CommandHandler;
  private readonly toServer = new OutputBatch();
  private readonly toClient = new OutputBatch();
  /** The session ends once what was accepted before is flushed; no more input is handled. */
  private ending: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly client: Socket,
    private readonly clientSplitter: PacketSplitter,
    private readonly server: Socket,
    private readonly serverSplitter: PacketSplitter,
    private readonly hooks: MysqlRelayHooks,
  ) {
    this.tracker = new MysqlReplyTracker(
      {
        complete: (run) => hooks.completeStatement(run),
        commandDone: (statusFlags) => hooks.commandDone(statusFlags),
        toClient: (bytes) => this.toClient.add(bytes),
        toServer: (bytes) => this.toServer.add(bytes),
      },
      hooks.masking,
      hooks.recorder,
    );
    this.commands = new CommandHandler({
      ...hooks,
      tracker: this.tracker,
      toServer: (bytes) => this.toServer.add(bytes),
      fatal: (refusal) => this.endAfterFlush(() => hooks.fatal(refusal)),
      protocolViolation: (message) => this.endAfterFlush(() => hooks.protocolViolation(message)),
      resumed: () => this.flushAll(),
      active: () => this.handlingInput,
      pauseClient: () => this.client.pause(),
      resumeClient: () => this.client.resume(),
    });
  }

  /** Starts relaying, beginning with packets the connection phase had already read. */
  start(pendingClientPackets: readonly Packet[], pendingServerPackets: readonly Packet[]): void {
    for (const packet of pendingServerPackets) this.onServerPacket(packet);
    for (const packet of pendingClientPackets) this.onClientPacket(packet);
    this.flushAll();
    this.client.on('data', this.clientListener);
    this.server.on('data', this.serverListener);
  }

  stop(): void {
    this.stopped = true;
  }

  /** Stops and lets go of both sockets, for another reader (COM_CHANGE_USER's sign-in). */
  handOver(): void {
    this.stop();
    this.client.off('data', this.clientListener);
    this.server.off('data', this.serverListener);
  }

  private readonly clientListener = (chunk: Buffer): void => this.onClientData(chunk);
  private readonly serverListener = (chunk: Buffer): void => this.onServerData(chunk);
  private readonly clientPacket = (packet: Packet): void => this.onClientPacket(packet);
  private readonly serverPacket = (packet: Packet): void => this.onServerPacket(packet);

  private get handlingInput(): boolean {
    return !this.stopped && this.ending === null;
  }

  private onClientData(chunk: Buffer): void {
    if (!this.handlingInput) return;
    try {
      this.clientSplitter.push(chunk, this.clientPacket);
    } catch (error) {
      this.endAfterFlush(() => this.hooks.clientFramingFailed(error));
      return;
    }
    this.flushAll();
  }

  private onServerData(chunk: Buffer): void {
    if (!this.handlingInput) return;
    try {
      this.serverSplitter.push(chunk, this.serverPacket);
    } catch (error) {
      this.stopped = true;
      this.hooks.upstreamFailure(error instanceof Error ? error.message : String(error), error);
      return;
    }
    this.flushAll();
  }

  private onClientPacket(packet: Packet): void {
    if (!this.handlingInput) return;
    // Every command opens a new exchange at sequence id 0. The server answers any other id with
    // "Got packets out of order" and hangs up, so it is refused here, before it costs the session.
    if (packet.sequenceId !== 0) {
      const error = new MysqlWireError(
        'sequence',
        `command packet has sequence id ${packet.sequenceId}, expected 0`,
      );
      this.endAfterFlush(() => this.hooks.clientFramingFailed(error));
      return;
    }
    this.commands.onPacket(packet);
  }

  private onServerPacket(packet: Packet): void {
    if (this.handlingInput) this.tracker.onServerPacket(packet);
  }

  /** Commands accepted before the one that ends the session still go out, then the session ends. */
  private endAfterFlush(end: () => void): void {
    this.ending = end;
    this.flushAll();
    if (!this.hooks.journal.holding) this.finishEnding();
  }

  private finishEnding(): void {
    const end = this.ending;
    this.ending = null;
    this.stopped = true;
    end?.();
  }

  private flushAll(): void {
    if (this.stopped) return;
    this.flushToServer();
    flushWithBackPressure(this.toClient, this.client, this.server);
    // Between commands, or between fetches of a cursor's rows, nothing runs: no limit then.
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
      this.ending = null;
      this.stopped = true;
      this.hooks.fatal(refusal);
      return;
    }
    this.flushAll();
    if (this.ending && !this.hooks.journal.holding) this.finishEnding();
  };
}
