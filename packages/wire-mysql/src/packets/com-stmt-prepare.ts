/**
 * COM_STMT_PREPARE: the SQL text of a statement to prepare.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html
 */
import { Command } from '../codes.js';
import { type CommandCodec, commandReader, kindGuard } from '../packet-codec.js';
import { PayloadWriter } from '../writer.js';

export interface ComStmtPrepare {
  readonly kind: 'com-stmt-prepare';
  /** The SQL text, read as UTF-8. */
  readonly query: string;
}

export const ComStmtPrepare: CommandCodec<ComStmtPrepare> = {
  command: Command.stmtPrepare,
  is: kindGuard<ComStmtPrepare>('com-stmt-prepare'),
  decode(payload) {
    const query = commandReader(payload, Command.stmtPrepare, 'ComStmtPrepare').restString();
    return { kind: 'com-stmt-prepare', query };
  },
  encode(message) {
    return new PayloadWriter(1 + message.query.length)
      .uint8(Command.stmtPrepare)
      .string(message.query)
      .finish();
  },
};
