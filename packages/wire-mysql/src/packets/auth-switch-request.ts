/**
 * Protocol::AuthSwitchRequest: the server asks the client to authenticate with another plugin.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_switch_request.html
 */
import { PacketHeader } from '../codes.js';
import { kindGuard, type PacketCodec } from '../packet-codec.js';
import { PayloadReader } from '../reader.js';
import { PayloadWriter } from '../writer.js';

export interface AuthSwitchRequest {
  readonly kind: 'auth-switch-request';
  readonly pluginName: string;
  /**
   * The plugin's initial data as sent: for mysql_native_password and caching_sha2_password the
   * 20-byte seed followed by a NUL (see `seedFromPluginData`).
   */
  readonly pluginData: Buffer;
}

export const AuthSwitchRequest: PacketCodec<AuthSwitchRequest> = {
  is: kindGuard<AuthSwitchRequest>('auth-switch-request'),
  decode(payload) {
    const reader = new PayloadReader(payload, 'AuthSwitchRequest');
    const header = reader.uint8();
    if (header !== PacketHeader.authSwitchRequest)
      throw reader.malformed(`header 0x${header.toString(16)} is not 0xfe`);
    // A lone 0xFE is the pre-4.1 "old password" switch, which no supported server sends.
    if (reader.remaining === 0) throw reader.malformed('old-password switch request is not supported');
    const pluginName = reader.cstring();
    return { kind: 'auth-switch-request', pluginName, pluginData: reader.rest() };
  },
  encode(message) {
    return new PayloadWriter(2 + message.pluginName.length + message.pluginData.length)
      .uint8(PacketHeader.authSwitchRequest)
      .cstring(message.pluginName)
      .bytes(message.pluginData)
      .finish();
  },
};
