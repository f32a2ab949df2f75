/**
 * COM_INIT_DB: changes the default schema (the `USE` of the mysql CLI).
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_init_db.html
 */
import { Command } from '../codes.js';
import { type CommandCodec, commandReader, kindGuard } from '../packet-codec.js';
import { PayloadWriter } from '../writer.js';

export interface ComInitDb {
  readonly kind: 'com-init-db';
  readonly schema: string;
}

export const ComInitDb: CommandCodec<ComInitDb> = {
  command: Command.initDb,
  is: kindGuard<ComInitDb>('com-init-db'),
  decode(payload) {
    return { kind: 'com-init-db', schema: commandReader(payload, Command.initDb, 'ComInitDb').restString() };
  },
  encode(message) {
    return new PayloadWriter(1 + message.schema.length).uint8(Command.initDb).string(message.schema).finish();
  },
};
