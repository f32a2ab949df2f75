/**
 * A DML target found in the tokens. `conditions` are the token indices of the keywords (WHERE, or
 * MERGE's ON and AND) whose conditions restrict it; none means every row.
 */
export interface DmlFinding {
  readonly kind: 'update' | 'delete';
  readonly table: string;
  readonly conditions: readonly number[];
}

export type WriteKind = 'insert' | 'update' | 'delete' | 'merge';

/** What a token scan of a statement found; filled in by the scanner and the classifier. */
export class ScanFacts {
  readonly tablesRead = new Set<string>();
  readonly tablesWritten = new Set<string>();
  readonly functions = new Set<string>();
  readonly dml: DmlFinding[] = [];
  /** Data-modifying statements inside another statement (CTE bodies, subqueries, routine bodies). */
  readonly nestedWrites: WriteKind[] = [];
  /** Table aliases seen in FROM lists, for MySQL multi-table DELETE targets. */
  readonly aliases = new Map<string, string>();
  /** Names of common table expressions anywhere in the statement. */
  readonly cteNames = new Set<string>();
  readonly doubts: string[] = [];
  fileAccess = false;
  /** Postgres `SELECT … INTO new_table`. */
  createsTable = false;

  doubt(reason: string): void {
    if (!this.doubts.includes(reason)) this.doubts.push(reason);
  }

  read(table: string): void {
    this.tablesRead.add(table);
  }

  write(table: string): void {
    this.tablesWritten.add(table);
  }
}
