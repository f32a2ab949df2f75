import { ColumnType, packets } from '@sluice/wire-mysql';

/** The `binary` character set: string types in it hold bytes, not text. */
const BINARY_CHARSET = 63;

/** Type names as masking knows them (see @sluice/masking valueKindOf); unlisted types are opaque. */
const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [ColumnType.decimal, 'decimal'],
  [ColumnType.newdecimal, 'decimal'],
  [ColumnType.tiny, 'tinyint'],
  [ColumnType.short, 'smallint'],
  [ColumnType.long, 'int'],
  [ColumnType.int24, 'mediumint'],
  [ColumnType.longlong, 'bigint'],
  [ColumnType.float, 'float'],
  [ColumnType.double, 'double'],
  [ColumnType.null, 'null'],
  [ColumnType.timestamp, 'timestamp'],
  [ColumnType.timestamp2, 'timestamp'],
  [ColumnType.date, 'date'],
  [ColumnType.newdate, 'date'],
  [ColumnType.time, 'time'],
  [ColumnType.time2, 'time'],
  [ColumnType.datetime, 'datetime'],
  [ColumnType.datetime2, 'datetime'],
  [ColumnType.year, 'year'],
  [ColumnType.bit, 'bit'],
  [ColumnType.bool, 'boolean'],
  [ColumnType.json, 'json'],
  [ColumnType.enum, 'enum'],
  [ColumnType.set, 'set'],
  [ColumnType.geometry, 'geometry'],
  [ColumnType.vector, 'vector'],
]);

/** String types: text in a text character set, bytes in `binary`. */
const STRING_TYPES: ReadonlyMap<number, readonly [text: string, bytes: string]> = new Map([
  [ColumnType.varchar, ['varchar', 'varbinary']],
  [ColumnType.varString, ['varchar', 'varbinary']],
  [ColumnType.string, ['char', 'binary']],
  [ColumnType.tinyBlob, ['tinytext', 'varbinary']],
  [ColumnType.mediumBlob, ['mediumtext', 'varbinary']],
  [ColumnType.longBlob, ['longtext', 'varbinary']],
  [ColumnType.blob, ['text', 'varbinary']],
]);

/**
 * A result column's type as masking names it. Text types take any mask; `json` only valid JSON
 * (MySQL's JSON type is sent in the binary character set, but holds text); byte strings carry
 * the masked text's bytes; numbers carry `last4` and `hash`; dates and the like become NULL when
 * a rule masks them. MariaDB's JSON is a LONGTEXT whose extended metadata names the format.
 */
export function maskingTypeName(definition: packets.ColumnDefinition41): string {
  if (isJsonFormat(definition)) return 'json';
  const strings = STRING_TYPES.get(definition.type);
  if (strings) return definition.characterSet === BINARY_CHARSET ? strings[1] : strings[0];
  return TYPE_NAMES.get(definition.type) ?? 'opaque';
}

/**
 * Whether a binary-protocol value of this type is a length-encoded string whose bytes can hold
 * the value's text (ProtocolBinary::MYSQL_TYPE_STRING and friends, byte strings included); other
 * types are fixed-width numbers, decimals or packed dates, rewritten by their own encoding.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html
 */
export function binaryValueIsText(definition: packets.ColumnDefinition41): boolean {
  if (definition.type === ColumnType.json || definition.type === ColumnType.enum) return true;
  if (definition.type === ColumnType.set) return true;
  return STRING_TYPES.has(definition.type);
}

/** MariaDB marks its JSON columns (a LONGTEXT alias) with the format `json` in extended metadata. */
function isJsonFormat(definition: packets.ColumnDefinition41): boolean {
  return (
    definition.extendedMetadata?.some(
      (entry) => entry.key === packets.ExtendedMetadataKey.format && entry.value === 'json',
    ) ?? false
  );
}
