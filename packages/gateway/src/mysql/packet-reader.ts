import type { Socket } from 'node:net';
import { type Packet, PacketSplitter } from '@sluice/wire-mysql';
import { ConnectionClosedError, HandshakeTimeoutError } from '../frame-reader.js';

/**
 * Pull-style packet reading for the connection phase, where code reads one packet, answers and
 * reads the next. The relay takes over the splitter and any packets already split, so no byte is
 * lost between phases.
 */
export class PacketReader {
  readonly splitter: PacketSplitter;
  private readonly queue: Packet[] = [];
  private waiter: ((packet: Packet | Error) => void) | undefined;
  private failure: Error | undefined;
  private readonly onData = (chunk: Buffer): void => {
    try {
      this.splitter.push(chunk, (packet) => this.deliver(packet));
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  };
  private readonly onEnd = (): void => this.fail(new ConnectionClosedError());
  private readonly onError = (error: Error): void => this.fail(error);

  constructor(
    readonly socket: Socket,
    maxPacketBytes: number,
  ) {
    this.splitter = new PacketSplitter({ maxPacketBytes });
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  /** The next packet, or a rejection when the peer closes, errs, sends a bad packet or times out. */
  next(timeoutMs: number): Promise<Packet> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new HandshakeTimeoutError()), timeoutMs);
      this.waiter = (result) => {
        clearTimeout(timer);
        this.waiter = undefined;
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
    });
  }

  /** Stops listening and hands over packets already split but not consumed. */
  detach(): Packet[] {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    return this.queue.splice(0);
  }

  private deliver(packet: Packet): void {
    if (this.waiter) this.waiter(packet);
    else this.queue.push(packet);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.waiter?.(this.failure);
  }
}
