import type { CopyFacts, DmlTarget, SettingChange, StatementKind } from '../../src/index.js';

/** What one statement must analyse to; fields left out are not checked. */
export interface Expectation {
  readonly kind: StatementKind;
  readonly command?: string;
  readonly tablesRead?: readonly string[];
  readonly tablesWritten?: readonly string[];
  /** Every function listed must be reported (others may be too). */
  readonly functions?: readonly string[];
  readonly dml?: readonly DmlTarget[];
  readonly nestedDml?: boolean;
  readonly dynamicSql?: boolean;
  readonly fileAccess?: boolean;
  readonly copy?: CopyFacts | null;
  readonly settingChange?: SettingChange | null;
  /** Defaults to true. */
  readonly understood?: boolean;
}

/** One query string; an array of expectations when it holds several statements. */
export interface CorpusCase {
  readonly sql: string;
  readonly expect: Expectation | readonly Expectation[];
}

export interface Corpus {
  /** Statements a strict policy must be able to stop, many of them disguised. */
  readonly dangerous: readonly CorpusCase[];
  /** Everyday statements of applications, ORMs, drivers and psql. */
  readonly ordinary: readonly CorpusCase[];
}

export function noWhere(kind: DmlTarget['kind'], table: string): DmlTarget {
  return { kind, table, hasWhere: false, whereAlwaysTrue: false };
}

export function alwaysTrue(kind: DmlTarget['kind'], table: string): DmlTarget {
  return { kind, table, hasWhere: true, whereAlwaysTrue: true };
}

export function restricted(kind: DmlTarget['kind'], table: string): DmlTarget {
  return { kind, table, hasWhere: true, whereAlwaysTrue: false };
}
