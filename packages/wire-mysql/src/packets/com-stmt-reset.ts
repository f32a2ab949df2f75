/**
 * COM_STMT_RESET: discards long data and an open cursor of a prepared statement.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_reset.html
 */
import { Command } from '../codes.js';
import { type CommandCodec, statementCommand } from '../packet-codec.js';

export interface ComStmtReset {
  readonly kind: 'com-stmt-reset';
  readonly statementId: number;
}

export const ComStmtReset: CommandCodec<ComStmtReset> = statementCommand(
  'com-stmt-reset',
  Command.stmtReset,
  'ComStmtReset',
);
