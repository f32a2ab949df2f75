import {
  type ColumnMask,
  cellNeedsMasking,
  type MaskPlan,
  maskValue,
  type ResultColumn,
  valueKindOf,
} from '@sluice/masking';
import type { StatementAnalysis } from '@sluice/sql';
import { type CapabilityContext, packets } from '@sluice/wire-mysql';
import type { SessionMasking } from '../session-masking.js';
import { decodeBinaryNumber, encodeBinaryNumber } from './binary-numbers.js';
import type { MysqlColumnOrigins } from './column-origins.js';
import { binaryValueIsText, maskingTypeName } from './column-types.js';
import { ResultMasker } from './result-masker.js';

/** COM_QUERY results come as text rows, COM_STMT_EXECUTE and COM_STMT_FETCH ones as binary rows. */
export type RowFormat = 'text' | 'binary';

/** What one result set's rows need: its plan, and how to read its values. */
export interface ResultMask {
  readonly plan: MaskPlan;
  /**
   * Per column: the mask for a value that turns out to be a JSON document (MariaDB sends
   * `JSON_OBJECT(…)` and JSON columns as text), so masked keys are masked inside it and the
   * value stays valid JSON; null where the column's own mask serves.
   */
  readonly jsonMasks: readonly (ColumnMask | null)[];
  /** Columns with something to do; the others are copied as they are. */
  readonly active: readonly number[];
  readonly definitions: readonly packets.ColumnDefinition41[];
  /** Binary rows only: per column, whether its value is text a mask can rewrite. */
  readonly binaryText: readonly boolean[];
  /** Per column: whether it is a byte string (the `binary` character set), not text. */
  readonly byteStrings: readonly boolean[];
  detectorMatches: number;
}

/** Plans kept per session. */
const PLAN_CACHE_LIMIT = 256;

