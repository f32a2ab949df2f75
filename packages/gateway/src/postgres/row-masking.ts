import type { MaskPlan, ResultColumn, ResultColumnSource as ResultSource } from '@sluice/masking';
import { defaultLexerState, type SqlAnalyzer, type StatementAnalysis } from '@sluice/sql';
import { type backend as Backend, backend, WireError } from '@sluice/wire-postgres';
import type { PostgresCatalog } from '../catalog/postgres-catalog.js';
import type { SessionMasking } from '../session-masking.js';
import { redactQuotedValues } from './error-values.js';
import { catalogLoaded, RowMaskCache } from './row-mask-cache.js';

/**
 * How a column's binary values read (protocol-message-formats, DataRow; binary send functions):
 * text types send their text, jsonb a version byte then its text, anything else is opaque.
 */
type BinaryLayout = 'text' | 'jsonb' | 'opaque';

/** A result whose plan masks something: its rows are decoded, masked and re-encoded. */
export interface RowMask {
  readonly plan: MaskPlan;
  /** Per column: null for text format, else how its binary value reads. */
  readonly binary: readonly (BinaryLayout | null)[];
  /** Columns with something to do; the others are copied as they are. */
  readonly active: readonly number[];
  /** Values detectors changed since the journal last took the count. */
  detectorMatches: number;
}

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
  [2950, 'uuid'],
  [3802, 'jsonb'],
]);

const JSONB_VERSION = 1;

/** Notice and error fields that carry free text (protocol-error-fields): message, detail, hint, context, query. */
const TEXT_FIELDS = ['M', 'D', 'H', 'W', 'q'] as const;

/** Masking on the Postgres wire: RowDescription → plan, DataRow and error rewriting. */
export class PostgresRowMasking {
  private readonly masks: RowMaskCache;

  constructor(
    readonly session: SessionMasking,
    private readonly catalog: PostgresCatalog | undefined,
    private readonly analyzer: SqlAnalyzer,
  ) {
    this.masks = new RowMaskCache(catalog);
  }

  /**
   * The mask for the rows a RowDescription announces, or null when nothing in them is masked.
   * A promise only when the catalog must be loaded first; a loaded catalog answers at once.
   */
  maskFor(
    rowDescription: Buffer,
    analysis: StatementAnalysis | undefined,
  ): RowMask | null | Promise<RowMask | null> {
    const { catalog } = this;
    // A catalog that must reload first (DDL ran) voids every remembered mask anyway.
    const current = !catalog || catalog.canAnswer([]);
    const key = this.masks.keyOf(rowDescription);
    const remembered = current ? this.masks.get(key, analysis) : undefined;
    if (remembered !== undefined) return remembered;
    const { fields } = backend.RowDescription.decode(rowDescription);
    if (catalog && !catalog.canAnswer(fields.map((field) => field.tableOid))) {
      return this.prepareCatalog(
        catalog,
        fields.map((field) => field.tableOid),
      ).then(() => this.remember(key, fields, analysis));
    }
    return this.remember(key, fields, analysis);
  }

  /** The plan for columns known by name only (COPY). */
  planForNames(
    columns: readonly ResultColumn[],
    analysis: StatementAnalysis | undefined,
  ): MaskPlan | Promise<MaskPlan> {
    const { catalog } = this;
    if (catalog && !catalog.canAnswer([])) {
      return this.prepareCatalog(catalog, []).then(() =>
        this.session.planFor(columns, analysis, this.columnsOf),
      );
    }
    return this.session.planFor(columns, analysis, this.columnsOf);
  }

  readonly columnsOf = (table: string): readonly string[] | null => this.catalog?.columnsOf(table) ?? null;

  /** The schema may have changed: the catalog reloads before the next plan. */
  schemaChanged(): void {
    this.catalog?.invalidate();
  }

  /**
   * A DataRow with its masked values replaced; the frame itself when nothing changed. Only the
   * active columns are read; the others are copied over as byte ranges.
   */
  maskRow(mask: RowMask, frame: Buffer): Buffer {
    const offsets = valueOffsets(frame);
    if (offsets === null)
      throw new WireError('malformed', 'DataRow: value lengths do not add up to the frame');
    const pieces: Buffer[] = [];
    let copiedTo = DATA_ROW_HEADER_BYTES;
    let length = DATA_ROW_HEADER_BYTES;
    for (const index of mask.active) {
      const start = offsets[index];
      if (start === undefined) continue;
      const size = frame.readInt32BE(start);
      if (size < 0) continue;
      const value = frame.subarray(start + 4, start + 4 + size);
      const next = this.maskValue(mask, index, value);
      if (next === value) continue;
      pieces.push(frame.subarray(copiedTo, start));
      const header = Buffer.allocUnsafe(4);
      header.writeInt32BE(next === null ? -1 : next.length);
      pieces.push(header);
      if (next !== null) pieces.push(next);
      length += start - copiedTo + 4 + (next?.length ?? 0);
      copiedTo = start + 4 + size;
    }
    if (pieces.length === 0) return frame;
    pieces.unshift(frame.subarray(0, DATA_ROW_HEADER_BYTES));
    pieces.push(frame.subarray(copiedTo));
    length += frame.length - copiedTo;
    const row = Buffer.concat(pieces, length);
    row.writeInt32BE(length - 1, 1);
    return row;
  }

