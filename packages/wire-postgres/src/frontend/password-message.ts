import { FrontendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** A clear-text or md5-hashed password. Shares type byte `p` with the SASL messages. */
export interface PasswordMessage {
  readonly kind: 'password';
  readonly password: string;
}

export const PasswordMessage: MessageCodec<PasswordMessage> = {
  code: FrontendCode.password,
  is: kindGuard<PasswordMessage>('password'),
  decode(frame) {
    const reader = MessageReader.typed(frame, FrontendCode.password, 'PasswordMessage');
    const password = reader.cstring();
    reader.end();
    return { kind: 'password', password };
  },
  encode(message) {
    return FrameWriter.typed(FrontendCode.password, message.password.length + 1)
      .cstring(message.password)
      .finish();
  },
};