/** JSON documents start with one of these (after white space). */
const JSON_CONTAINER = /^\s*[[{]/;

/**
 * Masking on the MySQL wire for one session: plans a result from its column definitions
 * (`org_table`/`org_name` name the base column of a plain reference, the statement's lineage
 * the rest), rewrites text and binary rows, and masks values that error messages quote.
 */
export class MysqlRowMasking {
  constructor(
    readonly session: SessionMasking,
    /** Decides how column definitions read (MariaDB's extended metadata). */
    readonly capabilities: CapabilityContext,
    /** Null without a catalog: the wire's table names are then taken as they come. */
    private readonly origins: MysqlColumnOrigins | null,
    /** `limits.max_masked_row_size`. */
    readonly maxRowBytes: number = Number.POSITIVE_INFINITY,
  ) {}

  private readonly planned = new Map<string, ResultMask | null>();
  /** The catalog version and default database the cached plans were made with. */
  private plannedVersion = '';

  /** A masker for the results of one command, whose statements are `analyses` in order. */
  results(analyses: readonly (StatementAnalysis | undefined)[], format: RowFormat): ResultMasker {
    for (const analysis of analyses) if (analysis) this.origins?.statementRuns(analysis.tablesRead);
    return new ResultMasker(this, analyses, format);
  }

  /** An ERR payload with quoted values masked; null when nothing in it needed masking. */
  maskError(payload: Buffer): Buffer | null {
    const error = packets.ErrPacket.decode(payload);
    const message = this.session.message(error.message);
    if (message === error.message) return null;
    return packets.ErrPacket.encode({ ...error, message });
  }

  /**
   * @internal The mask for a result given as its raw column definitions. A statement run again
   * (the same fingerprint, the same definitions, the same default database and catalog) reuses
   * the plan it got before instead of decoding and planning again.
   */
  planCached(
    payloads: readonly Buffer[],
    analysis: StatementAnalysis | undefined,
    format: RowFormat,
  ): ResultMask | null {
    const version = this.origins?.version ?? '';
    if (version !== this.plannedVersion) {
      this.planned.clear();
      this.plannedVersion = version;
    }
    const key = [
      format,
      analysis?.fingerprint ?? '',
      ...payloads.map((each) => each.toString('latin1')),
    ].join('\0');
    let mask = this.planned.get(key);
    if (mask === undefined) {
      const definitions = payloads.map((each) => packets.ColumnDefinition41.decode(each, this.capabilities));
      mask = this.plan(definitions, analysis, format);
      // Bounded: a session that keeps sending new statements starts the cache over.
      if (this.planned.size >= PLAN_CACHE_LIMIT) this.planned.clear();
      this.planned.set(key, mask);
    }
    return mask && { ...mask, detectorMatches: 0 };
  }

  /** @internal */
  plan(
    definitions: readonly packets.ColumnDefinition41[],
    analysis: StatementAnalysis | undefined,
    format: RowFormat,
  ): ResultMask | null {
    const columns = definitions.map((definition) => this.resultColumnOf(definition));
    const { origins } = this;
    const lineage =
      origins && analysis?.outputColumns
        ? origins.lineage(analysis.outputColumns, analysis.tablesRead)
        : null;
    const seen = lineage && analysis ? { ...analysis, outputColumns: lineage } : analysis;
    const plan = this.session.planFor(columns, seen, this.columnsOf);
    if (plan.empty) return null;
    const active: number[] = [];
    plan.columns.forEach((column, index) => {
      if (column != null || plan.scans[index] !== 'none') active.push(index);
    });
    return {
      plan,
      jsonMasks: this.jsonMasks(plan, columns, seen),
      active,
      definitions,
      binaryText: format === 'binary' ? definitions.map(binaryValueIsText) : [],
      byteStrings: columns.map((column) => valueKindOf(column.typeName) === 'bytes'),
      detectorMatches: 0,
    };
  }

  /** DDL ran: the catalog reloads. */
  schemaChanged(): void {
    this.origins?.schemaChanged();
  }

  private readonly columnsOf = (table: string): readonly string[] | null =>
    this.origins?.columnsOf(table) ?? null;

  /**
   * The wire names the table a plain column reference was read from; with the catalog, a view
   * is followed to its base column and a name that is no table (an alias of a view, a derived
   * table, a CTE) is left to lineage.
   */
  private resultColumnOf(definition: packets.ColumnDefinition41): ResultColumn {
    const typeName = maskingTypeName(definition);
    if (definition.orgTable === '' || definition.orgName === '')
      return { name: definition.name, source: null, typeName };
    const source = this.origins
      ? this.origins.sourceOf(definition)
      : { schema: definition.schema || null, table: definition.orgTable, column: definition.orgName };
    return { name: definition.name, source, typeName };
  }

  /**
   * @internal The bytes to send for one non-NULL value (null: NULL), or undefined to send it as
   * it is. A value is decoded only when its bytes may hold something to mask.
   */
  maskBytes(mask: ResultMask, index: number, value: Buffer): Buffer | null | undefined {
    if (!cellNeedsMasking(mask.plan, index, value, 0, value.length)) return undefined;
    // A byte string is scanned as latin1, one character a byte, so bytes around a finding that
    // are no text (a document in a blob) come back exactly as they were.
    const encoding = mask.byteStrings[index] && mask.plan.columns[index] == null ? 'latin1' : 'utf8';
    const text = value.toString(encoding);
    const json = mask.jsonMasks[index];
    const next =
      json && JSON_CONTAINER.test(text)
        ? maskValue(json, text, this.session.hashKey)
        : this.session.cell(mask.plan, index, text);
    if (next === text) return undefined;
    if (mask.plan.columns[index] == null) mask.detectorMatches++;
    return next === null ? null : Buffer.from(next, encoding);
  }

  /** A number of a binary row masked as its rule says, in the column's encoding; null for NULL. */
  maskBinaryNumber(mask: ResultMask, index: number, value: Buffer): Buffer | null {
    const rule = mask.plan.columns[index];
    const definition = mask.definitions[index];
    if (rule?.number === undefined || definition === undefined) return null;
    const text = decodeBinaryNumber(definition, value);
    const next = text === null ? null : this.session.cell(mask.plan, index, text);
    return next === null ? null : encodeBinaryNumber(definition, next);
  }

  /**
   * Text columns masked for what flows into them (not as one masked column shown whole) are
   * planned a second time as JSON: their values are masked inside when they are documents.
   */
  private jsonMasks(
    plan: MaskPlan,
    columns: readonly ResultColumn[],
    analysis: StatementAnalysis | undefined,
  ): (ColumnMask | null)[] {
    const candidates = plan.columns.map(
      (mask, index) =>
        mask != null && mask.reason !== 'source' && mask.json === undefined && isText(columns[index]),
    );
    if (!candidates.includes(true)) return plan.columns.map(() => null);
    const asJson = columns.map((column, index) =>
      candidates[index] ? { ...column, typeName: 'json' } : column,
    );
    const jsonPlan = this.session.planFor(asJson, analysis, this.columnsOf);
    return jsonPlan.columns.map((mask, index) => (candidates[index] ? (mask ?? null) : null));
  }
}

function isText(column: ResultColumn | undefined): boolean {
  return TEXT_TYPE_NAMES.has(column?.typeName ?? '');
}

/** The text types `maskingTypeName` gives, whose values may be JSON documents. */
const TEXT_TYPE_NAMES: ReadonlySet<string> = new Set([
  'varchar',
  'char',
  'tinytext',
  'mediumtext',
  'longtext',
  'text',
]);
