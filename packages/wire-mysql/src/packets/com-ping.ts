/**
 * COM_PING checks the connection is alive.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_ping.html
 */
import { Command } from '../codes.js';
import { bareCommand, type CommandCodec } from '../packet-codec.js';

export interface ComPing {
  readonly kind: 'com-ping';
}

export const ComPing: CommandCodec<ComPing> = bareCommand('com-ping', Command.ping, 'ComPing');
