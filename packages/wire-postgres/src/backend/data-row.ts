import { BackendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** One result row; each value is a view into the frame, or null for SQL NULL. */
export interface DataRow {
  readonly kind: 'data-row';
  readonly values: readonly (Buffer | null)[];
}

export const DataRow: MessageCodec<DataRow> = {
  code: BackendCode.dataRow,
  is: kindGuard<DataRow>('data-row'),
  decode(frame) {
    const reader = MessageReader.typed(frame, BackendCode.dataRow, 'DataRow');
    const count = reader.uint16();
    const values: (Buffer | null)[] = [];
    for (let index = 0; index < count; index++) values.push(reader.nullableBytes());
    reader.end();
    return { kind: 'data-row', values };
  },
  encode(message) {
    let bodyBytes = 2;
    for (const value of message.values) bodyBytes += 4 + (value?.length ?? 0);
    const writer = FrameWriter.typed(BackendCode.dataRow, bodyBytes).uint16(message.values.length);
    for (const value of message.values) writer.nullableBytes(value);
    return writer.finish();
  },
};
