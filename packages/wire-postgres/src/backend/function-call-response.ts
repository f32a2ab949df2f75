import { BackendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** The result of a FunctionCall; null for SQL NULL. */
export interface FunctionCallResponse {
  readonly kind: 'function-call-response';
  readonly result: Buffer | null;
}

export const FunctionCallResponse: MessageCodec<FunctionCallResponse> = {
  code: BackendCode.functionCallResponse,
  is: kindGuard<FunctionCallResponse>('function-call-response'),
  decode(frame) {
    const reader = MessageReader.typed(frame, BackendCode.functionCallResponse, 'FunctionCallResponse');
    const result = reader.nullableBytes();
    reader.end();
    return { kind: 'function-call-response', result };
  },
  encode(message) {
    return FrameWriter.typed(BackendCode.functionCallResponse, 4 + (message.result?.length ?? 0))
      .nullableBytes(message.result)
      .finish();
  },
};
