import { BackendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** A command finished; `tag` is e.g. "SELECT 3", "INSERT 0 1", "CREATE TABLE". */
export interface CommandComplete {
  readonly kind: 'command-complete';
  readonly tag: string;
}

export const CommandComplete: MessageCodec<CommandComplete> = {
  code: BackendCode.commandComplete,
  is: kindGuard<CommandComplete>('command-complete'),
  decode(frame) {
    const reader = MessageReader.typed(frame, BackendCode.commandComplete, 'CommandComplete');
    const tag = reader.cstring();
    reader.end();
    return { kind: 'command-complete', tag };
  },
  encode(message) {
    return FrameWriter.typed(BackendCode.commandComplete, message.tag.length + 1)
      .cstring(message.tag)
      .finish();
  },
};

// INSERT carries an OID (always 0 since PostgreSQL 12) before the row count.
const ROW_COUNT_TAG = /^(?:INSERT \d+|UPDATE|DELETE|SELECT|MERGE|MOVE|FETCH|COPY) (\d+)$/;

/** Rows returned or affected according to a command tag, or null for tags without a count. */
export function rowsFromCommandTag(tag: string): number | null {
  const count = ROW_COUNT_TAG.exec(tag)?.[1];
  return count === undefined ? null : Number(count);
}
