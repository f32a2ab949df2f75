import { RequestCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** Asks for TLS; answered by one bare byte, `S` or `N`, not by a frame. */
export interface SslRequest {
  readonly kind: 'ssl-request';
}

export const SslRequest: MessageCodec<SslRequest> = {
  code: RequestCode.sslRequest,
  is: kindGuard<SslRequest>('ssl-request'),
  decode(frame) {
    const reader = MessageReader.untyped(frame, 'SSLRequest');
    if (reader.int32() !== RequestCode.sslRequest) throw reader.malformed('wrong request code');
    reader.end();
    return { kind: 'ssl-request' };
  },
  encode() {
    return FrameWriter.untyped(4).int32(RequestCode.sslRequest).finish();
  },
};
