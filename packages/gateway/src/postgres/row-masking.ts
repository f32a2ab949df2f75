import {
  cellNeedsMasking,
  type MaskPlan,
  type ResultColumn,
  type ResultColumnSource as ResultSource,
} from '@sluice/masking';
import { defaultLexerState, type SqlAnalyzer, type StatementAnalysis } from '@sluice/sql';
import { type backend as Backend, backend, WireError } from '@sluice/wire-postgres';
import type { PostgresCatalog } from '../catalog/postgres-catalog.js';
import type { SessionMasking } from '../session-masking.js';
import { redactQuotedValues } from './error-values.js';
import { catalogLoaded, RowMaskCache } from './row-mask-cache.js';
import { TypedValueMasking } from './typed-masking.js';
import {
  hidesText,
  maskedInside,
  mayHoldText,
  plannedTypeName,
  type ValueShape,
  ValueShapes,
} from './value-shapes.js';
import { type BinaryLayout, binaryLayoutOf, JSONB_VERSION } from './value-types.js';

/** A result whose plan masks something: its rows are decoded, masked and re-encoded. */
export interface RowMask {
  readonly plan: MaskPlan;
  /** Per column: null for text format, else how its binary value reads. */
  readonly binary: readonly (BinaryLayout | null)[];
  /** Columns with something to do; the others are copied as they are. */
  readonly active: readonly number[];
  /**
   * Per column: the shape of values masked inside (arrays, row values, byte strings, numbers in
   * binary format) by `typed`; null for values masked as their text.
   */
  readonly shapes: readonly (ValueShape | null)[];
  readonly typed: TypedValueMasking;
  /** Values detectors changed since the journal last took the count. */
  detectorMatches: number;
}

/** A value of a DataRow replaced: its length field at `start`, its end, and what replaces it. */
interface Replacement {
  readonly start: number;
  readonly end: number;
  /** null: SQL NULL. */
  readonly text: string | Buffer | null;
  /** The new length field: the value's bytes, version byte included, or -1 for NULL. */
  readonly bytes: number;
  /** A jsonb value, written after its version byte. */
  readonly prefixed: boolean;
}

/** Notice and error fields that carry free text (protocol-error-fields): message, detail, hint, context, query. */
const TEXT_FIELDS = ['M', 'D', 'H', 'W', 'q'] as const;

/** Masking on the Postgres wire: RowDescription → plan, DataRow and error rewriting. */
export class PostgresRowMasking {
  private readonly masks: RowMaskCache;

