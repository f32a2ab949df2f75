/**
 * Protocol::AuthSwitchResponse: the client's plugin data after a switch or during a plugin's
 * exchange, sent raw (no header byte).
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_switch_response.html
 */
import { kindGuard, type PacketCodec } from '../packet-codec.js';

export interface AuthSwitchResponse {
  readonly kind: 'auth-switch-response';
  readonly data: Buffer;
}

export const AuthSwitchResponse: PacketCodec<AuthSwitchResponse> = {
  is: kindGuard<AuthSwitchResponse>('auth-switch-response'),
  decode(payload) {
    return { kind: 'auth-switch-response', data: payload };
  },
  encode(message) {
    return Buffer.from(message.data);
  },
};
