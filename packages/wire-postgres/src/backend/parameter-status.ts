import { BackendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** A run-time parameter the client should know (server_version, client_encoding, ...). */
export interface ParameterStatus {
  readonly kind: 'parameter-status';
  readonly name: string;
  readonly value: string;
}

export const ParameterStatus: MessageCodec<ParameterStatus> = {
  code: BackendCode.parameterStatus,
  is: kindGuard<ParameterStatus>('parameter-status'),
  decode(frame) {
    const reader = MessageReader.typed(frame, BackendCode.parameterStatus, 'ParameterStatus');
    const name = reader.cstring();
    const value = reader.cstring();
    reader.end();
    return { kind: 'parameter-status', name, value };
  },
  encode(message) {
    return FrameWriter.typed(BackendCode.parameterStatus, message.name.length + message.value.length + 2)
      .cstring(message.name)
      .cstring(message.value)
      .finish();
  },
};
