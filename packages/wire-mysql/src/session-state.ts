/**
 * The session state information of an OK packet (CLIENT_SESSION_TRACK): entries of a type byte
 * and length-encoded data. Lets a gateway follow `sql_mode`, the schema and transaction state.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html#sect_protocol_basic_ok_packet_sessinfo
 */
import { SessionTrackType } from './codes.js';
import { PayloadReader } from './reader.js';

export type SessionStateChange =
  | { readonly kind: 'system-variable'; readonly name: string; readonly value: string }
  | { readonly kind: 'schema'; readonly schema: string }
  | { readonly kind: 'other'; readonly type: number; readonly data: Buffer };

/** Throws MysqlWireError 'malformed' when an entry overruns the data. */
export function decodeSessionStateChanges(data: Buffer): SessionStateChange[] {
  const reader = new PayloadReader(data, 'session state');
  const changes: SessionStateChange[] = [];
  while (reader.remaining > 0) {
    const type = reader.uint8();
    const entry = reader.lenencBytes();
    const entryReader = new PayloadReader(entry, 'session state entry');
    if (type === SessionTrackType.systemVariables) {
      const name = entryReader.lenencString();
      const value = entryReader.lenencString();
      entryReader.end();
      changes.push({ kind: 'system-variable', name, value });
    } else if (type === SessionTrackType.schema) {
      const schema = entryReader.lenencString();
      entryReader.end();
      changes.push({ kind: 'schema', schema });
    } else {
      changes.push({ kind: 'other', type, data: entry });
    }
  }
  return changes;
}
