import { BackendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** The parameter type OIDs of a described statement. */
export interface ParameterDescription {
  readonly kind: 'parameter-description';
  readonly parameterTypes: readonly number[];
}

export const ParameterDescription: MessageCodec<ParameterDescription> = {
  code: BackendCode.parameterDescription,
  is: kindGuard<ParameterDescription>('parameter-description'),
  decode(frame) {
    const reader = MessageReader.typed(frame, BackendCode.parameterDescription, 'ParameterDescription');
    const count = reader.uint16();
    const parameterTypes: number[] = [];
    for (let index = 0; index < count; index++) parameterTypes.push(reader.uint32());
    reader.end();
    return { kind: 'parameter-description', parameterTypes };
  },
  encode(message) {
    const writer = FrameWriter.typed(BackendCode.parameterDescription, 2 + message.parameterTypes.length * 4);
    writer.uint16(message.parameterTypes.length);
    for (const type of message.parameterTypes) writer.uint32(type);
    return writer.finish();
  },
};
