/**
 * The first packet of a result set: the column count, then (MariaDB's
 * MARIADB_CLIENT_CACHE_METADATA or MySQL's CLIENT_OPTIONAL_RESULTSET_METADATA) whether column
 * definitions follow.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset.html
 * https://mariadb.com/kb/en/result-set-packets/#column-count-packet
 */
import { kindGuard, type PacketCodec } from '../packet-codec.js';
import { PayloadReader } from '../reader.js';
import { PayloadWriter } from '../writer.js';

export interface ColumnCount {
  readonly kind: 'column-count';
  readonly count: number;
  /** Null when the metadata flag byte is not sent (neither capability negotiated). */
  readonly metadataFollows: boolean | null;
}

export const ColumnCount: PacketCodec<ColumnCount> = {
  is: kindGuard<ColumnCount>('column-count'),
  decode(payload) {
    const reader = new PayloadReader(payload, 'ColumnCount');
    const count = reader.lenencInt();
    if (count === 0) throw reader.malformed('a result set has at least one column (0x00 is an OK packet)');
    const metadataFollows = reader.remaining > 0 ? readFlag(reader) : null;
    reader.end();
    return { kind: 'column-count', count, metadataFollows };
  },
  encode(message) {
    const writer = new PayloadWriter(10).lenencInt(message.count);
    if (message.metadataFollows !== null) writer.uint8(message.metadataFollows ? 1 : 0);
    return writer.finish();
  },
};

export function readFlag(reader: PayloadReader): boolean {
  const flag = reader.uint8();
  if (flag > 1) throw reader.malformed(`metadata flag ${flag} is neither 0 nor 1`);
  return flag === 1;
}
