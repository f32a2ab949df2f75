import { FrontendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** A later SASL message (client-final-message for SCRAM): the whole body is mechanism data. */
export interface SaslResponse {
  readonly kind: 'sasl-response';
  readonly data: Buffer;
}

export const SaslResponse: MessageCodec<SaslResponse> = {
  code: FrontendCode.password,
  is: kindGuard<SaslResponse>('sasl-response'),
  decode(frame) {
    const data = MessageReader.typed(frame, FrontendCode.password, 'SASLResponse').rest();
    return { kind: 'sasl-response', data };
  },
  encode(message) {
    return FrameWriter.typed(FrontendCode.password, message.data.length).bytes(message.data).finish();
  },
};
