/**
 * ProtocolText::ResultsetRow: one length-encoded string per column, 0xFB for NULL.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_row.html
 */
import { kindGuard, type PacketCodec } from '../packet-codec.js';
import { PayloadReader } from '../reader.js';
import { encodeError, PayloadWriter } from '../writer.js';

/** One row; each value is a view into the payload, or null for SQL NULL. */
export interface TextRow {
  readonly kind: 'text-row';
  readonly values: readonly (Buffer | null)[];
}

export const TextRow: PacketCodec<TextRow> = {
  is: kindGuard<TextRow>('text-row'),
  decode(payload) {
    const reader = new PayloadReader(payload, 'TextRow');
    if (reader.remaining === 0) throw reader.malformed('a row has at least one value');
    const values: (Buffer | null)[] = [];
    while (reader.remaining > 0) values.push(reader.nullableLenencBytes());
    return { kind: 'text-row', values };
  },
  encode(message) {
    if (message.values.length === 0) throw encodeError('a row has at least one value');
    let bytes = 0;
    for (const value of message.values) bytes += 9 + (value?.length ?? 0);
    const writer = new PayloadWriter(bytes);
    for (const value of message.values) writer.nullableLenencBytes(value);
    return writer.finish();
  },
};
