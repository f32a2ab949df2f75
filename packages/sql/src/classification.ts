import { ScanFacts } from './facts.js';
import type { CopyFacts, OutputColumn, StatementKind } from './types.js';

/** What the token classifier made of one statement (token indices are statement-local). */
export interface Classification {
  kind: StatementKind;
  command: string;
  /** The classifier knows this statement's shape; false makes it "cannot be analysed" unless parsed. */
  recognised: boolean;
  problem: string | null;
  readonly facts: ScanFacts;
  dynamicSql: boolean;
  copy: CopyFacts | null;
  /** The token range node-sql-parser should read, or null when it cannot help. */
  parseRange: { readonly from: number; readonly to: number } | null;
  /** Output columns known from the tokens alone (COPY table TO STDOUT). */
  outputColumns: OutputColumn[] | null;
  /** SET-like statements and set_config calls: their changes are read again for every statement. */
  changesSettings: boolean;
  /** The statement returns the rows of the statement in `parseRange`: lineage comes from its parse. */
  rowsFromParse: boolean;
  /** The first word of the main statement in `parseRange` (`select`, `insert`, …), when known. */
  mainWord: string | null;
  /** False when the statement in `parseRange` is only planned (EXPLAIN), not run. */
  executes: boolean;
}

export function classification(
  kind: StatementKind,
  command: string,
  facts: ScanFacts = new ScanFacts(),
  parseRange: Classification['parseRange'] = null,
): Classification {
  return {
    kind,
    command,
    recognised: true,
    problem: null,
    facts,
    dynamicSql: false,
    copy: null,
    parseRange,
    outputColumns: null,
    changesSettings: false,
    rowsFromParse: false,
    mainWord: null,
    executes: true,
  };
}

export function unrecognised(problem: string, facts: ScanFacts = new ScanFacts()): Classification {
  return { ...classification('other', 'UNKNOWN', facts), recognised: false, problem };
}
