/**
 * COM_STMT_SEND_LONG_DATA: a chunk of one parameter's value, sent before COM_STMT_EXECUTE; the
 * server sends no reply.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_send_long_data.html
 */
import { Command } from '../codes.js';
import { type CommandCodec, commandReader, kindGuard } from '../packet-codec.js';
import { PayloadWriter } from '../writer.js';

export interface ComStmtSendLongData {
  readonly kind: 'com-stmt-send-long-data';
  readonly statementId: number;
  readonly parameterIndex: number;
  readonly data: Buffer;
}

export const ComStmtSendLongData: CommandCodec<ComStmtSendLongData> = {
  command: Command.stmtSendLongData,
  is: kindGuard<ComStmtSendLongData>('com-stmt-send-long-data'),
  decode(payload) {
    const reader = commandReader(payload, Command.stmtSendLongData, 'ComStmtSendLongData');
    const statementId = reader.uint32();
    const parameterIndex = reader.uint16();
    return { kind: 'com-stmt-send-long-data', statementId, parameterIndex, data: reader.rest() };
  },
  encode(message) {
    return new PayloadWriter(7 + message.data.length)
      .uint8(Command.stmtSendLongData)
      .uint32(message.statementId)
      .uint16(message.parameterIndex)
      .bytes(message.data)
      .finish();
  },
};
