import { WireError } from './errors.js';

/** One whole frame as received: type byte (if any), Int32 length, body. */
export interface Frame {
  /** The type byte, or 0 for an untyped startup-phase frame. */
  readonly code: number;
  readonly bytes: Buffer;
}

export interface FrameSplitterOptions {
  /** True while the peer sends startup-phase frames (no type byte). */
  readonly untyped: boolean;
  /** Largest declared length accepted; larger frames are refused before any memory is reserved. */
  readonly maxFrameBytes: number;
}

const TYPED_HEADER_BYTES = 5;
const UNTYPED_HEADER_BYTES = 4;
// The length counts itself; an untyped frame also always holds its Int32 request code.
const MIN_TYPED_LENGTH = 4;
const MIN_UNTYPED_LENGTH = 8;
const UNTYPED_CODE = 0;
const INITIAL_PARTIAL_BYTES = 64 * 1024;

/**
 * Cuts a byte stream into frames without decoding them. After it throws, the stream has lost
 * its framing and the connection must be closed.
 */
export class FrameSplitter {
  private untyped: boolean;
  private maxFrameBytes: number;
  /** The start of a frame whose header has not fully arrived yet. */
  private readonly header = Buffer.alloc(TYPED_HEADER_BYTES);
  private headerFill = 0;
  /** A frame spanning chunks; its buffer grows with the bytes that arrive, up to the declared size. */
  private partial: Buffer | null = null;
  private partialFill = 0;
  private partialBytes = 0;
  private partialCode = UNTYPED_CODE;

  constructor(options: FrameSplitterOptions) {
    this.untyped = options.untyped;
    this.maxFrameBytes = options.maxFrameBytes;
  }

  /**
   * Calls onFrame for each complete frame, in order. Frames that lie inside one chunk are
   * zero-copy views of it; only a frame spanning chunks is copied. Throws WireError
   * 'frame-too-large' or 'bad-length'.
   */
  push(chunk: Buffer, onFrame: (frame: Frame) => void): void {
    let offset = this.headerFill > 0 || this.partial ? this.continuePending(chunk, onFrame) : 0;
    // The mode is read per frame, so setUntyped() called from onFrame applies to the very next frame.
    while (offset < chunk.length) {
      const available = chunk.length - offset;
      if (available < this.headerBytes) {
        chunk.copy(this.header, 0, offset);
        this.headerFill = available;
        return;
      }
      const frameBytes = this.frameBytes(chunk, offset);
      if (available < frameBytes) {
        this.startPartial(frameBytes, this.codeAt(chunk, offset));
        this.appendPartial(chunk, offset, available);
        return;
      }
      onFrame({ code: this.codeAt(chunk, offset), bytes: chunk.subarray(offset, offset + frameBytes) });
      offset += frameBytes;
    }
  }

  /**
   * Switches to typed frames (after the StartupMessage) or back to untyped (after an SSLRequest
   * or GSSENCRequest is answered). Applies from the next frame whose header is not read yet.
   */
  setUntyped(untyped: boolean): void {
    this.untyped = untyped;
  }

  /** Raises or lowers the size limit, e.g. from the small startup limit to the session's. */
  setMaxFrameBytes(maxFrameBytes: number): void {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Bytes received but not yet emitted as a frame. */
  get pendingBytes(): number {
    return this.headerFill + this.partialFill;
  }

  private get headerBytes(): number {
    return this.untyped ? UNTYPED_HEADER_BYTES : TYPED_HEADER_BYTES;
  }

  /** Completes the header and/or frame left over from earlier chunks; returns the chunk offset reached. */
  private continuePending(chunk: Buffer, onFrame: (frame: Frame) => void): number {
    let offset = 0;
    if (this.headerFill > 0) {
      const taken = Math.min(this.headerBytes - this.headerFill, chunk.length);
      chunk.copy(this.header, this.headerFill, 0, taken);
      this.headerFill += taken;
      offset += taken;
      if (this.headerFill < this.headerBytes) return offset;
      const frameBytes = this.frameBytes(this.header, 0);
      this.startPartial(frameBytes, this.codeAt(this.header, 0));
      this.appendPartial(this.header, 0, this.headerFill);
      this.headerFill = 0;
    }
    const taken = Math.min(this.partialBytes - this.partialFill, chunk.length - offset);
    this.appendPartial(chunk, offset, taken);
    offset += taken;
    if (this.partial && this.partialFill === this.partialBytes) {
      const frame = { code: this.partialCode, bytes: this.partial };
      this.partial = null;
      this.partialFill = 0;
      this.partialBytes = 0;
      onFrame(frame);
    }
    return offset;
  }

  private startPartial(frameBytes: number, code: number): void {
    this.partial = Buffer.allocUnsafe(Math.min(frameBytes, INITIAL_PARTIAL_BYTES));
    this.partialBytes = frameBytes;
    this.partialCode = code;
  }

  /**
   * Copies bytes of a frame spanning chunks. The buffer grows by doubling rather than being
   * allocated at the declared size, so a peer that announces a large frame and sends little
   * holds only what it sent.
   */
  private appendPartial(source: Buffer, offset: number, length: number): void {
    let partial = this.partial ?? Buffer.allocUnsafe(0);
    const needed = this.partialFill + length;
    if (needed > partial.length) {
      const grown = Buffer.allocUnsafe(Math.min(this.partialBytes, Math.max(needed, partial.length * 2)));
      partial.copy(grown, 0, 0, this.partialFill);
      partial = grown;
    }
    source.copy(partial, this.partialFill, offset, offset + length);
    this.partial = partial;
    this.partialFill = needed;
  }

  private codeAt(source: Buffer, offset: number): number {
    return this.untyped ? UNTYPED_CODE : (source[offset] ?? UNTYPED_CODE);
  }

  /** Total size of the frame whose header starts at `offset`, after checking its declared length. */
  private frameBytes(source: Buffer, offset: number): number {
    const lengthOffset = this.untyped ? offset : offset + 1;
    const declared = source.readUInt32BE(lengthOffset);
    const minimum = this.untyped ? MIN_UNTYPED_LENGTH : MIN_TYPED_LENGTH;
    if (declared < minimum) {
      throw new WireError(
        'bad-length',
        `declared frame length ${declared} is below the minimum of ${minimum}`,
      );
    }
    if (declared > this.maxFrameBytes) {
      throw new WireError(
        'frame-too-large',
        `declared frame length ${declared} exceeds the limit of ${this.maxFrameBytes} bytes`,
      );
    }
    return this.untyped ? declared : declared + 1;
  }
}
