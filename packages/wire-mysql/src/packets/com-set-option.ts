/**
 * COM_SET_OPTION: turns multi-statement support on or off for the session.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_set_option.html
 */
import { Command } from '../codes.js';
import { type CommandCodec, commandReader, kindGuard } from '../packet-codec.js';
import { PayloadWriter } from '../writer.js';

export interface ComSetOption {
  readonly kind: 'com-set-option';
  /** A `SetOption` value. */
  readonly option: number;
}

export const ComSetOption: CommandCodec<ComSetOption> = {
  command: Command.setOption,
  is: kindGuard<ComSetOption>('com-set-option'),
  decode(payload) {
    const reader = commandReader(payload, Command.setOption, 'ComSetOption');
    const option = reader.uint16();
    reader.end();
    return { kind: 'com-set-option', option };
  },
  encode(message) {
    return new PayloadWriter(3).uint8(Command.setOption).uint16(message.option).finish();
  },
};
