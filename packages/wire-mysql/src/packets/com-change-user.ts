/**
 * COM_CHANGE_USER: re-authenticates as another user on the same connection; the server answers
 * like a handshake (OK, ERR or an auth switch).
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_change_user.html
 * https://mariadb.com/kb/en/com_change_user/
 */
import { Capability, Command, hasCapability } from '../codes.js';
import {
  type ConnectAttributes,
  readConnectAttributes,
  writeConnectAttributes,
} from '../connect-attributes.js';
import { type CapabilityContext, type CommandCodec, commandReader, kindGuard } from '../packet-codec.js';
import { encodeError, PayloadWriter } from '../writer.js';

/** Fields after `database` are optional on the wire; each later one needs the earlier ones. */
export interface ComChangeUser {
  readonly kind: 'com-change-user';
  readonly username: string;
  readonly authResponse: Buffer;
  readonly database: string;
  readonly characterSet: number | null;
  /** Only with CLIENT_PLUGIN_AUTH. */
  readonly authPluginName: string | null;
  /** Only with CLIENT_CONNECT_ATTRS. */
  readonly connectAttributes: ConnectAttributes | null;
}

const MAX_ONE_BYTE_AUTH_RESPONSE = 0xff;

export const ComChangeUser: CommandCodec<ComChangeUser, CapabilityContext> = {
  command: Command.changeUser,
  is: kindGuard<ComChangeUser>('com-change-user'),
  decode(payload, context) {
    const has = (flag: number) => hasCapability(context.capabilities, flag);
    const reader = commandReader(payload, Command.changeUser, 'ComChangeUser');
    const username = reader.cstring();
    const authResponse = has(Capability.secureConnection)
      ? reader.bytes(reader.uint8())
      : reader.cstringBytes();
    const database = reader.cstring();
    const characterSet = reader.remaining > 0 ? reader.uint16() : null;
    const authPluginName = has(Capability.pluginAuth) && reader.remaining > 0 ? reader.cstring() : null;
    const connectAttributes =
      has(Capability.connectAttrs) && reader.remaining > 0 ? readConnectAttributes(reader) : null;
    reader.end();
    return {
      kind: 'com-change-user',
      username,
      authResponse,
      database,
      characterSet,
      authPluginName,
      connectAttributes,
    };
  },
  encode(message, context) {
    const has = (flag: number) => hasCapability(context.capabilities, flag);
    const writer = new PayloadWriter(64 + message.authResponse.length)
      .uint8(Command.changeUser)
      .cstring(message.username);
    if (has(Capability.secureConnection)) {
      if (message.authResponse.length > MAX_ONE_BYTE_AUTH_RESPONSE)
        throw encodeError('auth response over 255 bytes');
      writer.uint8(message.authResponse.length).bytes(message.authResponse);
    } else {
      writer.cstringBytes(message.authResponse);
    }
    writer.cstring(message.database);
    const pluginGiven = message.authPluginName !== null;
    const attributesGiven = message.connectAttributes !== null;
    if ((pluginGiven || attributesGiven) && message.characterSet === null) {
      throw encodeError('authPluginName and connectAttributes need characterSet');
    }
    if (pluginGiven && !has(Capability.pluginAuth))
      throw encodeError('authPluginName needs CLIENT_PLUGIN_AUTH');
    if (attributesGiven && !has(Capability.connectAttrs))
      throw encodeError('connectAttributes need CLIENT_CONNECT_ATTRS');
    if (attributesGiven && has(Capability.pluginAuth) && !pluginGiven) {
      throw encodeError('with CLIENT_PLUGIN_AUTH, connectAttributes need authPluginName');
    }
    if (message.characterSet !== null) writer.uint16(message.characterSet);
    if (message.authPluginName !== null) writer.cstring(message.authPluginName);
    if (message.connectAttributes !== null) writeConnectAttributes(writer, message.connectAttributes);
    return writer.finish();
  },
};
