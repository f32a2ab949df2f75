import { FrontendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** The client aborts a COPY FROM STDIN, giving the reason the server will report. */
export interface CopyFail {
  readonly kind: 'copy-fail';
  readonly message: string;
}

export const CopyFail: MessageCodec<CopyFail> = {
  code: FrontendCode.copyFail,
  is: kindGuard<CopyFail>('copy-fail'),
  decode(frame) {
    const reader = MessageReader.typed(frame, FrontendCode.copyFail, 'CopyFail');
    const message = reader.cstring();
    reader.end();
    return { kind: 'copy-fail', message };
  },
  encode(message) {
    return FrameWriter.typed(FrontendCode.copyFail, message.message.length + 1)
      .cstring(message.message)
      .finish();
  },
};
