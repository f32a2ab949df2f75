import { MAX_SECRET_KEY_BYTES, MIN_SECRET_KEY_BYTES, RequestCode } from '../codes.js';
import { WireError } from '../errors.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** Sent on a fresh connection to cancel the query running in another session. */
export interface CancelRequest {
  readonly kind: 'cancel-request';
  readonly processId: number;
  /** 4 bytes in protocol 3.0, up to 256 from 3.2 on. */
  readonly secretKey: Buffer;
}

export const CancelRequest: MessageCodec<CancelRequest> = {
  code: RequestCode.cancelRequest,
  is: kindGuard<CancelRequest>('cancel-request'),
  decode(frame) {
    const reader = MessageReader.untyped(frame, 'CancelRequest');
    if (reader.int32() !== RequestCode.cancelRequest) throw reader.malformed('wrong request code');
    const processId = reader.int32();
    const secretKey = reader.rest();
    if (secretKey.length < MIN_SECRET_KEY_BYTES || secretKey.length > MAX_SECRET_KEY_BYTES) {
      throw reader.malformed(`secret key of ${secretKey.length} bytes`);
    }
    return { kind: 'cancel-request', processId, secretKey };
  },
  encode(message) {
    const keyBytes = message.secretKey.length;
    if (keyBytes < MIN_SECRET_KEY_BYTES || keyBytes > MAX_SECRET_KEY_BYTES) {
      throw new WireError('malformed', `CancelRequest: secret key of ${keyBytes} bytes`);
    }
    return FrameWriter.untyped(8 + keyBytes)
      .int32(RequestCode.cancelRequest)
      .int32(message.processId)
      .bytes(message.secretKey)
      .finish();
  },
};
