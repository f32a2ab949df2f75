/**
 * COM_STMT_FETCH: the next rows of a statement executed with a cursor.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_fetch.html
 */
import { Command } from '../codes.js';
import { type CommandCodec, commandReader, kindGuard } from '../packet-codec.js';
import { PayloadWriter } from '../writer.js';

export interface ComStmtFetch {
  readonly kind: 'com-stmt-fetch';
  readonly statementId: number;
  readonly rowCount: number;
}

export const ComStmtFetch: CommandCodec<ComStmtFetch> = {
  command: Command.stmtFetch,
  is: kindGuard<ComStmtFetch>('com-stmt-fetch'),
  decode(payload) {
    const reader = commandReader(payload, Command.stmtFetch, 'ComStmtFetch');
    const statementId = reader.uint32();
    const rowCount = reader.uint32();
    reader.end();
    return { kind: 'com-stmt-fetch', statementId, rowCount };
  },
  encode(message) {
    return new PayloadWriter(9)
      .uint8(Command.stmtFetch)
      .uint32(message.statementId)
      .uint32(message.rowCount)
      .finish();
  },
};
