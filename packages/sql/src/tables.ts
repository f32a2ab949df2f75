import { scanDelete, scanInsert, scanMerge, scanUpdate } from './dml.js';
import type { WriteKind } from './facts.js';
import { FROM_END, RESERVED } from './keywords.js';
import { type Scope, TokenReader } from './token-reader.js';
import { describeToken, isName, isPunctuation, isWord, isWordIn, type Token } from './tokens.js';

export interface WalkOptions {
  /** `query`: FROM / JOIN name tables. `args`: inside a function call or expression. */
  readonly context: 'query' | 'args';
  readonly expectTable?: boolean;
  readonly inFrom?: boolean;
  /** Tables met in FROM position are written (UPDATE targets) rather than read. */
  readonly writes?: boolean;
  /** Collects the names of tables met in FROM position. */
  readonly collect?: string[];
}

/** Keywords that may legitimately follow these words inside a statement. */
const DML_ALLOWED_AFTER: Readonly<Record<string, ReadonlySet<string>>> = {
  update: new Set(['for', 'key', 'do', 'then']),
  delete: new Set(['then']),
  insert: new Set(['then']),
};
const FOREIGN_STATEMENT_WORDS = new Set(['drop', 'truncate', 'alter', 'create', 'grant', 'revoke', 'merge']);
/** Reserved words that are nevertheless functions when followed by `(`. */
const CALLABLE_KEYWORDS = new Set(['left', 'right', 'replace', 'insert', 'if', 'char', 'match']);
/**
 * A word before `name (` that makes the parenthesis a column list, a type modifier or a definition.
 * Anything else counts as a call: an unknown word reported as a function is noise, a missed
 * `load_file(` is a hole.
 */
const NOT_A_CALL_AFTER = new Set([
  'into',
  'table',
  'references',
  'index',
  'key',
  'function',
  'procedure',
  'view',
  'type',
  'exists',
  'as',
  'copy',
  'domain',
  'aggregate',
  'sequence',
  'unique',
  'constraint',
]);
const SELECT_LIKE = new Set(['select', 'values', 'table']);
const FROM_PREFIXES = new Set(['lateral', 'only']);
const DISTINCT_FROM = new Set(['is', 'not']);
const INTO_FILE = new Set(['outfile', 'dumpfile']);
const INTO_TABLE_WORDS = new Set(['temp', 'temporary', 'unlogged', 'table']);

/** Reads the tables, DML targets and function calls of queries from their tokens. */
export class QueryScanner extends TokenReader {
  /** Where the main statement of the last depth-0 scan starts (after its WITH clause). */
  mainIndex = -1;

  /** Scans one statement at one nesting depth; returns its kind, or null when not recognised. */
  scanStatement(from: number, to: number, scope: Scope, depth: number): WriteKind | 'select' | null {
    let index = from;
    let statementScope = scope;
    while (isPunctuation(this.tokens[index], '(') && !this.isQueryStart(index)) index += 1;
    if (isWord(this.tokens[index], 'with')) {
      const after = this.withClause(index + 1, to, scope, depth);
      index = after.index;
      statementScope = after.scope;
    }
    const token = this.tokens[index];
    if (depth === 0) this.mainIndex = index;
    let kind: WriteKind | 'select' | null = null;
    if (isPunctuation(token, '(') || isWordIn(token, SELECT_LIKE)) {
      if (isWord(token, 'table')) this.tableName(index + 1, to, statementScope);
      else this.walk(index, to, statementScope, { context: 'query' });
      kind = 'select';
    } else if (isWord(token, 'insert') || isWord(token, 'replace')) {
      scanInsert(this, index + 1, to, statementScope);
      kind = 'insert';
    } else if (isWord(token, 'update')) {
      scanUpdate(this, index + 1, to, statementScope);
      kind = 'update';
    } else if (isWord(token, 'delete')) {
      scanDelete(this, index + 1, to, statementScope);
      kind = 'delete';
    } else if (isWord(token, 'merge')) {
      scanMerge(this, index + 1, to, statementScope);
      kind = 'merge';
    } else {
      this.facts.doubt(`unexpected ${describeToken(token)} where a query should start`);
      this.walk(index, to, statementScope, { context: 'query' });
    }
    if (depth > 0 && kind !== null && kind !== 'select') this.facts.nestedWrites.push(kind);
    return kind;
  }