  constructor(
    readonly session: SessionMasking,
    readonly catalog: PostgresCatalog | undefined,
    private readonly analyzer: SqlAnalyzer,
    /** `limits.max_masked_row_size`. */
    readonly maxRowBytes: number = Number.POSITIVE_INFINITY,
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
   * active columns are read, a value is decoded only when its bytes may hold something to mask,
   * and a changed row is written into one new buffer.
   */
  maskRow(mask: RowMask, frame: Buffer): Buffer {
    if (frame.length < DATA_ROW_HEADER_BYTES) throw malformedRow();
    const count = frame.readUInt16BE(5);
    const { active } = mask;
    let nextActive = 0;
    let changes: Replacement[] | null = null;
    let length = frame.length;
    let start = DATA_ROW_HEADER_BYTES;
    // One walk over the values, which also checks that their lengths add up to the frame.
    for (let index = 0; index < count; index++) {
      if (start + 4 > frame.length) throw malformedRow();
      const size = frame.readInt32BE(start);
      const end = start + 4 + Math.max(size, 0);
      if (end > frame.length) throw malformedRow();
      if (active[nextActive] === index) {
        nextActive++;
        const next = size < 0 ? undefined : this.maskValue(mask, index, frame, start + 4, end);
        if (next !== undefined) {
          const prefixed = typeof next === 'string' && mask.binary[index] === 'jsonb';
          const bytes = next === null ? -1 : Buffer.byteLength(next) + (prefixed ? 1 : 0);
          changes ??= [];
          changes.push({ start, end, text: next, bytes, prefixed });
          length += Math.max(bytes, 0) - size;
        }
      }
      start = end;
    }
    if (start !== frame.length) throw malformedRow();
    if (changes === null) return frame;
    const row = Buffer.allocUnsafe(length);
    let at = 0;
    let copied = 0;
    for (const change of changes) {
      at += frame.copy(row, at, copied, change.start);
      at = row.writeInt32BE(change.bytes, at);
      if (change.prefixed) row[at++] = JSONB_VERSION;
      if (typeof change.text === 'string') at += row.write(change.text, at);
      else if (change.text !== null) at += change.text.copy(row, at);
      copied = change.end;
    }
    frame.copy(row, at, copied);
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

  /** The masked value in `frame[from..to)`: null for NULL, undefined to keep it. */
  private maskValue(
    mask: RowMask,
    index: number,
    frame: Buffer,
    from: number,
    to: number,
  ): string | Buffer | null | undefined {
    const layout = mask.binary[index] ?? null;
    const shape = mask.shapes[index];
    if (shape) {
      const rule = { mask: mask.plan.columns[index] ?? null, scan: mask.plan.scans[index] !== 'none' };
      const binary = layout !== null;
      // Values that show their text as it is are screened on their bytes, as text values are.
      if (
        rule.mask === null &&
        !hidesText(shape, binary) &&
        !cellNeedsMasking(mask.plan, index, frame, from, to)
      )
        return undefined;
      return mask.typed.mask(shape, binary, frame.subarray(from, to), rule, mask);
    }
    const ruled = mask.plan.columns[index] != null;
    if (layout === 'opaque' || (layout === 'jsonb' && frame[from] !== JSONB_VERSION)) {
      return ruled ? null : undefined;
    }
    const textFrom = layout === 'jsonb' ? from + 1 : from;
    if (!cellNeedsMasking(mask.plan, index, frame, textFrom, to)) return undefined;
    const text = frame.toString('utf8', textFrom, to);
    const next = this.session.cell(mask.plan, index, text);
    if (next === text) return undefined;
    if (!ruled) mask.detectorMatches++;
    return next;
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
    const valueShapes = new ValueShapes(this.catalog);
    const fieldShapes = fields.map((field) => valueShapes.of(field.typeOid));
    const columns = fields.map((field, index) => this.columnOf(field, fieldShapes[index]));
    const plan = this.session.planFor(columns, analysis, this.columnsOf);
    if (plan.empty) return null;
    const binary = fields.map((field, index) =>
      field.format === 0 ? null : binaryLayoutOf(columns[index]?.typeName ?? null),
    );
    const shapes = fieldShapes.map((shape, index) =>
      shape && maskedInside(shape, binary[index] !== null) ? shape : null,
    );
    const active: number[] = [];
    plan.columns.forEach((column, index) => {
      const shape = shapes[index];
      const scans = plan.scans[index] !== 'none' && (!shape || mayHoldText(shape));
      if (column != null || scans) active.push(index);
    });
    const typed = new TypedValueMasking(this.session, valueShapes, plan.detectors, this.columnsOf);
    return { plan, binary, active, shapes, typed, detectorMatches: 0 };
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

  private columnOf(field: Backend.FieldDescription, shape: ValueShape | undefined): ResultColumn {
    const source = field.tableOid === 0 ? null : this.sourceOf(field.tableOid, field.columnAttribute);
    return { name: field.name, source, typeName: shape ? plannedTypeName(shape) : null };
  }
}

/** Type byte, length, column count (protocol-message-formats, DataRow). */
const DATA_ROW_HEADER_BYTES = 7;

function malformedRow(): WireError {
  return new WireError('malformed', 'DataRow: value lengths do not add up to the frame');
}

/** View nesting followed to a base column; deeper chains count as unknown. */
const MAX_VIEW_DEPTH = 8;
