import type { MaskPlan, ResultColumn } from '@sluice/masking';
import type { StatementAnalysis } from '@sluice/sql';
import { backend } from '@sluice/wire-postgres';
import type { SessionMasking } from '../session-masking.js';
import { type CopyFormat, copyFormatOf, formatCopyRow, parseCopyRow } from './copy-format.js';
import type { PostgresRowMasking } from './row-masking.js';

/** How the rows of one COPY … TO STDOUT are masked. */
export interface CopyMask {
  /** One mask per COPY column; null when the columns could not be named. */
  readonly plan: MaskPlan | null;
  /**
   * A one-column plan for a value of unknown origin, used for every field when the columns
   * cannot be named or a row does not line up with them: it fails closed.
   */
  readonly anyField: MaskPlan;
  readonly format: CopyFormat;
  readonly binary: boolean;
  headerPending: boolean;
}

const UNKNOWN_COLUMN: ResultColumn = { name: '?column?', source: null, typeName: null };

/** The COPY's column names, `*` expanded through the catalog; null when one cannot be named. */
function copyColumnsOf(
  analysis: StatementAnalysis,
  columnsOf: (table: string) => readonly string[] | null,
): ResultColumn[] | null {
  if (analysis.outputColumns === null) return null;
  const columns: ResultColumn[] = [];
  for (const output of analysis.outputColumns) {
    if (!output.star) {
      columns.push({ name: output.name, source: null, typeName: null });
      continue;
    }
    for (const source of output.sources) {
      const names =
        source.column === '*' && source.table !== null ? columnsOf(source.table) : [source.column];
      if (names === null) return null;
      for (const name of names) columns.push({ name, source: null, typeName: null });
    }
  }
  return columns;
}

/** The mask for a COPY's rows, or null when nothing in them is masked. */
export async function copyMaskFor(
  rows: PostgresRowMasking,
  analysis: StatementAnalysis | undefined,
  copyOutResponse: Buffer,
): Promise<CopyMask | null> {
  const { format: wireFormat } = backend.CopyOutResponse.decode(copyOutResponse);
  // Without lineage, a column is of unknown origin: masked when the COPY reads a table that
  // may hold masked columns.
  const anyField = await rows.planForNames(
    [UNKNOWN_COLUMN],
    analysis && { ...analysis, outputColumns: null },
  );
  const columns = analysis ? copyColumnsOf(analysis, rows.columnsOf) : null;
  const plan = columns ? await rows.planForNames(columns, analysis) : null;
  if ((plan ?? anyField).empty) return null;
  const format = copyFormatOf(analysis?.text ?? '');
  return { plan, anyField, format, binary: wireFormat === 1, headerPending: format.header };
}

/**
 * A CopyData of the COPY with its masked fields replaced. Binary COPY rows cannot be split
 * without every column's type, so under a non-empty mask their data is withheld.
 */
export function maskCopyData(session: SessionMasking, mask: CopyMask, frame: Buffer): Buffer {
  if (mask.binary) return Buffer.alloc(0);
  const line = backend.CopyData.decode(frame).data.toString('utf8');
  if (mask.headerPending) {
    mask.headerPending = false;
    return frame;
  }
  const fields = parseCopyRow(line, mask.format);
  if (fields === null) {
    const whole = session.cell(mask.anyField, 0, line.replace(/\r?\n$/, ''));
    return encode(formatCopyRow([whole], mask.format));
  }
  const { plan } = mask;
  const aligned = plan !== null && plan.columns.length === fields.length;
  const masked = fields.map((field, index) => {
    if (field === null) return null;
    return aligned ? session.cell(plan, index, field) : session.cell(mask.anyField, 0, field);
  });
  const changed = masked.some((field, index) => field !== fields[index]);
  return changed ? encode(formatCopyRow(masked, mask.format)) : frame;
}

function encode(line: string): Buffer {
  return backend.CopyData.encode({ kind: 'copy-data', data: Buffer.from(line, 'utf8') });
}