  /** Reads `[RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] ( body ) [, …]` after WITH. */
  withClause(from: number, to: number, scope: Scope, depth: number): { index: number; scope: Scope } {
    let index = from;
    const recursive = isWord(this.tokens[index], 'recursive');
    if (recursive) index += 1;
    const names = new Set(scope);
    while (index < to) {
      const nameToken = this.tokens[index];
      if (!isName(nameToken)) break;
      index += 1;
      if (isPunctuation(this.tokens[index], '(')) index = this.close(index, to) + 1;
      if (!isWord(this.tokens[index], 'as')) break;
      index += 1;
      if (isWord(this.tokens[index], 'not')) index += 1;
      if (isWord(this.tokens[index], 'materialized')) index += 1;
      if (!isPunctuation(this.tokens[index], '(')) break;
      const close = this.close(index, to);
      this.facts.cteNames.add(nameToken.value);
      if (recursive) names.add(nameToken.value);
      this.scanStatement(index + 1, close, names, depth + 1);
      names.add(nameToken.value);
      index = close + 1;
      // SEARCH / CYCLE clauses of a recursive CTE end where the next CTE or the query starts.
      while (index < to && !isPunctuation(this.tokens[index], ',') && !this.isQueryStart(index)) index += 1;
      if (!isPunctuation(this.tokens[index], ',')) return { index, scope: names };
      index += 1;
    }
    this.facts.doubt('unreadable WITH clause');
    return { index, scope: names };
  }

  /** Records the function called at `index` (a name followed by `(`), if it is a call. */
  private functionCall(index: number, name: string, first: Token): boolean {
    if (first.kind === 'word' && RESERVED.has(first.value) && !CALLABLE_KEYWORDS.has(first.value))
      return false;
    const previous = this.tokens[index - 1];
    if (previous?.kind === 'operator' && previous.value === '::') return false;
    if (isWordIn(previous, NOT_A_CALL_AFTER)) return false;
    // MERGE … THEN INSERT (columns) VALUES (…)
    if (isWord(previous, 'then') && (first.value === 'insert' || first.value === 'replace')) return false;
    this.facts.functions.add(name);
    return true;
  }

