import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { CSV_HEADER, csvLine, type Journal, jsonlLine, type StatementQuery } from '@sluice/journal';

export type ExportFormat = 'jsonl' | 'csv';

/** Lines gathered into one write: fewer, larger writes, still a small buffer. */
const BATCH_LINES = 256;

/**
 * Streams the statements matching `query` to `out` with constant memory: the journal is read a
 * page at a time, and the export waits for `out` to drain whenever its buffer is full, so a
 * slow disk or pipe holds back the reading instead of filling memory. Returns the count.
 */
export async function exportStatements(
  journal: Journal,
  query: StatementQuery,
  format: ExportFormat,
  out: Writable,
): Promise<number> {
  const line = format === 'csv' ? csvLine : jsonlLine;
  let buffer = format === 'csv' ? CSV_HEADER : '';
  let lines = 0;
  let count = 0;
  const flush = async (): Promise<void> => {
    if (buffer !== '' && !out.write(buffer)) await once(out, 'drain');
    buffer = '';
    lines = 0;
  };
  for (const record of journal.statements(query)) {
    buffer += line(record);
    count += 1;
    lines += 1;
    if (lines === BATCH_LINES) await flush();
  }
  await flush();
  return count;
}
