import { FrontendCode } from '../codes.js';
import { readFormats, writeFormats } from '../formats.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/**
 * Binds parameter values to a prepared statement, creating a portal. Format lists follow the
 * protocol's convention: empty = all text, one entry = applies to all, else one per value.
 * Decoded parameter values are views into the frame.
 */
export interface Bind {
  readonly kind: 'bind';
  readonly portal: string;
  readonly statement: string;
  readonly parameterFormats: readonly number[];
  readonly parameters: readonly (Buffer | null)[];
  readonly resultFormats: readonly number[];
}

export const Bind: MessageCodec<Bind> = {
  code: FrontendCode.bind,
  is: kindGuard<Bind>('bind'),
  decode(frame) {
    const reader = MessageReader.typed(frame, FrontendCode.bind, 'Bind');
    const portal = reader.cstring();
    const statement = reader.cstring();
    const parameterFormats = readFormats(reader);
    const parameterCount = reader.uint16();
    const parameters: (Buffer | null)[] = [];
    for (let index = 0; index < parameterCount; index++) parameters.push(reader.nullableBytes());
    const resultFormats = readFormats(reader);
    reader.end();
    return { kind: 'bind', portal, statement, parameterFormats, parameters, resultFormats };
  },
  encode(message) {
    let valueBytes = 0;
    for (const value of message.parameters) valueBytes += 4 + (value?.length ?? 0);
    const writer = FrameWriter.typed(
      FrontendCode.bind,
      message.portal.length + message.statement.length + 8 + valueBytes,
    )
      .cstring(message.portal)
      .cstring(message.statement);
    writeFormats(writer, message.parameterFormats);
    writer.uint16(message.parameters.length);
    for (const value of message.parameters) writer.nullableBytes(value);
    writeFormats(writer, message.resultFormats);
    return writer.finish();
  },
};