  /** Walks tokens of one nesting level, recursing into parentheses; returns its first WHERE. */
  walk(from: number, to: number, scope: Scope, options: WalkOptions): number {
    const { context } = options;
    let expectTable = options.expectTable ?? false;
    let inFrom = options.inFrom ?? false;
    let firstWhere = -1;
    let currentScope = scope;
    for (let index = from; index < to; index += 1) {
      const token = this.tokens[index] as Token;
      if (isPunctuation(token, '(')) {
        const close = this.close(index, to);
        if (this.isQueryStart(index + 1)) this.scanStatement(index + 1, close, currentScope, 1);
        else if (expectTable)
          this.walk(index + 1, close, currentScope, { ...options, expectTable: true, inFrom: true });
        else this.walk(index + 1, close, currentScope, { context: 'args' });
        if (expectTable) index = this.skipAlias(close + 1, to, null) - 1;
        else index = close;
        expectTable = false;
        continue;
      }
      if (isPunctuation(token, ',')) {
        expectTable = inFrom && context === 'query';
        continue;
      }
      if (!isName(token)) {
        expectTable = false;
        continue;
      }
      if (expectTable && isWordIn(token, FROM_PREFIXES)) continue;
      const read = this.readName(index);
      const name = read?.name ?? token.value;
      const next = read?.next ?? index + 1;
      if (isPunctuation(this.tokens[next], '(') && this.functionCall(index, name, token)) {
        const close = this.close(next, to);
        this.walk(next + 1, close, currentScope, { context: 'args' });
        index = expectTable ? this.skipAlias(close + 1, to, null) - 1 : close;
        expectTable = false;
        continue;
      }
      if (expectTable && !(token.kind === 'word' && RESERVED.has(token.value))) {
        this.record(name, currentScope, options.writes ?? false);
        options.collect?.push(name);
        index = this.skipAlias(next, to, name) - 1;
        expectTable = false;
        continue;
      }
      expectTable = false;
      if (token.kind !== 'word' || context !== 'query') {
        index = next - 1;
        continue;
      }
      const word = token.value;
      const previous = this.tokens[index - 1];
      if (
        word === 'from' &&
        !(isWord(previous, 'distinct') && isWordIn(this.tokens[index - 2], DISTINCT_FROM))
      ) {
        inFrom = true;
        expectTable = true;
      } else if (word === 'join' || word === 'straight_join') {
        inFrom = true;
        expectTable = true;
      } else if (word === 'using' && inFrom && !isPunctuation(this.tokens[index + 1], '(')) {
        expectTable = true;
      } else if (word === 'into') {
        index = this.selectInto(index + 1, to, currentScope) - 1;
        inFrom = false;
      } else if (word === 'with' && this.startsWithClause(index)) {
        const after = this.withClause(index + 1, to, currentScope, 1);
        currentScope = after.scope;
        index = after.index - 1;
      } else if (word === 'where') {
        if (firstWhere < 0) firstWhere = index;
        inFrom = false;
      } else if (word === 'select') {
        inFrom = false;
      } else if (word === 'table' && isName(this.tokens[index + 1])) {
        // `… UNION TABLE t` reads all of t.
        index = this.tableName(index + 1, to, currentScope) - 1;
        inFrom = false;
        continue;
      } else if (FROM_END.has(word)) {
        inFrom = false;
      }
      this.checkForeignWord(word, previous);
      index = next - 1;
    }
    return firstWhere;
  }

  /** `WITH` opening CTEs, not `WITH ORDINALITY`, `WITH ROLLUP`, `WITH CHECK OPTION`, `WITH TIES`. */
  private startsWithClause(index: number): boolean {
    const name = this.tokens[index + 1];
    if (isWord(name, 'recursive')) return true;
    if (!isName(name) || isWord(name, 'ordinality')) return false;
    const after = this.tokens[index + 2];
    return isWord(after, 'as') || isPunctuation(after, '(');
  }

  /** A DML or DDL keyword in the middle of a query means the tokens are not read the server's way. */
  private checkForeignWord(word: string, previous: Token | undefined): void {
    const allowed = DML_ALLOWED_AFTER[word];
    if (allowed !== undefined) {
      if (!isWordIn(previous, allowed)) this.facts.doubt(`unexpected '${word}' inside a statement`);
    } else if (
      FOREIGN_STATEMENT_WORDS.has(word) &&
      !isPunctuation(previous, '.') &&
      !isWord(previous, 'as')
    ) {
      this.facts.doubt(`unexpected '${word}' inside a statement`);
    }
  }

  /** `INTO OUTFILE|DUMPFILE` (MySQL file write), `INTO @var`, Postgres `INTO [TEMP] [TABLE] name`. */
  private selectInto(index: number, to: number, scope: Scope): number {
    const target = this.tokens[index];
    if (isWordIn(target, INTO_FILE)) {
      this.facts.fileAccess = true;
      return index + 2;
    }
    if (this.dialect === 'mysql' || target?.kind === 'variable' || target?.kind === 'parameter')
      return index + 1;
    let cursor = index;
    while (isWordIn(this.tokens[cursor], INTO_TABLE_WORDS)) cursor += 1;
    const read = this.readName(cursor);
    if (read === null) return cursor;
    this.facts.createsTable = true;
    this.record(read.name, scope, true);
    return Math.min(read.next, to);
  }
}
