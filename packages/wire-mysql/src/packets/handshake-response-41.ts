/**
 * Protocol::HandshakeResponse41, the client's answer to the greeting.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html
 * https://mariadb.com/kb/en/connection/#client-handshake-response
 */
import { Capability, hasCapability } from '../codes.js';
import {
  type ConnectAttributes,
  readConnectAttributes,
  writeConnectAttributes,
} from '../connect-attributes.js';
import { kindGuard, type PacketCodec } from '../packet-codec.js';
import { PayloadReader } from '../reader.js';
import { encodeError, PayloadWriter } from '../writer.js';
import { readClientPreamble, writeClientPreamble } from './ssl-request.js';

/**
 * Optional fields are present exactly when their capability is set: `database` with
 * CLIENT_CONNECT_WITH_DB, `authPluginName` with CLIENT_PLUGIN_AUTH, `connectAttributes` with
 * CLIENT_CONNECT_ATTRS, `zstdCompressionLevel` with CLIENT_ZSTD_COMPRESSION_ALGORITHM.
 * Names are read as UTF-8 (utf8mb4 is what every current driver sends).
 */
export interface HandshakeResponse41 {
  readonly kind: 'handshake-response-41';
  readonly capabilities: number;
  readonly mariadbCapabilities: number;
  readonly maxPacketSize: number;
  readonly characterSet: number;
  readonly username: string;
  readonly authResponse: Buffer;
  readonly database: string | null;
  readonly authPluginName: string | null;
  readonly connectAttributes: ConnectAttributes | null;
  readonly zstdCompressionLevel: number | null;
}

const MAX_ONE_BYTE_AUTH_RESPONSE = 0xff;

export const HandshakeResponse41: PacketCodec<HandshakeResponse41> = {
  is: kindGuard<HandshakeResponse41>('handshake-response-41'),
  decode(payload) {
    const reader = new PayloadReader(payload, 'HandshakeResponse41');
    const preamble = readClientPreamble(reader);
    const has = (flag: number) => hasCapability(preamble.capabilities, flag);
    if (!has(Capability.protocol41)) throw reader.malformed('client does not speak protocol 4.1');
    const username = reader.cstring();
    let authResponse: Buffer;
    if (has(Capability.pluginAuthLenencClientData)) authResponse = reader.lenencBytes();
    else if (has(Capability.secureConnection)) authResponse = reader.bytes(reader.uint8());
    else authResponse = reader.cstringBytes();
    const database = has(Capability.connectWithDb) ? reader.cstring() : null;
    const authPluginName = has(Capability.pluginAuth) ? reader.cstring() : null;
    const connectAttributes = has(Capability.connectAttrs) ? readConnectAttributes(reader) : null;
    const zstdCompressionLevel = has(Capability.zstdCompressionAlgorithm) ? reader.uint8() : null;
    reader.end();
    return {
      kind: 'handshake-response-41',
      ...preamble,
      username,
      authResponse,
      database,
      authPluginName,
      connectAttributes,
      zstdCompressionLevel,
    };
  },
  encode(message) {
    const has = (flag: number) => hasCapability(message.capabilities, flag);
    requirePresence(has(Capability.connectWithDb), message.database, 'database', 'CLIENT_CONNECT_WITH_DB');
    requirePresence(
      has(Capability.pluginAuth),
      message.authPluginName,
      'authPluginName',
      'CLIENT_PLUGIN_AUTH',
    );
    requirePresence(
      has(Capability.connectAttrs),
      message.connectAttributes,
      'connectAttributes',
      'CLIENT_CONNECT_ATTRS',
    );
    requirePresence(
      has(Capability.zstdCompressionAlgorithm),
      message.zstdCompressionLevel,
      'zstdCompressionLevel',
      'CLIENT_ZSTD_COMPRESSION_ALGORITHM',
    );
    if (!has(Capability.protocol41)) throw encodeError('HandshakeResponse41 needs CLIENT_PROTOCOL_41');
    const writer = new PayloadWriter(128 + message.authResponse.length);
    writeClientPreamble(writer, message);
    writer.cstring(message.username);
    if (has(Capability.pluginAuthLenencClientData)) {
      writer.lenencBytes(message.authResponse);
    } else if (has(Capability.secureConnection)) {
      if (message.authResponse.length > MAX_ONE_BYTE_AUTH_RESPONSE) {
        throw encodeError('an auth response over 255 bytes needs CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA');
      }
      writer.uint8(message.authResponse.length).bytes(message.authResponse);
    } else {
      writer.cstringBytes(message.authResponse);
    }
    if (message.database !== null) writer.cstring(message.database);
    if (message.authPluginName !== null) writer.cstring(message.authPluginName);
    if (message.connectAttributes !== null) writeConnectAttributes(writer, message.connectAttributes);
    if (message.zstdCompressionLevel !== null) writer.uint8(message.zstdCompressionLevel);
    return writer.finish();
  },
};

export function requirePresence(flagSet: boolean, value: unknown, field: string, flag: string): void {
  if (flagSet !== (value !== null)) throw encodeError(`${field} must be given exactly when ${flag} is set`);
}
