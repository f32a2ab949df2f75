/**
 * COM_QUIT closes the connection; the server sends no reply.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_quit.html
 */
import { Command } from '../codes.js';
import { bareCommand, type CommandCodec } from '../packet-codec.js';

export interface ComQuit {
  readonly kind: 'com-quit';
}

export const ComQuit: CommandCodec<ComQuit> = bareCommand('com-quit', Command.quit, 'ComQuit');
