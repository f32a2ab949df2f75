import type { MaskingStrategy } from '@sluice/config';
import { type ColumnPattern, compileColumnPattern, splitTableName, tableMatches } from './rules.js';

export interface CompiledRule {
  readonly pattern: ColumnPattern;
  readonly strategy: MaskingStrategy;
  /** The pattern's column part, a glob; stands for the column when a table's columns are unknown. */
  readonly columnGlob: string;
}

export function compileRule(match: string, strategy: MaskingStrategy): CompiledRule {
  const parts = match.split('.');
  return { pattern: compileColumnPattern(match), strategy, columnGlob: parts[parts.length - 1] || '*' };
}

/** A masked column a value may carry: a concrete column, or a rule's column glob when unknown. */
export interface ColumnMatch {
  readonly rule: CompiledRule;
  readonly table: string | null;
  readonly column: string;
}

/**
 * What the rules say about the tables of one result: which rule masks a given column, and which
 * masked columns a table may hold. Tables are looked up once per plan.
 */
export class Exposure {
  readonly #rules: readonly CompiledRule[];
  readonly #columnsOf: (table: string) => readonly string[] | null;
  readonly #byTable = new Map<string | null, readonly ColumnMatch[]>();

  constructor(rules: readonly CompiledRule[], columnsOf: (table: string) => readonly string[] | null) {
    this.#rules = rules;
    this.#columnsOf = columnsOf;
  }

  /** The first rule, in configuration order, that masks this column; null tables and schemas match any. */
  ruleFor(schema: string | null | undefined, table: string | null, column: string): CompiledRule | null {
    let location = { schema, table };
    if (schema === undefined && table !== null) location = splitTableName(table);
    for (const rule of this.#rules) {
      if (rule.pattern.column.test(column) && tableMatches(rule.pattern, location.schema, location.table)) {
        return rule;
      }
    }
    return null;
  }

  /**
   * The masked columns `table` may hold: from the catalog when its columns are known, otherwise
   * every rule whose table part admits it (a null table: every rule).
   */
  maskedColumnsOf(table: string | null): readonly ColumnMatch[] {
    const cached = this.#byTable.get(table);
    if (cached !== undefined) return cached;
    const names = table === null ? null : this.#columnsOf(table);
    const matches: ColumnMatch[] = [];
    if (names !== null) {
      for (const column of names) {
        const rule = this.ruleFor(undefined, table, column);
        if (rule !== null) matches.push({ rule, table, column });
      }
    } else {
      const { schema, table: bare } = table === null ? { schema: null, table: null } : splitTableName(table);
      for (const rule of this.#rules) {
        if (tableMatches(rule.pattern, schema, bare)) matches.push({ rule, table, column: rule.columnGlob });
      }
    }
    this.#byTable.set(table, matches);
    return matches;
  }
}
