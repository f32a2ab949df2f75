/**
 * Bounds-checked reading of one payload, in the protocol's basic data types: fixed-length
 * little-endian integers, length-encoded integers and strings, NUL-terminated strings.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_data_types.html
 */
import { MysqlWireError } from './errors.js';

/** Prefix bytes of a length-encoded integer; below 0xFB the byte is the value itself. */
export const LenencPrefix = {
  null: 0xfb,
  twoBytes: 0xfc,
  threeBytes: 0xfd,
  eightBytes: 0xfe,
} as const;

/**
 * Reads one payload. Every read past the end, and every payload with bytes left over, is a
 * `malformed` MysqlWireError naming the packet. Byte slices it returns are views, not copies.
 */
export class PayloadReader {
  private offset = 0;

  constructor(
    private readonly payload: Buffer,
    private readonly packetName: string,
  ) {}

  get remaining(): number {
    return this.payload.length - this.offset;
  }

  get position(): number {
    return this.offset;
  }

  /** The next byte without consuming it, or undefined at the end. */
  peek(): number | undefined {
    return this.payload[this.offset];
  }

  uint8(): number {
    this.need(1, 'a byte');
    const value = this.payload.readUInt8(this.offset);
    this.offset += 1;
    return value;
  }

  uint16(): number {
    return this.fixed(2);
  }

  uint24(): number {
    return this.fixed(3);
  }

  uint32(): number {
    return this.fixed(4);
  }

  uint48(): number {
    return this.fixed(6);
  }

  uint64(): bigint {
    this.need(8, 'an int<8>');
    const value = this.payload.readBigUInt64LE(this.offset);
    this.offset += 8;
    return value;
  }

  /** A length-encoded integer that must fit a JavaScript number (lengths, counts). */
  lenencInt(): number {
    const value = this.lenencBigInt();
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw this.malformed(`length-encoded integer ${value} is too large`);
    }
    return Number(value);
  }

  /** A length-encoded integer over its full 64-bit range (affected rows, last insert id). */
  lenencBigInt(): bigint {
    const value = this.lenencOrNull();
    if (value === null) throw this.malformed(`unexpected NULL marker 0xFB at offset ${this.offset - 1}`);
    return value;
  }

  /** Bytes after a length-encoded length. */
  lenencBytes(): Buffer {
    return this.bytes(this.lenencInt());
  }

  /** Bytes after a length-encoded length, or null for the 0xFB marker (text rows). */
  nullableLenencBytes(): Buffer | null {
    const length = this.lenencOrNull();
    if (length === null) return null;
    if (length > BigInt(this.remaining)) throw this.truncated(`${length} bytes`);
    return this.bytes(Number(length));
  }

  lenencString(): string {
    return this.lenencBytes().toString('utf8');
  }

  cstring(): string {
    return this.cstringBytes().toString('utf8');
  }

  cstringBytes(): Buffer {
    const end = this.payload.indexOf(0, this.offset);
    if (end === -1) throw this.malformed(`unterminated string at offset ${this.offset}`);
    const value = this.payload.subarray(this.offset, end);
    this.offset = end + 1;
    return value;
  }

  bytes(length: number): Buffer {
    this.need(length, `${length} bytes`);
    const value = this.payload.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** Everything up to the end of the payload (string<EOF>). */
  rest(): Buffer {
    const value = this.payload.subarray(this.offset);
    this.offset = this.payload.length;
    return value;
  }

  restString(): string {
    return this.rest().toString('utf8');
  }

  /** Every decoder ends here: trailing bytes mean the payload is not what the packet says. */
  end(): void {
    if (this.remaining !== 0) throw this.malformed(`${this.remaining} unexpected trailing bytes`);
  }

  malformed(detail: string): MysqlWireError {
    return new MysqlWireError('malformed', `${this.packetName}: ${detail}`);
  }

  private lenencOrNull(): bigint | null {
    const first = this.uint8();
    if (first < LenencPrefix.null) return BigInt(first);
    switch (first) {
      case LenencPrefix.null:
        return null;
      case LenencPrefix.twoBytes:
        return BigInt(this.fixed(2));
      case LenencPrefix.threeBytes:
        return BigInt(this.fixed(3));
      case LenencPrefix.eightBytes:
        return this.uint64();
      default:
        throw this.malformed(`invalid length-encoded integer prefix 0x${first.toString(16)}`);
    }
  }

  private fixed(byteLength: number): number {
    this.need(byteLength, `an int<${byteLength}>`);
    const value = this.payload.readUIntLE(this.offset, byteLength);
    this.offset += byteLength;
    return value;
  }

  private need(byteLength: number, what: string): void {
    if (this.remaining < byteLength) throw this.truncated(what);
  }

  private truncated(what: string): MysqlWireError {
    return this.malformed(`truncated: needs ${what} at offset ${this.offset}, ${this.remaining} left`);
  }
}
