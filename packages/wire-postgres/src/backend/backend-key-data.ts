import { BackendCode, MAX_SECRET_KEY_BYTES, MIN_SECRET_KEY_BYTES } from '../codes.js';
import { WireError } from '../errors.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** What a client needs to cancel this session's queries later. */
export interface BackendKeyData {
  readonly kind: 'backend-key-data';
  readonly processId: number;
  /** 4 bytes in protocol 3.0, up to 256 from 3.2 on. */
  readonly secretKey: Buffer;
}

export const BackendKeyData: MessageCodec<BackendKeyData> = {
  code: BackendCode.backendKeyData,
  is: kindGuard<BackendKeyData>('backend-key-data'),
  decode(frame) {
    const reader = MessageReader.typed(frame, BackendCode.backendKeyData, 'BackendKeyData');
    const processId = reader.int32();
    const secretKey = reader.rest();
    if (secretKey.length < MIN_SECRET_KEY_BYTES || secretKey.length > MAX_SECRET_KEY_BYTES) {
      throw reader.malformed(`secret key of ${secretKey.length} bytes`);
    }
    return { kind: 'backend-key-data', processId, secretKey };
  },
  encode(message) {
    const keyBytes = message.secretKey.length;
    if (keyBytes < MIN_SECRET_KEY_BYTES || keyBytes > MAX_SECRET_KEY_BYTES) {
      throw new WireError('malformed', `BackendKeyData: secret key of ${keyBytes} bytes`);
    }
    return FrameWriter.typed(BackendCode.backendKeyData, 4 + keyBytes)
      .int32(message.processId)
      .bytes(message.secretKey)
      .finish();
  },
};
