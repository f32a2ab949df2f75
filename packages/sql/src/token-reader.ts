import type { ScanFacts } from './facts.js';
import { QUERY_START, RESERVED } from './keywords.js';
import { isName, isPunctuation, isWord, isWordIn, type Token } from './tokens.js';
import type { Dialect } from './types.js';

/** Names of common table expressions visible at a point of a statement. */
export type Scope = ReadonlySet<string>;

const ALIAS_STOP = new Set(['use', 'force', 'ignore', 'qualify', 'tablesample', 'partition', 'window']);
const INDEX_HINTS = new Set(['use', 'force', 'ignore']);

/** Token-level reading shared by the scanners: matching parentheses, names, aliases. */
export class TokenReader {
  readonly partner: Int32Array;
  constructor(
    readonly tokens: readonly Token[],
    readonly dialect: Dialect,
    readonly facts: ScanFacts,
  ) {
    this.partner = new Int32Array(tokens.length).fill(-1);
    const open: number[] = [];
    tokens.forEach((token, index) => {
      if (token.kind !== 'punctuation') return;
      if (token.value === '(') open.push(index);
      else if (token.value === ')') {
        const start = open.pop();
        if (start === undefined) facts.doubt('unbalanced parentheses');
        else {
          this.partner[start] = index;
          this.partner[index] = start;
        }
      }
    });
    if (open.length > 0) facts.doubt('unbalanced parentheses');
  }

  /** The index of the `)` closing the `(` at `index`, or `to - 1` when it is not closed. */
  close(index: number, to: number): number {
    const partner = this.partner[index] ?? -1;
    return partner > index && partner < to ? partner : to - 1;
  }

  /** Whether a query (SELECT, VALUES, a DML statement, a parenthesised query) starts at `index`. */
  isQueryStart(index: number): boolean {
    const token = this.tokens[index];
    if (isPunctuation(token, '(')) return this.isQueryStart(index + 1);
    if (!isWordIn(token, QUERY_START)) return false;
    const value = (token as Token).value;
    if (value === 'replace' || value === 'insert' || value === 'table') {
      return !isPunctuation(this.tokens[index + 1], '(');
    }
    return true;
  }

  /** Reads a possibly qualified name at `index`: `[db.]schema.table`. */
  readName(index: number): { name: string; next: number } | null {
    const first = this.tokens[index];
    if (!isName(first)) return null;
    let name = first.value;
    let next = index + 1;
    while (isPunctuation(this.tokens[next], '.') && isName(this.tokens[next + 1])) {
      name += `.${(this.tokens[next + 1] as Token).value}`;
      next += 2;
    }
    return { name, next };
  }

  /** Reads a table name (no alias) and records it; returns the index after it. */
  tableName(index: number, to: number, scope: Scope, writes = false): number {
    const read = this.readName(index);
    if (read === null || read.next > to) return index;
    this.record(read.name, scope, writes);
    return read.next;
  }

  record(name: string, scope: Scope, writes: boolean): void {
    if (scope.has(name) || (this.dialect === 'mysql' && name === 'dual')) return;
    if (writes) this.facts.write(name);
    else this.facts.read(name);
  }

  /** Skips `[AS] alias [(columns)]`, MySQL index hints and TABLESAMPLE after a table. */
  skipAlias(index: number, to: number, table: string | null, aliasNeedsAs = false): number {
    let cursor = index;
    if (isWord(this.tokens[cursor], 'partition') && isPunctuation(this.tokens[cursor + 1], '(')) {
      cursor = this.close(cursor + 1, to) + 1;
    }
    const token = this.tokens[cursor];
    let alias: string | null = null;
    if (isWord(token, 'as') && isName(this.tokens[cursor + 1])) {
      alias = (this.tokens[cursor + 1] as Token).value;
      cursor += 2;
    } else if (
      !aliasNeedsAs &&
      isName(token) &&
      !(token.kind === 'word' && (RESERVED.has(token.value) || ALIAS_STOP.has(token.value)))
    ) {
      alias = token.value;
      cursor += 1;
    }
    if (alias !== null && table !== null) this.facts.aliases.set(alias, table);
    if (alias !== null && isPunctuation(this.tokens[cursor], '(')) cursor = this.close(cursor, to) + 1;
    while (isWordIn(this.tokens[cursor], INDEX_HINTS) && cursor < to) {
      while (cursor < to && !isPunctuation(this.tokens[cursor], '(')) cursor += 1;
      cursor = this.close(cursor, to) + 1;
    }
    return cursor;
  }
}
