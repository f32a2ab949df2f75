import type { Socket } from 'node:net';
import { type Frame, FrameSplitter } from '@sluice/wire-postgres';

/**
 * Pull-style frame reading for the short handshake phases (startup, authentication), where
 * code reads one message, answers, and reads the next. The relay takes over the splitter and
 * any frames already split, so no byte is lost between phases.
 */
export class FrameReader {
  readonly splitter: FrameSplitter;
  private readonly queue: Frame[] = [];
  private waiter: ((frame: Frame | Error) => void) | undefined;
  private untyped: boolean;
  private readonly typedMaxFrameBytes: number;
  private failure: Error | undefined;
  private readonly onData = (chunk: Buffer): void => {
    try {
      this.splitter.push(chunk, (frame) => {
        // A client may pipeline its first typed message behind the StartupMessage in one
        // chunk: the splitter must switch modes before it reads the next frame.
        if (this.untyped && isStartupMessage(frame)) {
          this.untyped = false;
          this.splitter.setUntyped(false);
          this.splitter.setMaxFrameBytes(this.typedMaxFrameBytes);
        }
        this.deliver(frame);
      });
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  };
  private readonly onEnd = (): void => this.fail(new ConnectionClosedError());
  private readonly onError = (error: Error): void => this.fail(error);

  constructor(
    readonly socket: Socket,
    options: {
      readonly untyped: boolean;
      readonly maxFrameBytes: number;
      readonly typedMaxFrameBytes?: number;
    },
  ) {
    this.splitter = new FrameSplitter(options);
    this.untyped = options.untyped;
    this.typedMaxFrameBytes = options.typedMaxFrameBytes ?? options.maxFrameBytes;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  /** The next frame, or a rejection when the peer closes, errs, sends a bad frame or times out. */
  next(timeoutMs: number): Promise<Frame> {
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

  /** Bytes or frames received but not consumed yet. */
  get hasPending(): boolean {
    return this.queue.length > 0 || this.splitter.pendingBytes > 0;
  }

  /** Stops listening and hands over frames already split but not consumed. */
  detach(): Frame[] {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    return this.queue.splice(0);
  }

  private deliver(frame: Frame): void {
    if (this.waiter) this.waiter(frame);
    else this.queue.push(frame);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.waiter?.(this.failure);
  }
}

/** Startup-phase frames carry a request code; protocol 3.x StartupMessages have major version 3. */
function isStartupMessage(frame: Frame): boolean {
  return frame.bytes.length >= 8 && frame.bytes.readUInt16BE(4) === 3;
}

export class ConnectionClosedError extends Error {
  constructor() {
    super('connection closed by peer');
  }
}

export class HandshakeTimeoutError extends Error {
  constructor() {
    super('handshake timed out');
  }
}
