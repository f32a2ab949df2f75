import { FrontendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** The chosen SASL mechanism and its first message (client-first-message for SCRAM). */
export interface SaslInitialResponse {
  readonly kind: 'sasl-initial-response';
  readonly mechanism: string;
  /** Null when the client sent length -1 (no initial response). */
  readonly data: Buffer | null;
}

export const SaslInitialResponse: MessageCodec<SaslInitialResponse> = {
  code: FrontendCode.password,
  is: kindGuard<SaslInitialResponse>('sasl-initial-response'),
  decode(frame) {
    const reader = MessageReader.typed(frame, FrontendCode.password, 'SASLInitialResponse');
    const mechanism = reader.cstring();
    const data = reader.nullableBytes();
    reader.end();
    return { kind: 'sasl-initial-response', mechanism, data };
  },
  encode(message) {
    return FrameWriter.typed(
      FrontendCode.password,
      message.mechanism.length + 5 + (message.data?.length ?? 0),
    )
      .cstring(message.mechanism)
      .nullableBytes(message.data)
      .finish();
  },
};
