/**
 * Protocol::HandshakeV10, the server's greeting.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html
 * https://mariadb.com/kb/en/connection/#initial-handshake-packet
 */
import { Capability, hasCapability } from '../codes.js';
import { kindGuard, type PacketCodec } from '../packet-codec.js';
import { PayloadReader } from '../reader.js';
import { encodeError, PayloadWriter } from '../writer.js';

export interface InitialHandshake {
  readonly kind: 'initial-handshake';
  readonly protocolVersion: number;
  readonly serverVersion: string;
  /** The thread id; clients use it for KILL, so a gateway should pass the upstream's on. */
  readonly connectionId: number;
  /** The seed: part 1 (8 bytes) and part 2 without its NUL terminator, 20 bytes from real servers. */
  readonly authPluginData: Buffer;
  /** The lower 32 capability bits. */
  readonly capabilities: number;
  /** MariaDB's extended capabilities, from the filler; 0 when CLIENT_MYSQL is set. */
  readonly mariadbCapabilities: number;
  readonly characterSet: number;
  readonly statusFlags: number;
  /** Present exactly when CLIENT_PLUGIN_AUTH is set. */
  readonly authPluginName: string | null;
}

const PROTOCOL_VERSION = 10;
const PART1_BYTES = 8;
const MIN_PART2_BYTES = 13;
const RESERVED_BYTES = 6;
const MARIADB_CAPABILITY_BYTES = 4;

export const InitialHandshake: PacketCodec<InitialHandshake> = {
  is: kindGuard<InitialHandshake>('initial-handshake'),
  decode(payload) {
    const reader = new PayloadReader(payload, 'InitialHandshake');
    const protocolVersion = reader.uint8();
    if (protocolVersion !== PROTOCOL_VERSION) {
      throw reader.malformed(
        `protocol version ${protocolVersion} is not 10 (an ERR packet instead of a greeting?)`,
      );
    }
    const serverVersion = reader.cstring();
    const connectionId = reader.uint32();
    const part1 = reader.bytes(PART1_BYTES);
    reader.uint8();
    const lower = reader.uint16();
    const characterSet = reader.uint8();
    const statusFlags = reader.uint16();
    const capabilities = (lower | (reader.uint16() << 16)) >>> 0;
    const authPluginDataLength = reader.uint8();
    reader.bytes(RESERVED_BYTES);
    const extended = reader.uint32();
    const mariadbCapabilities = hasCapability(capabilities, Capability.longPassword) ? 0 : extended;
    let authPluginData = part1;
    if (hasCapability(capabilities, Capability.secureConnection)) {
      const part2 = reader.bytes(Math.max(MIN_PART2_BYTES, authPluginDataLength - PART1_BYTES));
      const terminated = part2[part2.length - 1] === 0 ? part2.subarray(0, -1) : part2;
      authPluginData = Buffer.concat([part1, terminated]);
    }
    let authPluginName: string | null = null;
    if (hasCapability(capabilities, Capability.pluginAuth)) {
      // MySQL 5.5.7 to 5.5.9 sent the name without its terminator (bug #59453).
      authPluginName = payload.indexOf(0, reader.position) === -1 ? reader.restString() : reader.cstring();
    }
    reader.end();
    return {
      kind: 'initial-handshake',
      protocolVersion,
      serverVersion,
      connectionId,
      authPluginData,
      capabilities,
      mariadbCapabilities,
      characterSet,
      statusFlags,
      authPluginName,
    };
  },
  encode(message) {
    const secure = hasCapability(message.capabilities, Capability.secureConnection);
    const pluginAuth = hasCapability(message.capabilities, Capability.pluginAuth);
    checkSeedLength(message.authPluginData.length, secure, pluginAuth);
    if (pluginAuth !== (message.authPluginName !== null)) {
      throw encodeError('authPluginName must be given exactly when CLIENT_PLUGIN_AUTH is set');
    }
    if (hasCapability(message.capabilities, Capability.longPassword) && message.mariadbCapabilities !== 0) {
      throw encodeError('MariaDB capabilities need CLIENT_MYSQL (longPassword) unset');
    }
    const writer = new PayloadWriter(64 + message.serverVersion.length)
      .uint8(message.protocolVersion)
      .cstring(message.serverVersion)
      .uint32(message.connectionId)
      .bytes(message.authPluginData.subarray(0, PART1_BYTES))
      .uint8(0)
      .uint16(message.capabilities & 0xffff)
      .uint8(message.characterSet)
      .uint16(message.statusFlags)
      .uint16(message.capabilities >>> 16)
      .uint8(pluginAuth ? message.authPluginData.length + 1 : 0)
      .zeros(RESERVED_BYTES);
    if (message.mariadbCapabilities !== 0) writer.uint32(message.mariadbCapabilities);
    else writer.zeros(MARIADB_CAPABILITY_BYTES);
    if (secure) writer.bytes(message.authPluginData.subarray(PART1_BYTES)).uint8(0);
    if (message.authPluginName !== null) writer.cstring(message.authPluginName);
    return writer.finish();
  },
};

/** Part 2 is at least 13 bytes with its NUL; without CLIENT_PLUGIN_AUTH it is exactly 13. */
function checkSeedLength(length: number, secure: boolean, pluginAuth: boolean): void {
  if (!secure) {
    if (length !== PART1_BYTES) throw encodeError('without CLIENT_SECURE_CONNECTION the seed is 8 bytes');
    return;
  }
  const minimum = PART1_BYTES + MIN_PART2_BYTES - 1;
  if (length < minimum || (!pluginAuth && length !== minimum)) {
    throw encodeError(
      `a seed of ${length} bytes cannot be sent; it needs ${minimum}${pluginAuth ? ' or more' : ''}`,
    );
  }
}
