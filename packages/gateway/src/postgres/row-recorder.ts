import { backend } from '@sluice/wire-postgres';
import type { ReplyTracker, StatementRun } from './reply-tracker.js';

interface Columns {
  readonly names: readonly string[];
  readonly formats: readonly number[];
}

/**
 * Keeps the first rows of each result as the client received them (after masking), for
 * `sessions replay` (`journal.record_rows`). Only made when that is above 0: otherwise no row
 * is ever decoded for it.
 */
export class PostgresRowRecorder {
  /** The newest description: a simple query's own, or a Describe's that precedes the Execute. */
  private columns: Columns = { names: [], formats: [] };

  constructor(private readonly limit: number) {}

  /** Called with each frame as it goes to the client, before the tracker moves on. */
  observe(code: number, bytes: Buffer, tracker: ReplyTracker): void {
    if (code === backend.RowDescription.code) {
      const { fields } = backend.RowDescription.decode(bytes);
      this.columns = {
        names: fields.map((field) => field.name),
        formats: fields.map((field) => field.format),
      };
      return;
    }
    if (code !== backend.DataRow.code) return;
    const run = tracker.currentRun;
    if (!run) return;
    const recorded = recordedOf(run, this.columns.names);
    if (recorded.rows.length >= this.limit) return;
    const { values } = backend.DataRow.decode(bytes);
    recorded.rows.push(values.map((value, index) => show(value, this.columns.formats[index] ?? 0)));
  }
}

type MutableRecordedRows = { readonly columns: readonly string[]; readonly rows: (string | null)[][] };

function recordedOf(run: StatementRun, columns: readonly string[]): MutableRecordedRows {
  run.recorded ??= { columns, rows: [] };
  return run.recorded as MutableRecordedRows;
}

function show(value: Buffer | null, format: number): string | null {
  if (value === null) return null;
  return format === 1 ? `\\x${value.toString('hex')}` : value.toString('utf8');
}
