import { FrontendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** Prepares a statement; `name` '' is the unnamed statement, a type OID 0 leaves the type to the server. */
export interface Parse {
  readonly kind: 'parse';
  readonly name: string;
  readonly text: string;
  readonly parameterTypes: readonly number[];
}

export const Parse: MessageCodec<Parse> = {
  code: FrontendCode.parse,
  is: kindGuard<Parse>('parse'),
  decode(frame) {
    const reader = MessageReader.typed(frame, FrontendCode.parse, 'Parse');
    const name = reader.cstring();
    const text = reader.cstring();
    const count = reader.uint16();
    const parameterTypes: number[] = [];
    for (let index = 0; index < count; index++) parameterTypes.push(reader.uint32());
    reader.end();
    return { kind: 'parse', name, text, parameterTypes };
  },
  encode(message) {
    const writer = FrameWriter.typed(
      FrontendCode.parse,
      message.name.length + message.text.length + 4 + message.parameterTypes.length * 4,
    )
      .cstring(message.name)
      .cstring(message.text)
      .uint16(message.parameterTypes.length);
    for (const type of message.parameterTypes) writer.uint32(type);
    return writer.finish();
  },
};
