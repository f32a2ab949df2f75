import { Socket } from 'node:net';
import { CompressedFrameSplitter, encodeCompressedFrames } from '@sluice/wire-mysql';

const SEQUENCE_MODULO = 256;

/**
 * A client connection that negotiated CLIENT_COMPRESS, seen by the session as a plain socket:
 * what it reads is the inflated packet stream, what it writes goes out in compressed frames.
 * The upstream link stays as it is. Frames are numbered as servers do: the first frame of a
 * reply follows the client's last frame (each command starts the client's count at 0).
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_compression.html
 */
export class CompressedClient extends Socket {
  private readonly splitter = new CompressedFrameSplitter();
  private nextSequenceId = 0;
  private broken = false;
  /**
   * Told when the client's frames cannot be read, so the session can answer with an ERR (sent
   * compressed, as the client expects) before it closes; without it the connection is destroyed.
   */
  framingFailed: ((error: Error) => void) | undefined;

  constructor(private readonly raw: Socket) {
    super();
    raw.on('data', (chunk: Buffer) => this.onRawData(chunk));
    raw.on('end', () => this.push(null));
    raw.on('error', (error) => this.destroy(error));
    raw.on('close', () => this.destroy());
  }

  override _read(): void {
    this.raw.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.raw.write(this.frame(chunk), done);
  }

  override _writev(
    chunks: { chunk: Buffer; encoding: BufferEncoding }[],
    done: (error?: Error | null) => void,
  ): void {
    this.raw.write(this.frame(Buffer.concat(chunks.map((each) => each.chunk))), done);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.raw.end(done);
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.raw.destroy();
    done(error);
    // A net.Socket without a handle does not emit 'close' by itself.
    process.nextTick(() => this.emit('close', error !== null));
  }

  private frame(bytes: Buffer): Buffer {
    const framed = encodeCompressedFrames(bytes, this.nextSequenceId);
    this.nextSequenceId = (this.nextSequenceId + framed.frames) % SEQUENCE_MODULO;
    return framed.bytes;
  }

  private onRawData(chunk: Buffer): void {
    if (this.broken) return;
    try {
      this.splitter.push(chunk, (frame) => {
        this.nextSequenceId = (frame.sequenceId + 1) % SEQUENCE_MODULO;
        if (!this.push(frame.payload)) this.raw.pause();
      });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.broken = true;
      if (this.framingFailed) this.framingFailed(failure);
      else this.destroy(failure);
    }
  }
}
