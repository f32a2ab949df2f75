/**
 * COM_STMT_CLOSE: deallocates a prepared statement; the server sends no reply.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_close.html
 */
import { Command } from '../codes.js';
import { type CommandCodec, statementCommand } from '../packet-codec.js';

export interface ComStmtClose {
  readonly kind: 'com-stmt-close';
  readonly statementId: number;
}

export const ComStmtClose: CommandCodec<ComStmtClose> = statementCommand(
  'com-stmt-close',
  Command.stmtClose,
  'ComStmtClose',
);
