/**
 * What a column's values are, as far as masking cares:
 * - `text`: any string fits (a mask such as `****` or `h_…` is a valid value);
 * - `json`: only valid JSON fits;
 * - `bytes`: a byte string (PostgreSQL `bytea`, MySQL strings in the `binary` character set):
 *   its bytes can hold text, so they are scanned, and a mask is carried as the masked text's bytes;
 * - `number`: integers and decimals: `last4` and `hash` give a number, other strategies NULL;
 * - `structure`: an array or a composite (row) value, masked element by element by the wire;
 * - `other`: dates, times, UUIDs, booleans, geometry: no value of the type carries a mask, so
 *   masked values become NULL and detectors leave them alone.
 */
export type ValueKind = 'text' | 'json' | 'bytes' | 'number' | 'structure' | 'other';

/** PostgreSQL (pg_type.typname and SQL spellings) and MySQL type names whose values are free text. */
const TEXT_TYPES: ReadonlySet<string> = new Set([
  'text',
  'varchar',
  'character varying',
  'bpchar',
  'char',
  'character',
  'name',
  'citext',
  'unknown',
  'xml',
  'string',
  'var_string',
  'varstring',
  'tinytext',
  'mediumtext',
  'longtext',
  'tinyblob',
  'blob',
  'mediumblob',
  'longblob',
  'enum',
  'set',
]);

const JSON_TYPES: ReadonlySet<string> = new Set(['json', 'jsonb']);

const BYTES_TYPES: ReadonlySet<string> = new Set(['bytea', 'binary', 'varbinary']);

/**
 * Number types, with how many decimal digits a `hash` of a value may have so that it fits the
 * type whatever the sign (a smallint holds 4 digits, an int 9, a bigint 18).
 */
const NUMBER_DIGITS: ReadonlyMap<string, number> = new Map([
  ['int2', 4],
  ['smallint', 4],
  ['tinyint', 2],
  ['mediumint', 6],
  ['int4', 9],
  ['int', 9],
  ['integer', 9],
  ['oid', 9],
  ['int8', 18],
  ['bigint', 18],
  ['numeric', 15],
  ['decimal', 15],
  ['float4', 6],
  ['real', 6],
  ['float', 6],
  ['float8', 15],
  ['double', 15],
  ['double precision', 15],
]);

/** Names the PostgreSQL wire gives to columns whose values it masks element by element. */
const STRUCTURE_TYPES: ReadonlySet<string> = new Set(['array', 'record']);

function normalized(typeName: string): string {
  // Type modifiers say nothing about the kind: `varchar(255)`, `character varying(64)`.
  return typeName
    .trim()
    .toLowerCase()
    .replace(/\(.*\)$/, '')
    .replace(/ unsigned$/, '');
}

/** An unknown type is taken for text: a mask then still replaces the value. */
export function valueKindOf(typeName: string | null): ValueKind {
  if (typeName === null) return 'text';
  const name = normalized(typeName);
  if (TEXT_TYPES.has(name)) return 'text';
  if (JSON_TYPES.has(name)) return 'json';
  if (BYTES_TYPES.has(name)) return 'bytes';
  if (NUMBER_DIGITS.has(name)) return 'number';
  if (STRUCTURE_TYPES.has(name)) return 'structure';
  return 'other';
}

/** How many digits a masked number of this type may have; 0 for a type that is no number. */
export function numberDigitsOf(typeName: string | null): number {
  return typeName === null ? 0 : (NUMBER_DIGITS.get(normalized(typeName)) ?? 0);
}
