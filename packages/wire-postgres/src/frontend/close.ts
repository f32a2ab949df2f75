import { FrontendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';
import { readTarget, type Target, writeTarget } from './target.js';

/** Closes a prepared statement or a portal. */
export interface Close {
  readonly kind: 'close';
  readonly target: Target;
  readonly name: string;
}

export const Close: MessageCodec<Close> = {
  code: FrontendCode.close,
  is: kindGuard<Close>('close'),
  decode(frame) {
    const reader = MessageReader.typed(frame, FrontendCode.close, 'Close');
    const target = readTarget(reader);
    const name = reader.cstring();
    reader.end();
    return { kind: 'close', target, name };
  },
  encode(message) {
    const writer = FrameWriter.typed(FrontendCode.close, message.name.length + 2);
    return writeTarget(writer, message.target).cstring(message.name).finish();
  },
};
