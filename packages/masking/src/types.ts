import type { DetectorName, MaskingConfig, MaskingStrategy } from '@sluice/config';
import type { OutputColumn } from '@sluice/sql';

export interface ResultColumnSource {
  readonly schema: string | null;
  readonly table: string;
  readonly column: string;
}

export interface ResultColumn {
  readonly name: string;
  /**
   * Exact source from the wire (Postgres RowDescription table OID + attnum resolved via the
   * catalog; MySQL ColumnDefinition org_table/org_name), when the column is a plain column
   * reference.
   */
  readonly source: ResultColumnSource | null;
  /** e.g. 'text', 'int4', 'json', 'jsonb', 'varchar': decides whether a strategy's text output fits. */
  readonly typeName: string | null;
}

/** A rule that applies to the values of one JSON object key, wherever the key appears. */
export interface JsonKeyRule {
  /** A glob over key names, matched case-insensitively (a column name, or a rule's column part). */
  readonly key: string;
  readonly strategy: MaskingStrategy;
  readonly rule: string;
}

/**
 * How a json/jsonb column is masked so its values stay valid JSON.
 * - `whole`: the value itself is the masked column; the strategy's output is written as a JSON
 *   string (or SQL NULL).
 * - `inside`: values under matching keys are masked and detectors scan every string; when a key
 *   in `requiredKeys` (a masked column known to flow into the value) is nowhere to be found, its
 *   data sits under another name, and the whole value is masked as in `whole`.
 */
export interface JsonMask {
  readonly mode: 'whole' | 'inside';
  readonly keys: readonly JsonKeyRule[];
  readonly requiredKeys: readonly string[];
  readonly detectors: readonly DetectorName[];
}

export interface ColumnMask {
  readonly strategy: MaskingStrategy;
  /** The match pattern of the rule that decided. */
  readonly rule: string;
  readonly reason: 'source' | 'lineage' | 'uncertain' | 'json';
  /** Present for json/jsonb columns. */
  readonly json?: JsonMask;
  /**
   * Present for number columns under `last4` or `hash`: the value is masked into a number of at
   * most `digits` digits (see `maskNumber`).
   */
  readonly number?: { readonly digits: number };
}

/**
 * How detectors treat a column no rule masks: `text` scans the value as text, `json` scans the
 * string values inside it, `none` leaves it (numbers, dates and other types a mask would break).
 */
export type ColumnScan = 'text' | 'json' | 'none';

export interface MaskPlan {
  /** One per result column; null = no rule masks it (detectors still scan it as `scans` says). */
  readonly columns: readonly (ColumnMask | null)[];
  /** Detectors to run on every text value of every column (empty = none). */
  readonly detectors: readonly DetectorName[];
  /** One per result column. */
  readonly scans: readonly ColumnScan[];
  /** 'table.column' names masked, for the journal. */
  readonly maskedColumns: readonly string[];
  /** Nothing to do at all: the gateway then forwards rows untouched. */
  readonly empty: boolean;
}

export interface PlanInput {
  readonly masking: MaskingConfig | undefined;
  /** The caller's groups: exempt groups get an empty plan. */
  readonly groups: readonly string[];
  readonly columns: readonly ResultColumn[];
  /** From the analysis; null when unknown. */
  readonly lineage: readonly OutputColumn[] | null;
  /** From the analysis. */
  readonly tablesRead: readonly string[];
  /**
   * Resolves a table's masked columns for `*` and for 'does this statement read a masked
   * column?'. Returns the table's column names, or null when unknown.
   */
  readonly columnsOf: (table: string) => readonly string[] | null;
}
