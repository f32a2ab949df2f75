import { NULL_LENGTH } from './codes.js';
import { WireError } from './errors.js';

const INITIAL_BYTES = 64;

/**
 * Builds one frame: type byte (unless untyped), Int32 length, then the body. Each encode call
 * uses its own writer, so no buffer is ever shared between messages.
 */
export class FrameWriter {
  private buffer: Buffer;
  private offset: number;
  private readonly lengthOffset: number;

  private constructor(code: number | null, bodyBytesHint: number) {
    const headerBytes = code === null ? 4 : 5;
    this.buffer = Buffer.allocUnsafe(headerBytes + Math.max(bodyBytesHint, 0));
    this.lengthOffset = code === null ? 0 : 1;
    if (code !== null) this.buffer[0] = code;
    this.offset = headerBytes;
  }

  static typed(code: number, bodyBytesHint = INITIAL_BYTES): FrameWriter {
    return new FrameWriter(code, bodyBytesHint);
  }

  static untyped(bodyBytesHint = INITIAL_BYTES): FrameWriter {
    return new FrameWriter(null, bodyBytesHint);
  }

  uint8(value: number): this {
    this.reserve(1);
    this.offset = this.buffer.writeUInt8(value, this.offset);
    return this;
  }

  int16(value: number): this {
    this.reserve(2);
    this.offset = this.buffer.writeInt16BE(value, this.offset);
    return this;
  }

  uint16(value: number): this {
    this.reserve(2);
    this.offset = this.buffer.writeUInt16BE(value, this.offset);
    return this;
  }

  int32(value: number): this {
    this.reserve(4);
    this.offset = this.buffer.writeInt32BE(value, this.offset);
    return this;
  }

  uint32(value: number): this {
    this.reserve(4);
    this.offset = this.buffer.writeUInt32BE(value, this.offset);
    return this;
  }

  /** A NUL inside the value would end the string early and shift every later field. */
  cstring(value: string): this {
    if (value.includes('\0'))
      throw new WireError('malformed', 'a string sent as a C string contains a NUL byte');
    const length = Buffer.byteLength(value, 'utf8');
    this.reserve(length + 1);
    this.offset += this.buffer.write(value, this.offset, length, 'utf8');
    this.buffer[this.offset] = 0;
    this.offset += 1;
    return this;
  }

  bytes(value: Uint8Array): this {
    this.reserve(value.length);
    this.buffer.set(value, this.offset);
    this.offset += value.length;
    return this;
  }

  /** Int32 length then the bytes, or length -1 for NULL. */
  nullableBytes(value: Uint8Array | null): this {
    if (value === null) return this.int32(NULL_LENGTH);
    return this.int32(value.length).bytes(value);
  }

  /** Writes the length field and returns the frame. */
  finish(): Buffer {
    this.buffer.writeUInt32BE(this.offset - this.lengthOffset, this.lengthOffset);
    return this.buffer.subarray(0, this.offset);
  }

  private reserve(bytes: number): void {
    const needed = this.offset + bytes;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }
}
