/**
 * ProtocolBinary::ResultsetRow: 0x00, a NULL bitmap with bit offset 2, then the non-NULL values
 * encoded by column type. Decoding needs the columns' types from their definitions.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html#sect_protocol_binary_resultset_row
 */
import { readBinaryValue, writeBinaryValue } from '../binary-value.js';
import { readNullBitmap, writeNullBitmap } from '../null-bitmap.js';
import { kindGuard, type PacketCodec } from '../packet-codec.js';
import { PayloadReader } from '../reader.js';
import { encodeError, PayloadWriter } from '../writer.js';

/**
 * One row; each value is the bytes of its on-wire value (see `binary-value.ts`) as a view into
 * the payload, or null for SQL NULL.
 */
export interface BinaryRow {
  readonly kind: 'binary-row';
  readonly values: readonly (Buffer | null)[];
}

/** The result set's column definitions, or anything carrying their `type`. */
export type BinaryRowColumns = readonly { readonly type: number }[];

const ROW_HEADER = 0x00;
const NULL_BITMAP_OFFSET = 2;

export const BinaryRow: PacketCodec<BinaryRow, BinaryRowColumns> = {
  is: kindGuard<BinaryRow>('binary-row'),
  decode(payload, columns) {
    const reader = new PayloadReader(payload, 'BinaryRow');
    const header = reader.uint8();
    if (header !== ROW_HEADER) throw reader.malformed(`header 0x${header.toString(16)} is not 0x00`);
    const nulls = readNullBitmap(reader, columns.length, NULL_BITMAP_OFFSET);
    const values = columns.map((column, index) =>
      nulls[index] ? null : readBinaryValue(reader, column.type),
    );
    reader.end();
    return { kind: 'binary-row', values };
  },
  encode(message, columns) {
    if (message.values.length !== columns.length) {
      throw encodeError(`a row of ${message.values.length} values for ${columns.length} columns`);
    }
    let bytes = 1 + columns.length;
    for (const value of message.values) bytes += 9 + (value?.length ?? 0);
    const writer = new PayloadWriter(bytes).uint8(ROW_HEADER);
    writeNullBitmap(
      writer,
      message.values.map((value) => value === null),
      NULL_BITMAP_OFFSET,
    );
    message.values.forEach((value, index) => {
      if (value !== null) writeBinaryValue(writer, columns[index]?.type ?? 0, value);
    });
    return writer.finish();
  },
};