  /** An ErrorResponse or NoticeResponse with values it quotes masked; the frame itself when clean. */
  maskNotice(code: number, frame: Buffer): Buffer {
    const isError = code === backend.ErrorResponse.code;
    const { fields } = isError ? backend.ErrorResponse.decode(frame) : backend.NoticeResponse.decode(frame);
    const masked = new Map(fields);
    let changed = false;
    for (const type of TEXT_FIELDS) {
      const text = fields.get(type);
      if (text === undefined) continue;
      const next = this.session.message(redactQuotedValues(fields.get('C'), type, text));
      if (next !== text) {
        masked.set(type, next);
        changed = true;
      }
    }
    if (!changed) return frame;
    return isError
      ? backend.ErrorResponse.encode({ kind: 'error-response', fields: masked })
      : backend.NoticeResponse.encode({ kind: 'notice-response', fields: masked });
  }

  private maskValue(mask: RowMask, index: number, value: Buffer): Buffer | null {
    const layout = mask.binary[index] ?? null;
    if (layout === 'opaque') return mask.plan.columns[index] == null ? value : null;
    const prefix = layout === 'jsonb' ? 1 : 0;
    if (prefix === 1 && value[0] !== JSONB_VERSION) return mask.plan.columns[index] == null ? value : null;
    const text = value.toString('utf8', prefix);
    const next = this.session.cell(mask.plan, index, text);
    if (next === text) return value;
    if (mask.plan.columns[index] == null) mask.detectorMatches++;
    if (next === null) return null;
    const body = Buffer.from(next, 'utf8');
    return prefix === 1 ? Buffer.concat([Buffer.of(JSONB_VERSION), body]) : body;
  }

  /** Loads the catalog; what was planned with the one before no longer counts. */
  private async prepareCatalog(catalog: PostgresCatalog, tableOids: readonly number[]): Promise<void> {
    await catalog.prepare(tableOids);
    catalogLoaded(catalog);
  }

  private remember(
    key: string,
    fields: readonly Backend.FieldDescription[],
    analysis: StatementAnalysis | undefined,
  ): RowMask | null {
    const loads = this.masks.loads();
    const mask = this.build(fields, analysis);
    this.masks.set(key, analysis, mask, loads);
    return mask;
  }

  private build(
    fields: readonly Backend.FieldDescription[],
    analysis: StatementAnalysis | undefined,
  ): RowMask | null {
    const columns = fields.map((field) => this.columnOf(field));
    const plan = this.session.planFor(columns, analysis, this.columnsOf);
    if (plan.empty) return null;
    const binary = fields.map((field, index) =>
      field.format === 0 ? null : binaryLayoutOf(columns[index]?.typeName ?? null),
    );
    const active: number[] = [];
    plan.columns.forEach((column, index) => {
      if (column != null || plan.scans[index] !== 'none') active.push(index);
    });
    return { plan, binary, active, detectorMatches: 0 };
  }

  /**
   * The base column a result column shows. The wire names a view's own column for a view, so
   * the view's definition is followed to the column it selects, renamed or not (`ssn AS
   * tax_id`). A view column computed from several columns has no single source: the plan then
   * judges it by the statement's lineage.
   */
  private sourceOf(tableOid: number, attribute: number): ResultSource | null {
    const { catalog } = this;
    if (!catalog) return null;
    let source = catalog.columnAt(tableOid, attribute);
    let definition = catalog.viewDefinition(tableOid);
    for (let depth = 0; source && definition !== null && depth < MAX_VIEW_DEPTH; depth++) {
      const [analysis] = this.analyzer.analyze(definition, defaultLexerState('postgres'));
      const output = analysis?.outputColumns?.[attribute - 1];
      const only = output?.sources.length === 1 && !output.star ? output.sources[0] : undefined;
      if (!only || only.table === null || only.column === '*') return source;
      const base = catalog.locate(only.table, only.column);
      if (!base) return { schema: null, table: only.table, column: only.column };
      source = catalog.columnAt(base.oid, base.attribute);
      attribute = base.attribute;
      definition = catalog.viewDefinition(base.oid);
    }
    return source;
  }

  private columnOf(field: Backend.FieldDescription): ResultColumn {
    const source = field.tableOid === 0 ? null : this.sourceOf(field.tableOid, field.columnAttribute);
    const typeName = this.catalog?.typeName(field.typeOid) ?? BUILTIN_TYPES.get(field.typeOid) ?? null;
    return { name: field.name, source, typeName };
  }
}

/** Type byte, length, column count (protocol-message-formats, DataRow). */
const DATA_ROW_HEADER_BYTES = 7;

/** Where each value's length word starts; null when the frame does not add up. */
function valueOffsets(frame: Buffer): number[] | null {
  if (frame.length < DATA_ROW_HEADER_BYTES) return null;
  const count = frame.readUInt16BE(5);
  const offsets: number[] = [];
  let offset = DATA_ROW_HEADER_BYTES;
  for (let index = 0; index < count; index++) {
    if (offset + 4 > frame.length) return null;
    offsets.push(offset);
    const size = frame.readInt32BE(offset);
    offset += 4 + Math.max(size, 0);
  }
  return offset === frame.length ? offsets : null;
}

/** View nesting followed to a base column; deeper chains count as unknown. */
const MAX_VIEW_DEPTH = 8;

function binaryLayoutOf(typeName: string | null): BinaryLayout {
  if (typeName === 'jsonb') return 'jsonb';
  return typeName !== null && TEXT_BINARY_TYPES.has(typeName) ? 'text' : 'opaque';
}
