import { RequestCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** Asks for GSSAPI encryption; answered by one bare byte, `G` or `N`, not by a frame. */
export interface GssEncRequest {
  readonly kind: 'gssenc-request';
}

export const GssEncRequest: MessageCodec<GssEncRequest> = {
  code: RequestCode.gssEncRequest,
  is: kindGuard<GssEncRequest>('gssenc-request'),
  decode(frame) {
    const reader = MessageReader.untyped(frame, 'GSSENCRequest');
    if (reader.int32() !== RequestCode.gssEncRequest) throw reader.malformed('wrong request code');
    reader.end();
    return { kind: 'gssenc-request' };
  },
  encode() {
    return FrameWriter.untyped(4).int32(RequestCode.gssEncRequest).finish();
  },
};
