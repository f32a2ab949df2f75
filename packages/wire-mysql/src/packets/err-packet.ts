/**
 * ERR_Packet: 0xFF, error number, `#` + 5-character SQLSTATE (absent in errors sent before the
 * client's capabilities are known), message.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_err_packet.html
 * https://mariadb.com/kb/en/err_packet/
 */
import { PacketHeader, type ServerError } from '../codes.js';
import { kindGuard, type PacketCodec } from '../packet-codec.js';
import { PayloadReader } from '../reader.js';
import { encodeError, PayloadWriter } from '../writer.js';

export interface ErrPacket {
  readonly kind: 'err-packet';
  readonly errorCode: number;
  readonly sqlState: string | null;
  readonly message: string;
}

const SQL_STATE_MARKER = 0x23; // '#'
const SQL_STATE_PATTERN = /^[0-9A-Z]{5}$/;
/** MariaDB sends progress reports as an ERR packet with this code (see ProgressReport). */
export const PROGRESS_REPORT_ERROR_CODE = 0xffff;

export const ErrPacket: PacketCodec<ErrPacket> = {
  is: kindGuard<ErrPacket>('err-packet'),
  decode(payload) {
    const reader = new PayloadReader(payload, 'ErrPacket');
    const header = reader.uint8();
    if (header !== PacketHeader.err) throw reader.malformed(`header 0x${header.toString(16)} is not 0xff`);
    const errorCode = reader.uint16();
    if (errorCode === PROGRESS_REPORT_ERROR_CODE)
      throw reader.malformed('a MariaDB progress report, not an error');
    let sqlState: string | null = null;
    if (reader.peek() === SQL_STATE_MARKER) {
      reader.uint8();
      sqlState = reader.bytes(5).toString('latin1');
    }
    return { kind: 'err-packet', errorCode, sqlState, message: reader.restString() };
  },
  encode(message) {
    if (message.errorCode === PROGRESS_REPORT_ERROR_CODE)
      throw encodeError('error code 0xffff is reserved for progress reports');
    const writer = new PayloadWriter(9 + message.message.length)
      .uint8(PacketHeader.err)
      .uint16(message.errorCode);
    if (message.sqlState !== null) {
      if (!SQL_STATE_PATTERN.test(message.sqlState))
        throw encodeError(`SQLSTATE '${message.sqlState}' is not 5 characters`);
      writer.uint8(SQL_STATE_MARKER).string(message.sqlState);
    } else if (message.message.startsWith('#')) {
      throw encodeError(
        'without a SQLSTATE the message cannot start with #, which readers take as the marker',
      );
    }
    return writer.string(message.message).finish();
  },
};

/** The ERR payload a client sees for one of Sluice's own errors, e.g. `errPacket(ErrorCode.specificAccessDenied, 'sluice: blocked by ...')`. */
export function errPacket(error: ServerError, message: string): Buffer {
  return ErrPacket.encode({ kind: 'err-packet', errorCode: error.code, sqlState: error.sqlState, message });
}
