import { type Classification, classification } from './classification.js';
import type { QueryScanner } from './tables.js';
import { isName, isOperator, isPunctuation, isWord, isWordIn, type Token } from './tokens.js';

const NO_CTES: ReadonlySet<string> = new Set();

/** Object types after CREATE / ALTER / DROP, longest first. */
const OBJECT_TYPES: readonly (readonly string[])[] = [
  'foreign data wrapper',
  'text search configuration',
  'text search dictionary',
  'text search parser',
  'text search template',
  'spatial reference system',
  'materialized view',
  'foreign table',
  'event trigger',
  'user mapping',
  'access method',
  'default privileges',
  'operator class',
  'operator family',
  'large object',
  'logfile group',
  'resource group',
  'table',
  'tables',
  'view',
  'index',
  'sequence',
  'schema',
  'database',
  'function',
  'procedure',
  'routine',
  'trigger',
  'type',
  'domain',
  'extension',
  'role',
  'user',
  'group',
  'policy',
  'rule',
  'server',
  'publication',
  'subscription',
  'aggregate',
  'operator',
  'collation',
  'conversion',
  'cast',
  'language',
  'tablespace',
  'statistics',
  'transform',
  'event',
  'system',
  'prepare',
  'instance',
  'owned',
].map((words) => words.split(' '));

const MODIFIERS = new Set(
  'temp temporary global local unlogged unique fulltext spatial recursive trusted procedural online offline ignore constraint'.split(
    ' ',
  ),
);
const ACCESS_OBJECTS = new Set(['role', 'user', 'group', 'default privileges', 'user mapping']);
const TABLE_OBJECTS = new Set(['table', 'tables', 'view', 'materialized view', 'foreign table']);
const OBJECTS_ON_TABLE = new Set(['index', 'trigger', 'policy', 'rule']);
const NAME_PREFIXES = new Set(['if', 'not', 'exists', 'only', 'concurrently']);
/** Where a statement can start inside a routine, trigger, rule or event body. */
const BODY_STATEMENT_AFTER = new Set([
  'begin',
  'atomic',
  'then',
  'else',
  'do',
  'loop',
  'repeat',
  'row',
  'also',
  'instead',
]);

/** Skips `OR REPLACE`, `TEMP`, `DEFINER = user`, `ALGORITHM = x`, `SQL SECURITY x` … before the object type. */
function skipModifiers(tokens: readonly Token[], from: number, to: number): number {
  let index = from;
  while (index < to) {
    const token = tokens[index];
    if (isWord(token, 'or') && isWordIn(tokens[index + 1], new Set(['replace', 'alter']))) index += 2;
    else if (isWord(token, 'aggregate') && isWord(tokens[index + 1], 'function')) index += 1;
    else if (isWordIn(token, MODIFIERS)) index += 1;
    else if (isWordIn(token, new Set(['definer', 'algorithm'])) && isOperator(tokens[index + 1], '=')) {
      index += 3;
      if (tokens[index]?.kind === 'variable') index += 1;
    } else if (isWord(token, 'sql') && isWord(tokens[index + 1], 'security')) index += 3;
    else return index;
  }
  return index;
}

function objectType(tokens: readonly Token[], index: number): string | null {
  for (const words of OBJECT_TYPES) {
    if (words.every((word, offset) => isWord(tokens[index + offset], word))) return words.join(' ');
  }
  return null;
}

/** Reads a comma-separated list of table names at `from` and records them as written. */
function writtenNames(scanner: QueryScanner, from: number, to: number, list: boolean): number {
  let index = from;
  while (isWordIn(scanner.tokens[index], NAME_PREFIXES)) index += 1;
  for (;;) {
    const next = scanner.tableName(index, to, NO_CTES, true);
    if (next === index) return index;
    index = next;
    if (isOperator(scanner.tokens[index], '*')) index += 1;
    if (!list || !isPunctuation(scanner.tokens[index], ',')) return index;
    index += 1;
  }
}

function wordAtLevel(scanner: QueryScanner, from: number, to: number, word: string): number {
  for (let index = from; index < to; index += 1) {
    if (isPunctuation(scanner.tokens[index], '(')) index = scanner.close(index, to);
    else if (isWord(scanner.tokens[index], word)) return index;
  }
  return -1;
}

/** The start of the query in `CREATE VIEW v AS SELECT …` / `CREATE TABLE t AS SELECT …`, or -1. */
function definingQuery(scanner: QueryScanner, from: number, to: number): number {
  for (let index = from; index < to; index += 1) {
    const token = scanner.tokens[index];
    if (isPunctuation(token, '(')) {
      if (scanner.isQueryStart(index + 1) && isWord(scanner.tokens[index - 1], 'as')) return index;
      index = scanner.close(index, to);
    } else if (scanner.isQueryStart(index)) {
      return index;
    }
  }
  return -1;
}

/**
 * Statements inside routine, trigger, rule and event bodies run later, when the routine is called
 * or the trigger fires: they are scanned as nested statements so their DML and tables show.
 */
