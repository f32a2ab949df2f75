import { readFormats, writeFormats } from '../formats.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** The shared layout of CopyInResponse, CopyOutResponse and CopyBothResponse. */
export interface CopyResponseFields {
  /** 0 textual COPY (all columns text), 1 binary. */
  readonly format: number;
  readonly columnFormats: readonly number[];
}

export function copyResponse<K extends string>(
  kind: K,
  code: number,
  messageName: string,
): MessageCodec<CopyResponseFields & { readonly kind: K }> {
  return {
    code,
    is: kindGuard<CopyResponseFields & { readonly kind: K }>(kind),
    decode(frame) {
      const reader = MessageReader.typed(frame, code, messageName);
      const format = reader.uint8();
      const columnFormats = readFormats(reader);
      reader.end();
      return { kind, format, columnFormats };
    },
    encode(message) {
      const writer = FrameWriter.typed(code, 3 + message.columnFormats.length * 2).uint8(message.format);
      return writeFormats(writer, message.columnFormats).finish();
    },
  };
}
