import type { MaskPlan, ResultColumn } from '@sluice/masking';
import type { StatementAnalysis } from '@sluice/sql';
import { backend } from '@sluice/wire-postgres';
import type { SessionMasking } from '../session-masking.js';
import { type CopyFormat, copyFormatOf, formatCopyRow, parseCopyRow } from './copy-format.js';
import type { PostgresRowMasking } from './row-masking.js';
import { TypedValueMasking } from './typed-masking.js';
import { maskedInside, plannedTypeName, type ValueShape, ValueShapes } from './value-shapes.js';

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
  /**
   * Per COPY column, when its type is known (a column copied as it is from a table): the shape
   * of values masked inside (arrays, row values, byte strings), null for the others.
   */
  readonly shapes: readonly (ValueShape | null)[];
  readonly typed: TypedValueMasking | null;
  headerPending: boolean;
}

const UNKNOWN_COLUMN: ResultColumn = { name: '?column?', source: null, typeName: null };

interface CopyColumn extends ResultColumn {
  readonly shape: ValueShape | null;
}

/**
 * The COPY's columns, `*` expanded through the catalog; null when one cannot be named. A column
 * copied as it is from a table has that column's type.
 */
function copyColumnsOf(
  analysis: StatementAnalysis,
  rows: PostgresRowMasking,
  shapes: ValueShapes,
): CopyColumn[] | null {
  if (analysis.outputColumns === null) return null;
  const columns: CopyColumn[] = [];
  const column = (name: string, table: string | null, sourceColumn: string | null): CopyColumn => {
    const typeOid =
      table === null || sourceColumn === null
        ? null
        : (rows.catalog?.columnTypeOid(table, sourceColumn) ?? null);
    const shape = typeOid === null ? null : shapes.of(typeOid);
    return { name, source: null, typeName: shape ? plannedTypeName(shape) : null, shape };
  };
  for (const output of analysis.outputColumns) {
    if (!output.star) {
      const only = output.direct && output.sources.length === 1 ? output.sources[0] : undefined;
      columns.push(column(output.name, only?.table ?? null, only?.column ?? null));
      continue;
    }
    for (const source of output.sources) {
      const names =
        source.column === '*' && source.table !== null ? rows.columnsOf(source.table) : [source.column];
      if (names === null) return null;
      for (const name of names) columns.push(column(name, source.table, name));
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
  const valueShapes = new ValueShapes(rows.catalog);
  const columns = analysis ? copyColumnsOf(analysis, rows, valueShapes) : null;
  const plan = columns ? await rows.planForNames(columns, analysis) : null;
  if ((plan ?? anyField).empty) return null;
  const format = copyFormatOf(analysis?.text ?? '');
  const shapes = (columns ?? []).map(({ shape }) => (shape && maskedInside(shape, false) ? shape : null));
  const typed = plan && new TypedValueMasking(rows.session, valueShapes, plan.detectors, rows.columnsOf);
  return { plan, anyField, format, binary: wireFormat === 1, shapes, typed, headerPending: format.header };
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
    if (!aligned) return session.cell(mask.anyField, 0, field);
    const shape = mask.shapes[index];
    if (!shape || !mask.typed) return session.cell(plan, index, field);
    const rule = { mask: plan.columns[index] ?? null, scan: plan.scans[index] !== 'none' };
    const next = mask.typed.mask(shape, false, Buffer.from(field, 'utf8'), rule, { detectorMatches: 0 });
    return next === undefined ? field : next === null ? null : next.toString('utf8');
  });
  const changed = masked.some((field, index) => field !== fields[index]);
  return changed ? encode(formatCopyRow(masked, mask.format)) : frame;
}

function encode(line: string): Buffer {
  return backend.CopyData.encode({ kind: 'copy-data', data: Buffer.from(line, 'utf8') });
}
