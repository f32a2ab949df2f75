/**
 * Builds one payload in the protocol's basic data types. Each encode call uses its own writer, so
 * no buffer is ever shared between packets.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_data_types.html
 */
import { MysqlWireError } from './errors.js';
import { LenencPrefix } from './reader.js';

const INITIAL_BYTES = 64;
const MAX_UINT64 = 0xffffffffffffffffn;

export class PayloadWriter {
  private buffer: Buffer;
  private offset = 0;

  constructor(bytesHint = INITIAL_BYTES) {
    this.buffer = Buffer.allocUnsafe(Math.max(bytesHint, 1));
  }

  uint8(value: number): this {
    return this.fixed(value, 1);
  }

  uint16(value: number): this {
    return this.fixed(value, 2);
  }

  uint24(value: number): this {
    return this.fixed(value, 3);
  }

  uint32(value: number): this {
    return this.fixed(value, 4);
  }

  uint48(value: number): this {
    return this.fixed(value, 6);
  }

  uint64(value: bigint): this {
    if (value < 0n || value > MAX_UINT64) throw encodeError(`${value} does not fit an int<8>`);
    this.reserve(8);
    this.offset = this.buffer.writeBigUInt64LE(value, this.offset);
    return this;
  }

  /** The shortest length-encoded form, as servers write it. */
  lenencInt(value: number | bigint): this {
    const big = BigInt(value);
    if (big < 0n || big > MAX_UINT64) throw encodeError(`${value} does not fit a length-encoded integer`);
    if (big < BigInt(LenencPrefix.null)) return this.uint8(Number(big));
    if (big <= 0xffffn) return this.uint8(LenencPrefix.twoBytes).uint16(Number(big));
    if (big <= 0xffffffn) return this.uint8(LenencPrefix.threeBytes).uint24(Number(big));
    return this.uint8(LenencPrefix.eightBytes).uint64(big);
  }

  lenencBytes(value: Uint8Array): this {
    return this.lenencInt(value.length).bytes(value);
  }

  /** A value of a text row: length-encoded bytes, or 0xFB for NULL. */
  nullableLenencBytes(value: Uint8Array | null): this {
    if (value === null) return this.uint8(LenencPrefix.null);
    return this.lenencBytes(value);
  }

  lenencString(value: string): this {
    return this.lenencBytes(Buffer.from(value, 'utf8'));
  }

  /** A NUL inside the value would end the string early and shift every later field. */
  cstring(value: string): this {
    return this.cstringBytes(Buffer.from(value, 'utf8'));
  }

  cstringBytes(value: Uint8Array): this {
    if (value.includes(0)) throw encodeError('a string sent NUL-terminated contains a NUL byte');
    return this.bytes(value).uint8(0);
  }

  /** A string<EOF> or fixed string: the bytes only. */
  string(value: string): this {
    return this.bytes(Buffer.from(value, 'utf8'));
  }

  bytes(value: Uint8Array): this {
    this.reserve(value.length);
    this.buffer.set(value, this.offset);
    this.offset += value.length;
    return this;
  }

  zeros(count: number): this {
    this.reserve(count);
    this.buffer.fill(0, this.offset, this.offset + count);
    this.offset += count;
    return this;
  }

  finish(): Buffer {
    return this.buffer.subarray(0, this.offset);
  }

  private fixed(value: number, byteLength: number): this {
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** (8 * byteLength)) {
      throw encodeError(`${value} does not fit an int<${byteLength}>`);
    }
    this.reserve(byteLength);
    this.offset = this.buffer.writeUIntLE(value, this.offset, byteLength);
    return this;
  }

  private reserve(byteLength: number): void {
    const needed = this.offset + byteLength;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }
}

export function encodeError(detail: string): MysqlWireError {
  return new MysqlWireError('malformed', `cannot encode: ${detail}`);
}
