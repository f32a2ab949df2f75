/**
 * MySQL's compressed protocol (CLIENT_COMPRESS, zlib): after the connection phase every physical
 * write is wrapped in a frame of 3-byte compressed length, 1-byte compressed sequence id and
 * 3-byte uncompressed length, then the body. An uncompressed length of 0 means the body is
 * stored as it is; senders store bodies under 50 bytes. The carried bytes are ordinary packets,
 * which may start in one frame and end in another.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_compression.html
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { MysqlWireError } from './errors.js';

export const COMPRESSED_HEADER_BYTES = 7;
/** Bodies shorter than this are stored, not deflated (what libmysql and MariaDB do). */
export const MIN_COMPRESS_LENGTH = 50;
/** The most uncompressed bytes one frame carries. */
export const MAX_COMPRESSED_FRAME_PAYLOAD = 0xffffff;

const SEQUENCE_MODULO = 256;

/** One frame: its sequence id and the bytes it carries, uncompressed. */
export interface CompressedFrame {
  readonly sequenceId: number;
  readonly payload: Buffer;
}

/** One frame's bytes; `payload` at most MAX_COMPRESSED_FRAME_PAYLOAD bytes. */
export function encodeCompressedFrame(frame: CompressedFrame): Buffer {
  const { payload } = frame;
  if (payload.length > MAX_COMPRESSED_FRAME_PAYLOAD) {
    throw new MysqlWireError('malformed', `compressed frame of ${payload.length} bytes`);
  }
  let body = payload;
  let uncompressedLength = 0;
  if (payload.length >= MIN_COMPRESS_LENGTH) {
    const deflated = deflateSync(payload);
    // A body that does not shrink is stored: the reader then has nothing to inflate.
    if (deflated.length < payload.length) {
      body = deflated;
      uncompressedLength = payload.length;
    }
  }
  const header = Buffer.allocUnsafe(COMPRESSED_HEADER_BYTES);
  header.writeUIntLE(body.length, 0, 3);
  header[3] = frame.sequenceId % SEQUENCE_MODULO;
  header.writeUIntLE(uncompressedLength, 4, 3);
  return Buffer.concat([header, body]);
}

/** `bytes` (any number of packets) as consecutive frames from `firstSequenceId`. */
export function encodeCompressedFrames(
  bytes: Buffer,
  firstSequenceId: number,
): { readonly bytes: Buffer; readonly frames: number } {
  const frames: Buffer[] = [];
  let offset = 0;
  do {
    const payload = bytes.subarray(offset, offset + MAX_COMPRESSED_FRAME_PAYLOAD);
    frames.push(encodeCompressedFrame({ sequenceId: firstSequenceId + frames.length, payload }));
    offset += payload.length;
  } while (offset < bytes.length);
  return { bytes: Buffer.concat(frames), frames: frames.length };
}

/** The frame at the start of `bytes` (exactly one frame), its body inflated. */
export function decodeCompressedFrame(bytes: Buffer): CompressedFrame {
  if (bytes.length < COMPRESSED_HEADER_BYTES) throw truncated(bytes.length);
  const bodyLength = bytes.readUIntLE(0, 3);
  const uncompressedLength = bytes.readUIntLE(4, 3);
  if (bytes.length !== COMPRESSED_HEADER_BYTES + bodyLength) throw truncated(bytes.length);
  const body = bytes.subarray(COMPRESSED_HEADER_BYTES);
  if (uncompressedLength === 0) return { sequenceId: bytes[3] ?? 0, payload: body };
  let payload: Buffer;
  try {
    payload = inflateSync(body, { maxOutputLength: uncompressedLength });
  } catch (error) {
    throw new MysqlWireError('malformed', 'compressed frame does not inflate', { cause: error });
  }
  if (payload.length !== uncompressedLength) {
    throw new MysqlWireError(
      'malformed',
      `compressed frame inflates to ${payload.length} bytes, its header says ${uncompressedLength}`,
    );
  }
  return { sequenceId: bytes[3] ?? 0, payload };
}

/**
 * Cuts a byte stream into compressed frames and inflates them. After it throws, the stream has
 * lost its framing and the connection must be closed.
 */
export class CompressedFrameSplitter {
  /**
   * Chunks of a frame not complete yet, joined once when it is: joining on every chunk made a
   * frame trickling in cost quadratic time (4 MB in 4 KiB chunks blocked the event loop for 15 s).
   */
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Calls onFrame for each complete frame, in order. */
  push(chunk: Buffer, onFrame: (frame: CompressedFrame) => void): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.firstFrameEnd()) return;
    let bytes = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    while (bytes.length >= COMPRESSED_HEADER_BYTES) {
      const end = COMPRESSED_HEADER_BYTES + bytes.readUIntLE(0, 3);
      if (bytes.length < end) break;
      onFrame(decodeCompressedFrame(bytes.subarray(0, end)));
      bytes = bytes.subarray(end);
    }
    if (bytes.length > 0) {
      this.pending = [Buffer.from(bytes)];
      this.pendingBytes = bytes.length;
    }
  }

  /** Bytes needed for the first pending frame to be complete (its header, while that is cut). */
  private firstFrameEnd(): number {
    if (this.pendingBytes < COMPRESSED_HEADER_BYTES) return COMPRESSED_HEADER_BYTES;
    let first = this.pending[0] ?? Buffer.alloc(0);
    if (first.length < COMPRESSED_HEADER_BYTES) {
      first = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [first];
    }
    return COMPRESSED_HEADER_BYTES + first.readUIntLE(0, 3);
  }
}

function truncated(length: number): MysqlWireError {
  return new MysqlWireError('malformed', `compressed frame of ${length} bytes does not match its header`);
}
