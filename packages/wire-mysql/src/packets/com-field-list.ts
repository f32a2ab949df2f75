/**
 * COM_FIELD_LIST (deprecated, still sent by the mysql CLI for name completion): the columns of a
 * table, answered with column definitions that carry default values.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_field_list.html
 */
import { Command } from '../codes.js';
import { type CommandCodec, commandReader, kindGuard } from '../packet-codec.js';
import { PayloadWriter } from '../writer.js';

export interface ComFieldList {
  readonly kind: 'com-field-list';
  readonly table: string;
  /** A LIKE pattern for column names; '' for all. */
  readonly wildcard: string;
}

export const ComFieldList: CommandCodec<ComFieldList> = {
  command: Command.fieldList,
  is: kindGuard<ComFieldList>('com-field-list'),
  decode(payload) {
    const reader = commandReader(payload, Command.fieldList, 'ComFieldList');
    const table = reader.cstring();
    return { kind: 'com-field-list', table, wildcard: reader.restString() };
  },
  encode(message) {
    return new PayloadWriter(2 + message.table.length + message.wildcard.length)
      .uint8(Command.fieldList)
      .cstring(message.table)
      .string(message.wildcard)
      .finish();
  },
};
