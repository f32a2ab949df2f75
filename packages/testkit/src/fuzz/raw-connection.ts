import { connect, type Socket } from 'node:net';

/**
 * A plain TCP connection that keeps every byte it receives, for clients that speak a protocol by
 * hand. Reading is by offset: callers remember how far they have looked.
 */
export class RawConnection {
  private received: Buffer[] = [];
  private receivedBytes = 0;
  private joined: Buffer = Buffer.alloc(0);
  private wakers: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.received.push(chunk);
      this.receivedBytes += chunk.length;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    // A reset is one way a peer ends a connection; 'close' follows it.
    socket.on('error', () => undefined);
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host);
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** Everything received so far. */
  get bytes(): Buffer {
    if (this.joined.length !== this.receivedBytes) {
      this.joined = Buffer.concat(this.received);
      this.received = [this.joined];
    }
    return this.joined;
  }

  write(bytes: Buffer): void {
    if (!this.closed && !this.socket.destroyed) this.socket.write(bytes);
  }

  /**
   * Waits until `ready` returns a value for the bytes received so far, the peer closes, or
   * `timeoutMs` pass; returns the value, or undefined.
   */
  async until<T>(ready: (bytes: Buffer) => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = ready(this.bytes);
      if (value !== undefined) return value;
      const left = deadline - Date.now();
      if (this.closed || left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wakers.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the peer to close, up to `timeoutMs`; true when it did. */
  async waitClosed(timeoutMs: number): Promise<boolean> {
    await this.until(() => (this.closed ? true : undefined), timeoutMs);
    return this.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const waker of wakers) waker();
  }
}
