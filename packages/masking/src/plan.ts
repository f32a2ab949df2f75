import type { DetectorName } from '@sluice/config';
import type { ColumnSource, OutputColumn } from '@sluice/sql';
import { alignLineage } from './alignment.js';
import { type ColumnMatch, compileRule, Exposure } from './exposure.js';
import { splitTableName } from './rules.js';
import { type MaskIntent, maskOfType } from './shape.js';
import { strictestStrategy } from './strategies.js';
import type { ColumnMask, ColumnScan, MaskPlan, PlanInput, ResultColumn } from './types.js';
import { valueKindOf } from './value-kinds.js';

/** Why and from which masked columns a column is masked, before its type shapes the mask. */
interface Decision {
  readonly reason: 'source' | 'lineage' | 'uncertain';
  readonly matches: readonly ColumnMatch[];
  /** The value is one masked column unchanged (not an expression over it). */
  readonly whole: boolean;
}

function emptyPlan(columnCount: number): MaskPlan {
  return {
    columns: new Array<null>(columnCount).fill(null),
    detectors: [],
    scans: new Array<ColumnScan>(columnCount).fill('none'),
    maskedColumns: [],
    empty: true,
  };
}

/** The masked columns a lineage source may be: a `*` source stands for every masked column of its table. */
function matchesOfSource(
  exposure: Exposure,
  source: ColumnSource,
  tablesRead: readonly string[],
): ColumnMatch[] {
  // An unqualified column the analysis could not attribute comes from one of the tables read.
  const tables: readonly (string | null)[] =
    source.table !== null ? [source.table] : tablesRead.length > 0 ? tablesRead : [null];
  const matches: ColumnMatch[] = [];
  for (const table of tables) {
    if (source.column === '*') {
      matches.push(...exposure.maskedColumnsOf(table));
      continue;
    }
    const rule = exposure.ruleFor(undefined, table, source.column);
    if (rule !== null) matches.push({ rule, table, column: source.column });
  }
  return matches;
}

/** Fail closed: a value of unknown origin is masked when any of `tables` may hold a masked column. */
function uncertain(exposure: Exposure, tables: readonly (string | null)[]): Decision | null {
  const matches = tables.flatMap((table) => exposure.maskedColumnsOf(table));
  return matches.length === 0 ? null : { reason: 'uncertain', matches, whole: false };
}

/** The tables a value of unknown shape may come from: those its lineage names, else all tables read. */
function tablesOf(output: OutputColumn, tablesRead: readonly string[]): readonly (string | null)[] {
  const named = output.sources.map((source) => source.table);
  if (named.length > 0 && named.every((table) => table !== null)) return [...new Set(named)];
  return tablesRead;
}

function decide(
  exposure: Exposure,
  input: PlanInput,
  column: ResultColumn,
  lineage: OutputColumn | null,
): Decision | null {
  const { source } = column;
  if (source !== null) {
    const rule = exposure.ruleFor(source.schema, source.table, source.column);
    if (rule !== null) {
      return {
        reason: 'source',
        matches: [{ rule, table: source.table, column: source.column }],
        whole: true,
      };
    }
  }
  if (lineage !== null) {
    if (lineage.opaque) return uncertain(exposure, tablesOf(lineage, input.tablesRead));
    const matches = lineage.sources.flatMap((each) => matchesOfSource(exposure, each, input.tablesRead));
    if (matches.length === 0) return null;
    const only = lineage.sources.length === 1 ? lineage.sources[0] : undefined;
    return { reason: 'lineage', matches, whole: lineage.direct && only !== undefined && only.column !== '*' };
  }
  // The wire names the exact base column of a plain reference, and no rule masks it.
  if (source !== null) return null;
  return uncertain(exposure, input.tablesRead);
}

/** Turns a decision into the mask a column of this type can carry. */
function shape(decision: Decision, column: ResultColumn, detectors: readonly DetectorName[]): ColumnMask {
  const strategy = strictestStrategy(decision.matches.map((match) => match.rule.strategy));
  const decisive = decision.matches.find((match) => match.rule.strategy === strategy) ?? decision.matches[0];
  const keys = decision.matches.map((match) => ({
    key: match.column,
    strategy: match.rule.strategy,
    rule: match.rule.pattern.text,
  }));
  // Lineage names the columns inside a JSON value; they must be found under their own names.
  // A rule's glob, standing for columns the catalog could not name, cannot be required.
  const named = decision.matches.map((match) => match.column).filter((name) => !/[*?]/.test(name));
  const intent: MaskIntent = {
    strategy,
    rule: decisive?.rule.pattern.text ?? '',
    reason: decision.reason,
    whole: decision.whole,
    keys,
    requiredKeys: decision.reason === 'lineage' ? [...new Set(named)] : [],
  };
  return maskOfType(intent, column.typeName, detectors);
}

function journalName(match: ColumnMatch): string {
  const table = match.table === null ? '*' : splitTableName(match.table).table;
  return `${table}.${match.column}`;
}

function scanOf(column: ResultColumn, detectors: readonly DetectorName[]): ColumnScan {
  if (detectors.length === 0) return 'none';
  switch (valueKindOf(column.typeName)) {
    case 'json':
      return 'json';
    // Whatever can hold text is scanned: byte strings, and the elements of arrays and rows.
    case 'text':
    case 'bytes':
    case 'structure':
      return 'text';
    default:
      return 'none';
  }
}

/**
 * Decides, for one result, which columns are masked and how. A column is masked when its wire
 * source or any source in its lineage matches a rule; when its origin cannot be known (no
 * lineage, an opaque expression, lineage that does not line up with the result) and the
 * statement reads a table that may hold a masked column, it is masked with the strictest
 * strategy that could apply.
 */
export function maskPlanFor(input: PlanInput): MaskPlan {
  const { masking, columns } = input;
  if (masking === undefined) return emptyPlan(columns.length);
  if (input.groups.some((group) => masking.exempt.groups.includes(group))) return emptyPlan(columns.length);
  const detectors = [...new Set(masking.detectors)];
  const exposure = new Exposure(
    masking.columns.map((rule) => compileRule(rule.match, rule.strategy)),
    input.columnsOf,
  );
  const aligned = alignLineage(input.lineage, columns, input.columnsOf);
  const masks: (ColumnMask | null)[] = [];
  const scans: ColumnScan[] = [];
  const maskedColumns = new Set<string>();
  columns.forEach((column, index) => {
    const decision =
      masking.columns.length === 0 ? null : decide(exposure, input, column, aligned?.[index] ?? null);
    if (decision === null) {
      masks.push(null);
      scans.push(scanOf(column, detectors));
      return;
    }
    masks.push(shape(decision, column, detectors));
    scans.push('none');
    for (const match of decision.matches) maskedColumns.add(journalName(match));
  });
  return {
    columns: masks,
    detectors,
    scans,
    maskedColumns: [...maskedColumns],
    empty: masks.every((mask) => mask === null) && scans.every((scan) => scan === 'none'),
  };
}
