import { type Classification, classification, unrecognised } from './classification.js';
import type { QueryScanner } from './tables.js';
import { isName, isOperator, isPunctuation, isWord, isWordIn, type Token } from './tokens.js';
import type { Dialect } from './types.js';

/** Classifies the statement in `[from, to)`; wrappers call back into the dispatcher. */
export type Classify = (from: number, to: number) => Classification;

export interface WrapperContext {
  readonly scanner: QueryScanner;
  readonly dialect: Dialect;
  readonly classify: Classify;
}

const ANALYZE_WORDS = new Set(['analyze', 'analyse']);
const OFF_WORDS = new Set(['false', 'off', 'no']);

/** A statement that runs the one it wraps (EXPLAIN ANALYZE, PREPARE … AS, DECLARE … FOR): judged as it. */
function runs(inner: Classification, command: string, keepColumns: boolean): Classification {
  if (!inner.recognised) return inner;
  return {
    ...inner,
    command,
    outputColumns: keepColumns ? inner.outputColumns : null,
    rowsFromParse: keepColumns && inner.rowsFromParse,
  };
}

/** EXPLAIN without ANALYZE plans the statement without running it: it only reads the catalog. */
function plans(inner: Classification): Classification {
  if (!inner.recognised) return inner;
  const { facts } = inner;
  for (const table of facts.tablesWritten) facts.read(table);
  facts.tablesWritten.clear();
  facts.dml.length = 0;
  facts.nestedWrites.length = 0;
  facts.fileAccess = false;
  facts.createsTable = false;
  return {
    ...classification('show', 'EXPLAIN', facts, inner.parseRange),
    mainWord: inner.mainWord,
    executes: false,
  };
}

/** Whether a Postgres option list `(ANALYZE, BUFFERS)` turns ANALYZE on. */
function analyzeOption(tokens: readonly Token[], from: number, to: number): boolean {
  for (let index = from; index < to; index += 1) {
    if (!isWordIn(tokens[index], ANALYZE_WORDS)) continue;
    const value = tokens[index + 1];
    const off = isWordIn(value, OFF_WORDS) || (value?.kind === 'number' && Number(value.value) === 0);
    if (!off) return true;
  }
  return false;
}

/** EXPLAIN / DESCRIBE. https://www.postgresql.org/docs/current/sql-explain.html */
export function explain(context: WrapperContext, from: number, to: number): Classification {
  const { scanner, dialect } = context;
  const { tokens } = scanner;
  let index = from + 1;
  let analyze = false;
  if (dialect === 'postgres' && isPunctuation(tokens[index], '(')) {
    const close = scanner.close(index, to);
    analyze = analyzeOption(tokens, index + 1, close);
    index = close + 1;
  }
  for (;;) {
    const token = tokens[index];
    if (isWordIn(token, ANALYZE_WORDS)) analyze = true;
    else if (isWord(token, 'format') && isOperator(tokens[index + 1], '=')) index += 2;
    else if (!isWordIn(token, new Set(['verbose', 'extended', 'partitions']))) break;
    index += 1;
  }
  if (isWord(tokens[index], 'for') && isWord(tokens[index + 1], 'connection')) {
    return classification('show', 'EXPLAIN', scanner.facts);
  }
  if (dialect === 'mysql' && isName(tokens[index]) && !scanner.isQueryStart(index)) {
    return classification('show', 'DESCRIBE', scanner.facts);
  }
  const inner = context.classify(index, to);
  return analyze ? runs(inner, 'EXPLAIN', false) : plans(inner);
}

/** Postgres ANALYZE collects statistics; MariaDB `ANALYZE <statement>` runs the statement. */
export function analyze(context: WrapperContext, from: number, to: number): Classification {
  const { scanner, dialect } = context;
  let index = from + 1;
  if (dialect === 'mysql') {
    while (isWordIn(scanner.tokens[index], new Set(['no_write_to_binlog', 'local']))) index += 1;
    if (isWordIn(scanner.tokens[index], new Set(['table', 'tables']))) {
      return classification('other', 'ANALYZE TABLE', scanner.facts);
    }
    if (isWord(scanner.tokens[index], 'format') && isOperator(scanner.tokens[index + 1], '=')) index += 3;
    if (scanner.isQueryStart(index)) return runs(context.classify(index, to), 'ANALYZE', true);
  }
  return classification('other', 'ANALYZE', scanner.facts);
}

/**
 * Postgres `PREPARE name [(types)] AS statement` is judged as the statement it prepares;
 * `PREPARE TRANSACTION` is two-phase commit; MySQL `PREPARE name FROM 'text' | @var` hides its text.
 */
export function prepare(context: WrapperContext, from: number, to: number): Classification {
  const { scanner, dialect } = context;
  const { tokens } = scanner;
  if (dialect === 'postgres' && isWord(tokens[from + 1], 'transaction')) {
    return classification('tcl', 'PREPARE TRANSACTION', scanner.facts);
  }
  let index = from + 2;
  if (isPunctuation(tokens[index], '(')) index = scanner.close(index, to) + 1;
  if (isWord(tokens[index], 'as')) return runs(context.classify(index + 1, to), 'PREPARE', false);
  if (isWord(tokens[index], 'from'))
    return { ...classification('other', 'PREPARE', scanner.facts), dynamicSql: true };
  return unrecognised('PREPARE without AS or FROM', scanner.facts);
}

/** Postgres `DECLARE name [options] CURSOR [WITH HOLD] FOR query`. */
export function declare(context: WrapperContext, from: number, to: number): Classification {
  const { scanner } = context;
  let index = from + 1;
  while (index < to && !isWord(scanner.tokens[index], 'for')) index += 1;
  if (index >= to || context.dialect === 'mysql')
    return unrecognised('DECLARE outside a cursor declaration', scanner.facts);
  return runs(context.classify(index + 1, to), 'DECLARE', false);
}
