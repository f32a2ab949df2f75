/**
 * COM_RESET_CONNECTION resets the session state (variables, temporary tables, prepared statements) without re-authenticating.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_reset_connection.html
 */
import { Command } from '../codes.js';
import { bareCommand, type CommandCodec } from '../packet-codec.js';

export interface ComResetConnection {
  readonly kind: 'com-reset-connection';
}

export const ComResetConnection: CommandCodec<ComResetConnection> = bareCommand(
  'com-reset-connection',
  Command.resetConnection,
  'ComResetConnection',
);
