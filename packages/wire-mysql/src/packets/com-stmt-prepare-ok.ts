/**
 * COM_STMT_PREPARE_OK: the statement id and how many parameter and column definitions follow.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html#sect_protocol_com_stmt_prepare_response_ok
 */
import { PacketHeader } from '../codes.js';
import { kindGuard, type PacketCodec } from '../packet-codec.js';
import { PayloadReader } from '../reader.js';
import { PayloadWriter } from '../writer.js';
import { readFlag } from './column-count.js';

export interface ComStmtPrepareOk {
  readonly kind: 'com-stmt-prepare-ok';
  readonly statementId: number;
  readonly columnCount: number;
  readonly parameterCount: number;
  readonly warnings: number;
  /** Null unless MySQL's CLIENT_OPTIONAL_RESULTSET_METADATA added the flag byte. */
  readonly metadataFollows: boolean | null;
}

export const ComStmtPrepareOk: PacketCodec<ComStmtPrepareOk> = {
  is: kindGuard<ComStmtPrepareOk>('com-stmt-prepare-ok'),
  decode(payload) {
    const reader = new PayloadReader(payload, 'ComStmtPrepareOk');
    const header = reader.uint8();
    if (header !== PacketHeader.ok) throw reader.malformed(`header 0x${header.toString(16)} is not 0x00`);
    const statementId = reader.uint32();
    const columnCount = reader.uint16();
    const parameterCount = reader.uint16();
    reader.uint8();
    const warnings = reader.uint16();
    const metadataFollows = reader.remaining > 0 ? readFlag(reader) : null;
    reader.end();
    return {
      kind: 'com-stmt-prepare-ok',
      statementId,
      columnCount,
      parameterCount,
      warnings,
      metadataFollows,
    };
  },
  encode(message) {
    const writer = new PayloadWriter(13)
      .uint8(PacketHeader.ok)
      .uint32(message.statementId)
      .uint16(message.columnCount)
      .uint16(message.parameterCount)
      .uint8(0)
      .uint16(message.warnings);
    if (message.metadataFollows !== null) writer.uint8(message.metadataFollows ? 1 : 0);
    return writer.finish();
  },
};
