/**
 * Protocol::ColumnDefinition41, with MariaDB's extended metadata (MARIADB_CLIENT_EXTENDED_METADATA)
 * and the default value that follows in replies to COM_FIELD_LIST.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_column_definition.html
 * https://mariadb.com/kb/en/result-set-packets/#column-definition-packet
 */
import { hasCapability, MariadbCapability } from '../codes.js';
import { type CapabilityContext, kindGuard, type PacketCodec } from '../packet-codec.js';
import { PayloadReader } from '../reader.js';
import { encodeError, PayloadWriter } from '../writer.js';

/** Keys of MariaDB's extended metadata entries. */
export const ExtendedMetadataKey = {
  /** The data type's real name, e.g. 'uuid', 'inet6', 'point'. */
  typeName: 0,
  /** A format the value follows, e.g. 'json'. */
  format: 1,
} as const;

export interface ExtendedMetadataEntry {
  readonly key: number;
  readonly value: string;
}

/** Names are read as UTF-8 (the connection's utf8mb4). `type` is a `ColumnType`, `flags` `ColumnFlag`s. */
export interface ColumnDefinition41 {
  readonly kind: 'column-definition-41';
  readonly catalog: string;
  readonly schema: string;
  readonly table: string;
  readonly orgTable: string;
  readonly name: string;
  readonly orgName: string;
  /** Present exactly when MARIADB_CLIENT_EXTENDED_METADATA is negotiated. */
  readonly extendedMetadata: readonly ExtendedMetadataEntry[] | null;
  readonly characterSet: number;
  readonly columnLength: number;
  readonly type: number;
  readonly flags: number;
  readonly decimals: number;
  /** Only in replies to COM_FIELD_LIST: the column's default, null for none. */
  readonly defaultValue?: Buffer | null;
}

const FIXED_FIELDS_BYTES = 0x0c;
const FILLER_BYTES = 2;

export const ColumnDefinition41: PacketCodec<ColumnDefinition41, CapabilityContext> = {
  is: kindGuard<ColumnDefinition41>('column-definition-41'),
  decode(payload, context) {
    const reader = new PayloadReader(payload, 'ColumnDefinition41');
    const catalog = reader.lenencString();
    const schema = reader.lenencString();
    const table = reader.lenencString();
    const orgTable = reader.lenencString();
    const name = reader.lenencString();
    const orgName = reader.lenencString();
    const extendedMetadata = hasCapability(context.mariadbCapabilities, MariadbCapability.extendedMetadata)
      ? readExtendedMetadata(new PayloadReader(reader.lenencBytes(), 'ColumnDefinition41 extended metadata'))
      : null;
    const fixedBytes = reader.lenencInt();
    if (fixedBytes !== FIXED_FIELDS_BYTES)
      throw reader.malformed(`fixed fields of ${fixedBytes} bytes, expected 12`);
    const characterSet = reader.uint16();
    const columnLength = reader.uint32();
    const type = reader.uint8();
    const flags = reader.uint16();
    const decimals = reader.uint8();
    reader.bytes(FILLER_BYTES);
    const definition: ColumnDefinition41 = {
      kind: 'column-definition-41',
      catalog,
      schema,
      table,
      orgTable,
      name,
      orgName,
      extendedMetadata,
      characterSet,
      columnLength,
      type,
      flags,
      decimals,
    };
    if (reader.remaining === 0) return definition;
    const defaultValue = reader.nullableLenencBytes();
    reader.end();
    return { ...definition, defaultValue };
  },
  encode(message, context) {
    const extended = hasCapability(context.mariadbCapabilities, MariadbCapability.extendedMetadata);
    if (extended !== (message.extendedMetadata !== null)) {
      throw encodeError(
        'extendedMetadata must be given exactly when MARIADB_CLIENT_EXTENDED_METADATA is negotiated',
      );
    }
    const writer = new PayloadWriter(64)
      .lenencString(message.catalog)
      .lenencString(message.schema)
      .lenencString(message.table)
      .lenencString(message.orgTable)
      .lenencString(message.name)
      .lenencString(message.orgName);
    if (message.extendedMetadata !== null) {
      const entries = new PayloadWriter();
      for (const entry of message.extendedMetadata) entries.uint8(entry.key).lenencString(entry.value);
      writer.lenencBytes(entries.finish());
    }
    writer
      .lenencInt(FIXED_FIELDS_BYTES)
      .uint16(message.characterSet)
      .uint32(message.columnLength)
      .uint8(message.type)
      .uint16(message.flags)
      .uint8(message.decimals)
      .zeros(FILLER_BYTES);
    if (message.defaultValue !== undefined) writer.nullableLenencBytes(message.defaultValue);
    return writer.finish();
  },
};

function readExtendedMetadata(reader: PayloadReader): ExtendedMetadataEntry[] {
  const entries: ExtendedMetadataEntry[] = [];
  while (reader.remaining > 0) entries.push({ key: reader.uint8(), value: reader.lenencString() });
  return entries;
}
