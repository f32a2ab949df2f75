/**
 * LOCAL INFILE request: in reply to LOAD DATA LOCAL, the server asks the client for a file's
 * contents (0xFB + file name).
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_local_infile_request.html
 */
import { PacketHeader } from '../codes.js';
import { kindGuard, type PacketCodec } from '../packet-codec.js';
import { PayloadReader } from '../reader.js';
import { PayloadWriter } from '../writer.js';

export interface LocalInfileRequest {
  readonly kind: 'local-infile-request';
  readonly filename: string;
}

export const LocalInfileRequest: PacketCodec<LocalInfileRequest> = {
  is: kindGuard<LocalInfileRequest>('local-infile-request'),
  decode(payload) {
    const reader = new PayloadReader(payload, 'LocalInfileRequest');
    const header = reader.uint8();
    if (header !== PacketHeader.localInfile)
      throw reader.malformed(`header 0x${header.toString(16)} is not 0xfb`);
    return { kind: 'local-infile-request', filename: reader.restString() };
  },
  encode(message) {
    return new PayloadWriter(1 + message.filename.length)
      .uint8(PacketHeader.localInfile)
      .string(message.filename)
      .finish();
  },
};
