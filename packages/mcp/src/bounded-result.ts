import type { SqlResult } from './sql-client.js';

export interface ResultBounds {
  /** Rows returned at most. */
  readonly maxRows: number;
  /** Bytes of row data (as JSON) returned at most. */
  readonly maxBytes: number;
}

export const DEFAULT_BOUNDS: ResultBounds = { maxRows: 100, maxBytes: 64 * 1024 };

/** What a tool returns for a result: rows as JSON values, cut to the bounds, and why they were cut. */
export interface BoundedResult {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly (readonly JsonValue[])[];
  readonly rowCount: number;
  readonly truncated: boolean;
  readonly note: string | null;
  readonly affected: number | null;
}

export type JsonValue = string | number | boolean | null;

/** Cuts a result to the bounds; `received` rows were read, which may be one more than asked for. */
export function bound(result: SqlResult, bounds: ResultBounds, offset: number): BoundedResult {
  const rows: JsonValue[][] = [];
  let bytes = 0;
  let cutBy: 'rows' | 'bytes' | null = null;
  for (const row of result.rows) {
    if (rows.length >= bounds.maxRows) {
      cutBy = 'rows';
      break;
    }
    const values = row.map(jsonValue);
    bytes += Buffer.byteLength(JSON.stringify(values));
    if (bytes > bounds.maxBytes && rows.length > 0) {
      cutBy = 'bytes';
      break;
    }
    rows.push(values);
  }
  const next = offset + rows.length;
  const note =
    cutBy === null
      ? null
      : `truncated after ${rows.length} rows (${cutBy === 'rows' ? `row cap ${bounds.maxRows}` : `byte cap ${bounds.maxBytes}`}); ` +
        `to see more, call query again with "offset": ${next} (or add ORDER BY and LIMIT / OFFSET, or narrow the WHERE clause)`;
  return {
    columns: result.columns.map(({ name, type }) => ({ name, type })),
    rows,
    rowCount: rows.length,
    truncated: cutBy !== null,
    note,
    affected: result.affected,
  };
}

function jsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  return JSON.stringify(value);
}

const CELL_WIDTH = 40;

/** A compact pipe table for the text content, cells cut to a width so one value cannot flood it. */
export function textTable(result: BoundedResult): string {
  const lines: string[] = [];
  if (result.columns.length > 0) {
    lines.push(result.columns.map((column) => column.name).join(' | '));
    for (const row of result.rows) lines.push(row.map(cell).join(' | '));
    lines.push(`(${result.rowCount} row${result.rowCount === 1 ? '' : 's'})`);
  } else {
    lines.push(`OK${result.affected === null ? '' : `, ${result.affected} rows affected`}`);
  }
  if (result.note) lines.push(`Note: ${result.note}`);
  return lines.join('\n');
}

function cell(value: JsonValue): string {
  if (value === null) return 'NULL';
  const text = String(value).replace(/\s+/g, ' ');
  return text.length > CELL_WIDTH ? `${text.slice(0, CELL_WIDTH - 1)}…` : text;
}
