import type { MaskPlan, ResultColumn } from '@sluice/masking';
import type { StatementAnalysis } from '@sluice/sql';
import { type backend as Backend, backend } from '@sluice/wire-postgres';
import type { PostgresCatalog } from '../catalog/postgres-catalog.js';
import type { SessionMasking } from '../session-masking.js';

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
  constructor(
    readonly session: SessionMasking,
    private readonly catalog: PostgresCatalog | undefined,
  ) {}

  /**
   * The mask for the rows a RowDescription announces, or null when nothing in them is masked.
   * A promise only when the catalog must be loaded first; a loaded catalog answers at once.
   */
  maskFor(
    rowDescription: Buffer,
    analysis: StatementAnalysis | undefined,
  ): RowMask | null | Promise<RowMask | null> {
    const { fields } = backend.RowDescription.decode(rowDescription);
    const { catalog } = this;
    if (catalog && !catalog.canAnswer(fields.map((field) => field.tableOid))) {
      return catalog.prepare(fields.map((field) => field.tableOid)).then(() => this.build(fields, analysis));
    }
    return this.build(fields, analysis);
  }

  /** The plan for columns known by name only (COPY). */
  planForNames(
    columns: readonly ResultColumn[],
    analysis: StatementAnalysis | undefined,
  ): MaskPlan | Promise<MaskPlan> {
    const { catalog } = this;
    if (catalog && !catalog.canAnswer([])) {
      return catalog.prepare([]).then(() => this.session.planFor(columns, analysis, this.columnsOf));
    }
    return this.session.planFor(columns, analysis, this.columnsOf);
  }

  readonly columnsOf = (table: string): readonly string[] | null => this.catalog?.columnsOf(table) ?? null;

  /** The schema may have changed: the catalog reloads before the next plan. */
  schemaChanged(): void {
    this.catalog?.invalidate();
  }

  /** A DataRow with its masked values replaced; the frame itself when nothing changed. */
  maskRow(mask: RowMask, frame: Buffer): Buffer {
    const { values } = backend.DataRow.decode(frame);
    let changed = false;
    const masked = values.slice();
    for (const index of mask.active) {
      const value = values[index];
      if (value === null || value === undefined) continue;
      const next = this.maskValue(mask, index, value);
      if (next !== value) {
        masked[index] = next;
        changed = true;
      }
    }
    return changed ? backend.DataRow.encode({ kind: 'data-row', values: masked }) : frame;
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
      const next = this.session.message(text);
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
    if (next === null) return null;
    const body = Buffer.from(next, 'utf8');
    return prefix === 1 ? Buffer.concat([Buffer.of(JSONB_VERSION), body]) : body;
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
    return { plan, binary, active };
  }

  private columnOf(field: Backend.FieldDescription): ResultColumn {
    const source =
      field.tableOid !== 0 && this.catalog
        ? this.catalog.columnAt(field.tableOid, field.columnAttribute)
        : null;
    const typeName = this.catalog?.typeName(field.typeOid) ?? BUILTIN_TYPES.get(field.typeOid) ?? null;
    return { name: field.name, source, typeName };
  }
}

function binaryLayoutOf(typeName: string | null): BinaryLayout {
  if (typeName === 'jsonb') return 'jsonb';
  return typeName !== null && TEXT_BINARY_TYPES.has(typeName) ? 'text' : 'opaque';
}
