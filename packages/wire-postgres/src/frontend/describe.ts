import { FrontendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';
import { readTarget, type Target, writeTarget } from './target.js';

/** Asks for the parameter and/or row description of a prepared statement or a portal. */
export interface Describe {
  readonly kind: 'describe';
  readonly target: Target;
  readonly name: string;
}

export const Describe: MessageCodec<Describe> = {
  code: FrontendCode.describe,
  is: kindGuard<Describe>('describe'),
  decode(frame) {
    const reader = MessageReader.typed(frame, FrontendCode.describe, 'Describe');
    const target = readTarget(reader);
    const name = reader.cstring();
    reader.end();
    return { kind: 'describe', target, name };
  },
  encode(message) {
    const writer = FrameWriter.typed(FrontendCode.describe, message.name.length + 2);
    return writeTarget(writer, message.target).cstring(message.name).finish();
  },
};
