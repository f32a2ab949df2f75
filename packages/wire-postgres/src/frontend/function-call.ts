import { FrontendCode } from '../codes.js';
import { readFormats, writeFormats } from '../formats.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** The legacy fast-path call of a function by OID (still used for large objects). */
export interface FunctionCall {
  readonly kind: 'function-call';
  readonly functionOid: number;
  readonly argumentFormats: readonly number[];
  readonly arguments: readonly (Buffer | null)[];
  readonly resultFormat: number;
}

export const FunctionCall: MessageCodec<FunctionCall> = {
  code: FrontendCode.functionCall,
  is: kindGuard<FunctionCall>('function-call'),
  decode(frame) {
    const reader = MessageReader.typed(frame, FrontendCode.functionCall, 'FunctionCall');
    const functionOid = reader.uint32();
    const argumentFormats = readFormats(reader);
    const argumentCount = reader.uint16();
    const values: (Buffer | null)[] = [];
    for (let index = 0; index < argumentCount; index++) values.push(reader.nullableBytes());
    const resultFormat = reader.int16();
    reader.end();
    return { kind: 'function-call', functionOid, argumentFormats, arguments: values, resultFormat };
  },
  encode(message) {
    const writer = FrameWriter.typed(FrontendCode.functionCall).uint32(message.functionOid);
    writeFormats(writer, message.argumentFormats);
    writer.uint16(message.arguments.length);
    for (const value of message.arguments) writer.nullableBytes(value);
    return writer.int16(message.resultFormat).finish();
  },
};
