// What the gateway knows of PostgreSQL types without the catalog: built-in names, and how a
// value reads in binary format.

/**
 * How a column's binary values read (protocol-message-formats, DataRow; binary send functions):
 * text types send their text, jsonb a version byte then its text, anything else is opaque.
 */
export type BinaryLayout = 'text' | 'jsonb' | 'opaque';

/** Types whose binary send function writes the value's text unchanged. */
const TEXT_BINARY_TYPES: ReadonlySet<string> = new Set([
  'text',
  'varchar',
  'bpchar',
  'name',
  'citext',
  'unknown',
  'json',
  'xml',
]);

/** The pseudo-type of anonymous row values: `ROW(…)`, `(a, b)`. */
export const RECORD_OID = 2249;

/** Built-in type OIDs (pg_type.dat), for when the catalog is not loaded. */
const BUILTIN_TYPES: ReadonlyMap<number, string> = new Map([
  [16, 'bool'],
  [17, 'bytea'],
  [19, 'name'],
  [20, 'int8'],
  [21, 'int2'],
  [23, 'int4'],
  [25, 'text'],
  [26, 'oid'],
  [114, 'json'],
  [142, 'xml'],
  [700, 'float4'],
  [701, 'float8'],
  [705, 'unknown'],
  [1042, 'bpchar'],
  [1043, 'varchar'],
  [1082, 'date'],
  [1114, 'timestamp'],
  [1184, 'timestamptz'],
  [1700, 'numeric'],
  [2249, 'record'],
  [2950, 'uuid'],
  [3802, 'jsonb'],
]);

/** Built-in array types (pg_type.dat) and their element types, for when the catalog is not loaded. */
const BUILTIN_ARRAYS: ReadonlyMap<number, number> = new Map([
  [1000, 16],
  [1001, 17],
  [1003, 19],
  [1005, 21],
  [1007, 23],
  [1009, 25],
  [1014, 1042],
  [1015, 1043],
  [1016, 20],
  [1021, 700],
  [1022, 701],
  [1182, 1082],
  [1231, 1700],
  [199, 114],
  [143, 142],
  [2951, 2950],
  [3807, 3802],
  [2287, RECORD_OID],
]);

/** The first byte of a jsonb value in binary format. */
export const JSONB_VERSION = 1;

/** The name of a built-in type, for when the catalog is not loaded. */
export function builtinTypeName(oid: number): string | null {
  return BUILTIN_TYPES.get(oid) ?? null;
}

/** The element type of a built-in array type; 0 for any other type. */
export function builtinArrayElement(oid: number): number {
  return BUILTIN_ARRAYS.get(oid) ?? 0;
}

export function binaryLayoutOf(typeName: string | null): BinaryLayout {
  if (typeName === 'jsonb') return 'jsonb';
  return typeName !== null && TEXT_BINARY_TYPES.has(typeName) ? 'text' : 'opaque';
}
