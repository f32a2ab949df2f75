/**
 * What a column's values are, as far as masking cares:
 * - `text`: any string fits (a mask such as `****` or `h_…` is a valid value);
 * - `json`: only valid JSON fits;
 * - `other`: numbers, dates, UUIDs, booleans, bytes, arrays: a text mask would not parse, so
 *   masked values become NULL and detectors leave them alone.
 */
export type ValueKind = 'text' | 'json' | 'other';

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

/** An unknown type is taken for text: a mask then still replaces the value. */
export function valueKindOf(typeName: string | null): ValueKind {
  if (typeName === null) return 'text';
  // Type modifiers say nothing about the kind: `varchar(255)`, `character varying(64)`.
  const name = typeName
    .trim()
    .toLowerCase()
    .replace(/\(.*\)$/, '');
  if (TEXT_TYPES.has(name)) return 'text';
  if (JSON_TYPES.has(name)) return 'json';
  return 'other';
}
