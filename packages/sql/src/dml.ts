import type { QueryScanner } from './tables.js';
import type { Scope } from './token-reader.js';
import { isPunctuation, isWord, isWordIn, type Token } from './tokens.js';

const NO_CTES: ReadonlySet<string> = new Set();
const INSERT_MODIFIERS = new Set(['low_priority', 'delayed', 'high_priority', 'ignore']);
const UPDATE_MODIFIERS = new Set(['low_priority', 'ignore']);
const DELETE_MODIFIERS = new Set(['low_priority', 'quick', 'ignore']);
const DELETE_TARGETS_END = new Set(['using', 'where', 'returning', 'order', 'limit', 'partition']);

function skipWords(tokens: readonly Token[], from: number, words: ReadonlySet<string>): number {
  let index = from;
  while (isWordIn(tokens[index], words)) index += 1;
  return index;
}

/** The index of the first `word` at this nesting level in `[from, to)`, or `to`. */
function findWord(scanner: QueryScanner, from: number, to: number, words: ReadonlySet<string>): number {
  for (let index = from; index < to; index += 1) {
    const token = scanner.tokens[index];
    if (isPunctuation(token, '(')) index = scanner.close(index, to);
    else if (isWordIn(token, words)) return index;
  }
  return to;
}

/** `INSERT|REPLACE [modifiers] [INTO] table [AS alias] [(columns)] …` after the verb. */
export function scanInsert(scanner: QueryScanner, from: number, to: number, scope: Scope): void {
  let index = skipWords(scanner.tokens, from, INSERT_MODIFIERS);
  if (isWord(scanner.tokens[index], 'into')) index += 1;
  const target = index;
  index = scanner.tableName(index, to, NO_CTES, true);
  if (index === target) scanner.facts.doubt('INSERT without a readable target table');
  index = scanner.skipAlias(index, to, null, true);
  if (isPunctuation(scanner.tokens[index], '(') && !scanner.isQueryStart(index + 1)) {
    index = scanner.close(index, to) + 1;
  }
  scanner.walk(index, to, scope, { context: 'query' });
}

/** `UPDATE [modifiers] [ONLY] table [alias] [, … | JOIN …] SET … [FROM …] [WHERE …]` after the verb. */
export function scanUpdate(scanner: QueryScanner, from: number, to: number, scope: Scope): void {
  const index = skipWords(scanner.tokens, from, UPDATE_MODIFIERS);
  const set = findWord(scanner, index, to, new Set(['set']));
  const targets: string[] = [];
  scanner.walk(index, set, NO_CTES, {
    context: 'query',
    expectTable: true,
    inFrom: true,
    writes: true,
    collect: targets,
  });
  if (targets.length === 0) scanner.facts.doubt('UPDATE without a readable target table');
  const whereIndex = scanner.walk(set, to, scope, { context: 'query' });
  for (const table of targets) scanner.facts.dml.push({ kind: 'update', table, whereIndex });
}

/**
 * `DELETE [modifiers] FROM [ONLY] table [alias] [USING …] [WHERE …]`, and MySQL's multi-table
 * forms `DELETE t1, t2 FROM …` and `DELETE FROM t1, t2 USING …`, whose targets may be aliases.
 */
export function scanDelete(scanner: QueryScanner, from: number, to: number, scope: Scope): void {
  const { tokens, facts } = scanner;
  const index = skipWords(tokens, from, DELETE_MODIFIERS);
  const targets: string[] = [];
  let whereIndex: number;
  if (isWord(tokens[index], 'from')) {
    const end = findWord(scanner, index + 1, to, DELETE_TARGETS_END);
    scanner.walk(index + 1, end, NO_CTES, {
      context: 'query',
      expectTable: true,
      inFrom: true,
      writes: true,
      collect: targets,
    });
    whereIndex = scanner.walk(end, to, scope, { context: 'query', inFrom: true });
  } else {
    const fromIndex = findWord(scanner, index, to, new Set(['from']));
    for (let cursor = index; cursor < fromIndex; cursor += 1) {
      const name = scanner.readName(cursor);
      if (name === null) continue;
      targets.push(name.name);
      cursor = name.next - 1;
    }
    whereIndex = scanner.walk(fromIndex, to, scope, { context: 'query' });
  }
  if (targets.length === 0) facts.doubt('DELETE without a readable target table');
  for (const target of targets) {
    const table = facts.aliases.get(target) ?? target;
    facts.write(table);
    facts.dml.push({ kind: 'delete', table, whereIndex });
  }
}

/** `MERGE INTO target [AS alias] USING source ON … WHEN … THEN …` after the verb. */
export function scanMerge(scanner: QueryScanner, from: number, to: number, scope: Scope): void {
  let index = from;
  if (isWord(scanner.tokens[index], 'into')) index += 1;
  const target = index;
  index = scanner.tableName(index, to, NO_CTES, true);
  if (index === target) scanner.facts.doubt('MERGE without a readable target table');
  index = scanner.skipAlias(index, to, null);
  if (isWord(scanner.tokens[index], 'using')) {
    scanner.walk(index + 1, to, scope, { context: 'query', expectTable: true, inFrom: true });
  } else {
    scanner.facts.doubt('MERGE without USING');
    scanner.walk(index, to, scope, { context: 'query' });
  }
}
