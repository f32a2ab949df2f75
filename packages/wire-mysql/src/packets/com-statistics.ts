/**
 * COM_STATISTICS asks for a status line, answered with a bare string rather than an OK packet.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_statistics.html
 */
import { Command } from '../codes.js';
import { bareCommand, type CommandCodec } from '../packet-codec.js';

export interface ComStatistics {
  readonly kind: 'com-statistics';
}

export const ComStatistics: CommandCodec<ComStatistics> = bareCommand(
  'com-statistics',
  Command.statistics,
  'ComStatistics',
);
