/**
 * Connection attributes of HandshakeResponse41 and COM_CHANGE_USER: a length-encoded total, then
 * length-encoded name / value pairs.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html
 */
import type { PayloadReader } from './reader.js';
import { PayloadWriter } from './writer.js';

/** Attribute names in wire order; a repeated name keeps its last value, as the server does. */
export type ConnectAttributes = ReadonlyMap<string, string>;

export function readConnectAttributes(reader: PayloadReader): ConnectAttributes {
  const total = reader.lenencInt();
  if (total > reader.remaining)
    throw reader.malformed(`connection attributes of ${total} bytes run past the end`);
  const end = reader.position + total;
  const attributes = new Map<string, string>();
  while (reader.position < end) {
    const name = reader.lenencString();
    const value = reader.lenencString();
    attributes.set(name, value);
  }
  if (reader.position !== end) throw reader.malformed('connection attributes overrun their declared length');
  return attributes;
}

export function writeConnectAttributes(writer: PayloadWriter, attributes: ConnectAttributes): void {
  const pairs = new PayloadWriter();
  for (const [name, value] of attributes) pairs.lenencString(name).lenencString(value);
  writer.lenencBytes(pairs.finish());
}
