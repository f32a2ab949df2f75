import type { QueryScanner } from './tables.js';
import type { Scope } from './token-reader.js';
import { isPunctuation, isWord, isWordIn, type Token } from './tokens.js';

const NO_CTES: ReadonlySet<string> = new Set();
const INSERT_MODIFIERS = new Set(['low_priority', 'delayed', 'high_priority', 'ignore']);
const UPDATE_MODIFIERS = new Set(['low_priority', 'ignore']);
const DELETE_MODIFIERS = new Set(['low_priority', 'quick', 'ignore']);
const WHEN = new Set(['when']);
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
  const conditions = whereIndex < 0 ? [] : [whereIndex];
  for (const table of targets) scanner.facts.dml.push({ kind: 'update', table, conditions });
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
    facts.dml.push({ kind: 'delete', table, conditions: whereIndex < 0 ? [] : [whereIndex] });
  }
}

/**
 * `MERGE INTO target [AS alias] USING source ON … WHEN … THEN …` after the verb. Each `WHEN
 * MATCHED [AND …] THEN UPDATE|DELETE` is a DML target restricted by ON (and its AND); `WHEN NOT
 * MATCHED BY SOURCE [AND …]` only by its AND.
 */
export function scanMerge(scanner: QueryScanner, from: number, to: number, scope: Scope): void {
  const { tokens, facts } = scanner;
  let index = from;
  if (isWord(tokens[index], 'into')) index += 1;
  const target = scanner.readName(index);
  index = scanner.tableName(index, to, NO_CTES, true);
  if (target === null) facts.doubt('MERGE without a readable target table');
  index = scanner.skipAlias(index, to, null);
  if (!isWord(tokens[index], 'using')) {
    facts.doubt('MERGE without USING');
    scanner.walk(index, to, scope, { context: 'query' });
    return;
  }
  scanner.walk(index + 1, to, scope, { context: 'query', expectTable: true, inFrom: true });
  const on = findWord(scanner, index + 1, to, new Set(['on']));
  for (let when = findWord(scanner, on, to, WHEN); when < to; when = findWord(scanner, when + 1, to, WHEN)) {
    const then = findWord(scanner, when, to, new Set(['then']));
    const action = tokens[then + 1];
    if (target === null || !(isWord(action, 'update') || isWord(action, 'delete'))) continue;
    const matched = isWord(tokens[when + 1], 'matched');
    const and = findWord(scanner, when, then, new Set(['and']));
    const conditions = [...(matched && on < to ? [on] : []), ...(and < then ? [and] : [])];
    facts.dml.push({ kind: (action as Token).value as 'update' | 'delete', table: target.name, conditions });
  }
}
