import { NULL_LENGTH } from './codes.js';
import { WireError } from './errors.js';

const TYPED_HEADER_BYTES = 5;
const UNTYPED_HEADER_BYTES = 4;

/**
 * Bounds-checked reading of one whole frame. Every read that would pass the end of the frame,
 * and every frame with bytes left over, is a `malformed` WireError naming the message.
 * Byte slices it returns are views into the frame, not copies.
 */
export class MessageReader {
  private offset: number;

  private constructor(
    private readonly frame: Buffer,
    start: number,
    private readonly messageName: string,
  ) {
    this.offset = start;
  }

  /** Checks the type byte and the declared length of a typed frame, then reads its body. */
  static typed(frame: Buffer, code: number, messageName: string): MessageReader {
    if (frame.length < TYPED_HEADER_BYTES) {
      throw new WireError(
        'malformed',
        `${messageName}: frame of ${frame.length} bytes has no complete header`,
      );
    }
    if (frame[0] !== code) {
      throw new WireError(
        'malformed',
        `${messageName}: expected type byte '${String.fromCharCode(code)}', got '${String.fromCharCode(frame[0] ?? 0)}'`,
      );
    }
    const declared = frame.readUInt32BE(1);
    if (declared !== frame.length - 1) {
      throw new WireError(
        'malformed',
        `${messageName}: declared length ${declared} but frame holds ${frame.length - 1}`,
      );
    }
    return new MessageReader(frame, TYPED_HEADER_BYTES, messageName);
  }

  /** Checks the declared length of a startup-phase frame (no type byte), then reads its body. */
  static untyped(frame: Buffer, messageName: string): MessageReader {
    if (frame.length < UNTYPED_HEADER_BYTES) {
      throw new WireError(
        'malformed',
        `${messageName}: frame of ${frame.length} bytes has no complete header`,
      );
    }
    const declared = frame.readUInt32BE(0);
    if (declared !== frame.length) {
      throw new WireError(
        'malformed',
        `${messageName}: declared length ${declared} but frame holds ${frame.length}`,
      );
    }
    return new MessageReader(frame, UNTYPED_HEADER_BYTES, messageName);
  }

  get remaining(): number {
    return this.frame.length - this.offset;
  }

  uint8(): number {
    this.need(1, 'a byte');
    const value = this.frame.readUInt8(this.offset);
    this.offset += 1;
    return value;
  }

  int16(): number {
    this.need(2, 'an Int16');
    const value = this.frame.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  /** Counts are sent as Int16 but PostgreSQL reads them unsigned (up to 65535 parameters). */
  uint16(): number {
    this.need(2, 'an Int16 count');
    const value = this.frame.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    this.need(4, 'an Int32');
    const value = this.frame.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** OIDs are unsigned 32-bit. */
  uint32(): number {
    this.need(4, 'an Int32');
    const value = this.frame.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  cstring(): string {
    const end = this.frame.indexOf(0, this.offset);
    if (end === -1) throw this.malformed(`unterminated string at offset ${this.offset}`);
    const value = this.frame.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return value;
  }

  bytes(length: number): Buffer {
    if (length < 0) throw this.malformed(`negative length ${length} at offset ${this.offset}`);
    this.need(length, `${length} bytes`);
    const value = this.frame.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** An Int32 length followed by that many bytes, where -1 means NULL. */
  nullableBytes(): Buffer | null {
    const length = this.int32();
    if (length === NULL_LENGTH) return null;
    return this.bytes(length);
  }

  rest(): Buffer {
    const value = this.frame.subarray(this.offset);
    this.offset = this.frame.length;
    return value;
  }

  /** Every decoder ends here: trailing bytes mean the frame is not what its type says. */
  end(): void {
    if (this.remaining !== 0) throw this.malformed(`${this.remaining} unexpected trailing bytes`);
  }

  malformed(detail: string): WireError {
    return new WireError('malformed', `${this.messageName}: ${detail}`);
  }

  private need(bytes: number, what: string): void {
    if (this.remaining < bytes) {
      throw this.malformed(`truncated: needs ${what} at offset ${this.offset}, ${this.remaining} left`);
    }
  }
}
