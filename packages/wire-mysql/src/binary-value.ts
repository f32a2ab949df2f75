/**
 * Values of the binary protocol (binary rows, COM_STMT_EXECUTE parameters, query attributes),
 * kept as the bytes of the on-wire value: fixed-size integers and floats as their little-endian
 * bytes, strings and decimals without their length prefix, temporal values without their length
 * byte. Re-encoding writes the prefix back, so a masked string may change length.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html#sect_protocol_binary_resultset_row_value
 */
import { ColumnType } from './codes.js';
import type { PayloadReader } from './reader.js';
import { encodeError, type PayloadWriter } from './writer.js';

/** How a value of each type travels. */
export type BinaryEncoding =
  | { readonly kind: 'fixed'; readonly bytes: number }
  | { readonly kind: 'length-prefixed'; readonly allowedLengths: readonly number[] }
  | { readonly kind: 'lenenc' }
  | { readonly kind: 'empty' };

const LENENC: BinaryEncoding = { kind: 'lenenc' };
const DATE_LENGTHS: BinaryEncoding = { kind: 'length-prefixed', allowedLengths: [0, 4, 7, 11] };
const TIME_LENGTHS: BinaryEncoding = { kind: 'length-prefixed', allowedLengths: [0, 8, 12] };

const encodings = new Map<number, BinaryEncoding>([
  [ColumnType.tiny, { kind: 'fixed', bytes: 1 }],
  [ColumnType.short, { kind: 'fixed', bytes: 2 }],
  [ColumnType.year, { kind: 'fixed', bytes: 2 }],
  [ColumnType.long, { kind: 'fixed', bytes: 4 }],
  [ColumnType.int24, { kind: 'fixed', bytes: 4 }],
  [ColumnType.float, { kind: 'fixed', bytes: 4 }],
  [ColumnType.longlong, { kind: 'fixed', bytes: 8 }],
  [ColumnType.double, { kind: 'fixed', bytes: 8 }],
  [ColumnType.date, DATE_LENGTHS],
  [ColumnType.datetime, DATE_LENGTHS],
  [ColumnType.timestamp, DATE_LENGTHS],
  [ColumnType.time, TIME_LENGTHS],
  [ColumnType.null, { kind: 'empty' }],
  ...[
    ColumnType.decimal,
    ColumnType.newdecimal,
    ColumnType.varchar,
    ColumnType.bit,
    ColumnType.enum,
    ColumnType.set,
    ColumnType.tinyBlob,
    ColumnType.mediumBlob,
    ColumnType.longBlob,
    ColumnType.blob,
    ColumnType.varString,
    ColumnType.string,
    ColumnType.geometry,
    ColumnType.json,
    ColumnType.vector,
  ].map((type): [number, BinaryEncoding] => [type, LENENC]),
]);

/** The binary encoding of a column or parameter type, or undefined for a type never sent on the wire. */
export function binaryEncodingOf(type: number): BinaryEncoding | undefined {
  return encodings.get(type);
}

export function readBinaryValue(reader: PayloadReader, type: number): Buffer {
  const encoding = encodings.get(type);
  switch (encoding?.kind) {
    case 'fixed':
      return reader.bytes(encoding.bytes);
    case 'length-prefixed': {
      const length = reader.uint8();
      if (!encoding.allowedLengths.includes(length)) {
        throw reader.malformed(
          `a type ${type} value of ${length} bytes is not one of ${encoding.allowedLengths.join(', ')}`,
        );
      }
      return reader.bytes(length);
    }
    case 'lenenc':
      return reader.lenencBytes();
    case 'empty':
      return reader.bytes(0);
    case undefined:
      throw reader.malformed(`type 0x${type.toString(16)} has no binary encoding`);
  }
}

export function writeBinaryValue(writer: PayloadWriter, type: number, value: Buffer): void {
  const encoding = encodings.get(type);
  switch (encoding?.kind) {
    case 'fixed':
      if (value.length !== encoding.bytes) {
        throw encodeError(`a type ${type} value must be ${encoding.bytes} bytes, not ${value.length}`);
      }
      writer.bytes(value);
      return;
    case 'length-prefixed':
      if (!encoding.allowedLengths.includes(value.length)) {
        throw encodeError(
          `a type ${type} value of ${value.length} bytes is not one of ${encoding.allowedLengths.join(', ')}`,
        );
      }
      writer.uint8(value.length).bytes(value);
      return;
    case 'lenenc':
      writer.lenencBytes(value);
      return;
    case 'empty':
      if (value.length !== 0) throw encodeError('a NULL-typed value carries no bytes');
      return;
    case undefined:
      throw encodeError(`type 0x${type.toString(16)} has no binary encoding`);
  }
}
