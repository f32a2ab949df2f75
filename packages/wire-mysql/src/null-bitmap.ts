/**
 * NULL bitmaps of binary rows (bit offset 2) and of COM_STMT_EXECUTE / query attributes (offset 0).
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html#sect_protocol_binary_resultset_row_null_bitmap
 */
import type { PayloadReader } from './reader.js';
import type { PayloadWriter } from './writer.js';

export function nullBitmapBytes(count: number, bitOffset: number): number {
  return Math.floor((count + bitOffset + 7) / 8);
}

export function readNullBitmap(reader: PayloadReader, count: number, bitOffset: number): boolean[] {
  const bitmap = reader.bytes(nullBitmapBytes(count, bitOffset));
  const nulls: boolean[] = [];
  for (let index = 0; index < count; index++) {
    const bit = index + bitOffset;
    nulls.push(((bitmap[bit >> 3] ?? 0) & (1 << (bit & 7))) !== 0);
  }
  return nulls;
}

export function writeNullBitmap(writer: PayloadWriter, nulls: readonly boolean[], bitOffset: number): void {
  const bitmap = Buffer.alloc(nullBitmapBytes(nulls.length, bitOffset));
  nulls.forEach((isNull, index) => {
    const bit = index + bitOffset;
    if (isNull) bitmap[bit >> 3] = (bitmap[bit >> 3] ?? 0) | (1 << (bit & 7));
  });
  writer.bytes(bitmap);
}
