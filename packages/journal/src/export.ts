import type { StatementRecord } from './types.js';

/** Field order of the CSV header and columns: the order of `StatementRecord`. */
export const STATEMENT_FIELDS = [
  'id',
  'time',
  'session',
  'identity',
  'groups',
  'connection',
  'protocol',
  'client_address',
  'statement',
  'parameters',
  'kind',
  'tables',
  'decision',
  'rule',
  'reason',
  'approver',
  'masked_columns',
  'rows',
  'duration_ms',
  'error',
  'completed',
  'hash',
  // Last, so that a CSV reader of earlier exports finds every other column where it was.
  'gateway',
] as const satisfies readonly (keyof StatementRecord)[];

/** One JSON object per line; returns how many records were written. */
export function writeJsonl(records: Iterable<StatementRecord>, write: (chunk: string) => void): number {
  let count = 0;
  for (const record of records) {
    write(jsonlLine(record));
    count += 1;
  }
  return count;
}

export function jsonlLine(record: StatementRecord): string {
  return `${JSON.stringify(record)}\n`;
}

export const CSV_HEADER = `${STATEMENT_FIELDS.join(',')}\r\n`;

export function csvLine(record: StatementRecord): string {
  return `${STATEMENT_FIELDS.map((field) => csvField(record[field])).join(',')}\r\n`;
}

/**
 * RFC 4180: CRLF line ends, a header row, fields quoted when they hold a comma, quote or line
 * break, quotes doubled. Lists are joined with ';' and null is an empty field, so a list item
 * containing ';' or a null parameter cannot be told apart in CSV: JSON lines are exact.
 */
export function writeCsv(records: Iterable<StatementRecord>, write: (chunk: string) => void): number {
  write(CSV_HEADER);
  let count = 0;
  for (const record of records) {
    write(csvLine(record));
    count += 1;
  }
  return count;
}

function csvField(value: StatementRecord[(typeof STATEMENT_FIELDS)[number]]): string {
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value) ? value.map((item) => item ?? '').join(';') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
