/**
 * EOF_Packet (protocol 4.1): ends column definitions and rows when CLIENT_DEPRECATE_EOF is not
 * negotiated. A 0xFE payload of 9 bytes or more is a row, not an EOF.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_eof_packet.html
 */
import { PacketHeader } from '../codes.js';
import { kindGuard, type PacketCodec } from '../packet-codec.js';
import { PayloadReader } from '../reader.js';
import { PayloadWriter } from '../writer.js';

export interface EofPacket {
  readonly kind: 'eof-packet';
  readonly warnings: number;
  readonly statusFlags: number;
}

export const EofPacket: PacketCodec<EofPacket> = {
  is: kindGuard<EofPacket>('eof-packet'),
  decode(payload) {
    const reader = new PayloadReader(payload, 'EofPacket');
    const header = reader.uint8();
    if (header !== PacketHeader.eof) throw reader.malformed(`header 0x${header.toString(16)} is not 0xfe`);
    const warnings = reader.uint16();
    const statusFlags = reader.uint16();
    reader.end();
    return { kind: 'eof-packet', warnings, statusFlags };
  },
  encode(message) {
    return new PayloadWriter(5)
      .uint8(PacketHeader.eof)
      .uint16(message.warnings)
      .uint16(message.statusFlags)
      .finish();
  },
};
