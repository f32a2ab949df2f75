/**
 * Protocol::AuthMoreData: extra authentication data from the server, e.g. caching_sha2_password's
 * fast-auth verdict (0x03 / 0x04) or its RSA public key.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_more_data.html
 */
import { PacketHeader } from '../codes.js';
import { kindGuard, type PacketCodec } from '../packet-codec.js';
import { PayloadReader } from '../reader.js';
import { PayloadWriter } from '../writer.js';

export interface AuthMoreData {
  readonly kind: 'auth-more-data';
  readonly data: Buffer;
}

export const AuthMoreData: PacketCodec<AuthMoreData> = {
  is: kindGuard<AuthMoreData>('auth-more-data'),
  decode(payload) {
    const reader = new PayloadReader(payload, 'AuthMoreData');
    const header = reader.uint8();
    if (header !== PacketHeader.authMoreData)
      throw reader.malformed(`header 0x${header.toString(16)} is not 0x01`);
    return { kind: 'auth-more-data', data: reader.rest() };
  },
  encode(message) {
    return new PayloadWriter(1 + message.data.length)
      .uint8(PacketHeader.authMoreData)
      .bytes(message.data)
      .finish();
  },
};
