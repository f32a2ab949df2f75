import { WireError } from '../errors.js';
import type { MessageReader } from '../reader.js';
import type { FrameWriter } from '../writer.js';

/** Fields of ErrorResponse / NoticeResponse keyed by their one-letter code, in wire order. */
export type NoticeFields = ReadonlyMap<string, string>;

/** What encoders accept: the decoded map, or a plain object such as `{ S: 'ERROR', C: '42501', M: '…' }`. */
export type NoticeFieldsInput = NoticeFields | Readonly<Record<string, string>>;

/** Each field is a type byte then a C string; a zero type byte ends the list. */
export function readNoticeFields(reader: MessageReader): Map<string, string> {
  const fields = new Map<string, string>();
  for (let type = reader.uint8(); type !== 0; type = reader.uint8()) {
    fields.set(String.fromCharCode(type), reader.cstring());
  }
  reader.end();
  return fields;
}

export function writeNoticeFields(
  writer: FrameWriter,
  fields: NoticeFieldsInput,
  messageName: string,
): Buffer {
  const entries = fields instanceof Map ? fields.entries() : Object.entries(fields);
  for (const [type, value] of entries) {
    const code = type.charCodeAt(0);
    if (type.length !== 1 || code === 0 || code > 0x7f) {
      throw new WireError('malformed', `${messageName}: field type must be one ASCII letter, got '${type}'`);
    }
    writer.uint8(code).cstring(value);
  }
  return writer.uint8(0).finish();
}