export function scanBodies(scanner: QueryScanner, from: number, to: number): void {
  const { tokens } = scanner;
  for (let index = from + 1; index < to; index += 1) {
    const previous = tokens[index - 1];
    const startsHere =
      (previous?.kind === 'semicolon' ||
        isWordIn(previous, BODY_STATEMENT_AFTER) ||
        isPunctuation(previous, ':')) &&
      scanner.isQueryStart(index);
    if (!startsHere) continue;
    let end = index;
    while (end < to && tokens[end]?.kind !== 'semicolon') {
      end = isPunctuation(tokens[end], '(') ? scanner.close(end, to) + 1 : end + 1;
    }
    scanner.scanStatement(index, end, NO_CTES, 1);
    index = end;
  }
}

/** CREATE / ALTER / DROP of any object. */
export function definition(scanner: QueryScanner, from: number, to: number): Classification {
  const { tokens, facts } = scanner;
  const verb = (tokens[from] as Token).value;
  const objectStart = skipModifiers(tokens, from + 1, to);
  const object = objectType(tokens, objectStart);
  const objectWord = tokens[objectStart];
  const objectName = object ?? (objectWord?.kind === 'word' ? objectWord.value : '');
  const command = `${verb} ${objectName}`.trim().toUpperCase();
  const afterObject = objectStart + (object?.split(' ').length ?? 1);
  if (verb === 'alter' && object === 'system') {
    return { ...classification('set', 'ALTER SYSTEM', facts), changesSettings: true };
  }
  if (verb === 'drop' && object === 'prepare') return classification('other', 'DEALLOCATE', facts);
  const result = classification(
    object !== null && ACCESS_OBJECTS.has(object) ? 'dcl' : 'ddl',
    command,
    facts,
  );
  if (object === null) facts.doubt(`unknown object type after ${verb.toUpperCase()}`);
  let queryStart = -1;
  if (object !== null && TABLE_OBJECTS.has(object)) {
    const afterName = writtenNames(scanner, afterObject, to, verb === 'drop');
    if (verb === 'create') queryStart = definingQuery(scanner, afterName, to);
  } else if (object !== null && OBJECTS_ON_TABLE.has(object)) {
    const on = wordAtLevel(scanner, afterObject, to, 'on');
    if (on >= 0) writtenNames(scanner, on + 1, to, false);
  }
  const headerEnd = queryStart < 0 ? to : queryStart;
  scanner.walk(from, headerEnd, NO_CTES, { context: 'args' });
  if (queryStart >= 0) {
    const isParenthesised = isPunctuation(tokens[queryStart], '(');
    const queryEnd = isParenthesised ? scanner.close(queryStart, to) : to;
    scanner.scanStatement(isParenthesised ? queryStart + 1 : queryStart, queryEnd, NO_CTES, 1);
  }
  if (verb === 'create') scanBodies(scanner, from, to);
  return result;
}

/** TRUNCATE removes every row: reported as a DELETE without WHERE on each table. */
export function truncate(scanner: QueryScanner, from: number, to: number): Classification {
  const { tokens, facts } = scanner;
  const start = isWord(tokens[from + 1], 'table') ? from + 2 : from + 1;
  writtenNames(scanner, start, to, true);
  for (const table of facts.tablesWritten) facts.dml.push({ kind: 'delete', table, conditions: [] });
  if (facts.tablesWritten.size === 0) facts.doubt('TRUNCATE without a readable table');
  return classification('delete', 'TRUNCATE', facts);
}

const PRIVILEGE_OBJECTS = new Set([
  'schema',
  'database',
  'function',
  'procedure',
  'routine',
  'sequence',
  'all',
  'type',
  'domain',
  'language',
  'large',
  'tablespace',
  'foreign',
  'server',
  'parameter',
  'proxy',
]);

/** GRANT / REVOKE; the tables of `ON [TABLE] t, u` count as written (their access changes). */
export function privileges(scanner: QueryScanner, from: number, to: number): Classification {
  const { tokens } = scanner;
  const command = (tokens[from] as Token).value.toUpperCase();
  const on = wordAtLevel(scanner, from + 1, to, 'on');
  if (on >= 0 && !isWordIn(tokens[on + 1], PRIVILEGE_OBJECTS)) {
    let index = isWord(tokens[on + 1], 'table') ? on + 2 : on + 1;
    while (isName(tokens[index]) || isOperator(tokens[index], '*')) {
      const read = scanner.readName(index);
      let name = read?.name ?? '*';
      index = read?.next ?? index + 1;
      if (isPunctuation(tokens[index], '.') && isOperator(tokens[index + 1], '*')) {
        name += '.*';
        index += 2;
      }
      scanner.facts.write(name);
      if (!isPunctuation(tokens[index], ',')) break;
      index += 1;
    }
  }
  return classification('dcl', command, scanner.facts);
}

/** MySQL `RENAME TABLE a TO b, c TO d` / `RENAME USER`. */
export function rename(scanner: QueryScanner, from: number, to: number): Classification {
  const { tokens } = scanner;
  if (isWord(tokens[from + 1], 'user')) return classification('dcl', 'RENAME USER', scanner.facts);
  let index = isWordIn(tokens[from + 1], new Set(['table', 'tables'])) ? from + 2 : from + 1;
  while (index < to) {
    if (isWord(tokens[index], 'to') || isPunctuation(tokens[index], ',')) {
      index += 1;
      continue;
    }
    const next = scanner.tableName(index, to, NO_CTES, true);
    index = next === index ? index + 1 : next;
  }
  return classification('ddl', 'RENAME TABLE', scanner.facts);
}
