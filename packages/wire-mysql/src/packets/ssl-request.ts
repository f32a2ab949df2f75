/**
 * Protocol::SSLRequest: the first 32 bytes of a HandshakeResponse41, sent alone before the TLS
 * handshake when the client sets CLIENT_SSL.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_ssl_request.html
 */
import { Capability, hasCapability } from '../codes.js';
import { kindGuard, type PacketCodec } from '../packet-codec.js';
import { PayloadReader } from '../reader.js';
import { encodeError, PayloadWriter } from '../writer.js';

export interface SslRequest {
  readonly kind: 'ssl-request';
  readonly capabilities: number;
  readonly mariadbCapabilities: number;
  readonly maxPacketSize: number;
  readonly characterSet: number;
}

/** The fields every client packet of the connection phase starts with. */
export type ClientPreamble = Omit<SslRequest, 'kind'>;

const SSL_REQUEST_BYTES = 32;
const FILLER_BYTES = 19;
const MARIADB_CAPABILITY_BYTES = 4;

export const SslRequest: PacketCodec<SslRequest> = {
  is: kindGuard<SslRequest>('ssl-request'),
  decode(payload) {
    const reader = new PayloadReader(payload, 'SslRequest');
    const preamble = readClientPreamble(reader);
    if (!hasCapability(preamble.capabilities, Capability.ssl))
      throw reader.malformed('CLIENT_SSL is not set');
    reader.end();
    return { kind: 'ssl-request', ...preamble };
  },
  encode(message) {
    if (!hasCapability(message.capabilities, Capability.ssl))
      throw encodeError('SslRequest needs CLIENT_SSL');
    const writer = new PayloadWriter(SSL_REQUEST_BYTES);
    writeClientPreamble(writer, message);
    return writer.finish();
  },
};

/** A client's first packet is an SslRequest when it is exactly 32 bytes and asks for TLS. */
export function isSslRequestPayload(payload: Buffer): boolean {
  return payload.length === SSL_REQUEST_BYTES && hasCapability(payload.readUInt32LE(0), Capability.ssl);
}

export function readClientPreamble(reader: PayloadReader): ClientPreamble {
  const capabilities = reader.uint32();
  const maxPacketSize = reader.uint32();
  const characterSet = reader.uint8();
  reader.bytes(FILLER_BYTES);
  const extended = reader.uint32();
  // Only a client that leaves CLIENT_MYSQL unset uses the last filler bytes for MariaDB's flags.
  const mariadbCapabilities = hasCapability(capabilities, Capability.longPassword) ? 0 : extended;
  return { capabilities, mariadbCapabilities, maxPacketSize, characterSet };
}

export function writeClientPreamble(writer: PayloadWriter, preamble: ClientPreamble): void {
  if (hasCapability(preamble.capabilities, Capability.longPassword) && preamble.mariadbCapabilities !== 0) {
    throw encodeError('MariaDB capabilities need CLIENT_MYSQL (longPassword) unset');
  }
  writer
    .uint32(preamble.capabilities >>> 0)
    .uint32(preamble.maxPacketSize)
    .uint8(preamble.characterSet)
    .zeros(FILLER_BYTES);
  if (preamble.mariadbCapabilities !== 0) writer.uint32(preamble.mariadbCapabilities);
  else writer.zeros(MARIADB_CAPABILITY_BYTES);
}
