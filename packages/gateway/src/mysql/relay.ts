import type { Socket } from 'node:net';
import type { Packet, PacketSplitter } from '@sluice/wire-mysql';
import { flushWithBackPressure, OutputBatch } from '../output-batch.js';
import { CommandHandler } from './client-commands.js';
import type { CommandContext } from './command-context.js';
import { MysqlReplyTracker } from './reply-tracker.js';

/** What the relay asks of its session besides what the command handlers need. */
export interface MysqlRelayHooks extends Omit<CommandContext, 'tracker' | 'toServer'> {
  /** A command's reply is complete; `statusFlags` are those of its last OK or EOF, if any. */
  commandDone(statusFlags: number | null): void;
  /** A client sent bytes that cannot be framed; the session ends. */
  clientFramingFailed(error: unknown): void;
  /** The server sent something unreadable; the session ends. */
  upstreamFailure(message: string): void;
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
    );
    this.commands = new CommandHandler({
      ...hooks,
      tracker: this.tracker,
      toServer: (bytes) => this.toServer.add(bytes),
      fatal: (refusal) => {
        this.flushAll();
        this.stopped = true;
        hooks.fatal(refusal);
      },
      protocolViolation: (message) => {
        this.flushAll();
        this.stopped = true;
        hooks.protocolViolation(message);
      },
    });
  }

  /** Starts relaying, beginning with packets the connection phase had already read. */
  start(pendingClientPackets: readonly Packet[], pendingServerPackets: readonly Packet[]): void {
    for (const packet of pendingServerPackets) this.onServerPacket(packet);
    for (const packet of pendingClientPackets) this.onClientPacket(packet);
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
      this.clientSplitter.push(chunk, (packet) => this.onClientPacket(packet));
    } catch (error) {
      this.flushAll();
      this.stopped = true;
      this.hooks.clientFramingFailed(error);
      return;
    }
    this.flushAll();
  }

  private onServerData(chunk: Buffer): void {
    if (this.stopped) return;
    try {
      this.serverSplitter.push(chunk, (packet) => this.onServerPacket(packet));
    } catch (error) {
      this.stopped = true;
      this.hooks.upstreamFailure(error instanceof Error ? error.message : String(error));
      return;
    }
    this.flushAll();
  }

  private onClientPacket(packet: Packet): void {
    if (!this.stopped) this.commands.onPacket(packet);
  }

  private onServerPacket(packet: Packet): void {
    if (!this.stopped) this.tracker.onServerPacket(packet);
  }

  private flushAll(): void {
    if (this.stopped) return;
    flushWithBackPressure(this.toServer, this.server, this.client);
    flushWithBackPressure(this.toClient, this.client, this.server);
  }
}
