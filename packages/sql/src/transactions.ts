import { type Classification, classification, unrecognised } from './classification.js';
import { scanBodies } from './ddl.js';
import type { QueryScanner } from './tables.js';
import { isPunctuation, isWord, isWordIn, type Token } from './tokens.js';
import type { Dialect } from './types.js';

const NO_CTES: ReadonlySet<string> = new Set();
const LOCK_LIST_END = new Set(['in', 'nowait', 'read', 'write', 'low_priority', 'as']);

function containsWord(tokens: readonly Token[], from: number, to: number, word: string): boolean {
  for (let index = from; index < to; index += 1) if (isWord(tokens[index], word)) return true;
  return false;
}

/** `LOCK [TABLE] [ONLY] t [, …] IN … MODE` (Postgres), `LOCK TABLES t READ, u WRITE` (MySQL). */
function lock(scanner: QueryScanner, from: number, to: number, dialect: Dialect): Classification {
  const { tokens, facts } = scanner;
  if (dialect === 'mysql' && isWord(tokens[from + 1], 'instance'))
    return classification('other', 'LOCK INSTANCE', facts);
  let index = isWordIn(tokens[from + 1], new Set(['table', 'tables'])) ? from + 2 : from + 1;
  while (index < to) {
    if (isWord(tokens[index], 'only')) index += 1;
    const next = scanner.tableName(index, to, NO_CTES);
    if (next === index) break;
    index = next;
    while (
      index < to &&
      !isPunctuation(tokens[index], ',') &&
      (dialect === 'mysql' || !isWordIn(tokens[index], LOCK_LIST_END))
    ) {
      index += 1;
    }
    if (!isPunctuation(tokens[index], ',')) break;
    index += 1;
  }
  if (facts.tablesRead.size === 0) facts.doubt('LOCK without a readable table');
  return classification('tcl', dialect === 'mysql' ? 'LOCK TABLES' : 'LOCK TABLE', facts);
}

/** BEGIN / START / COMMIT / END / ROLLBACK / ABORT / SAVEPOINT / RELEASE / XA / LOCK / UNLOCK. */
export function transaction(
  scanner: QueryScanner,
  from: number,
  to: number,
  dialect: Dialect,
): Classification {
  const { tokens, facts } = scanner;
  const verb = (tokens[from] as Token).value;
  const next = tokens[from + 1];
  switch (verb) {
    case 'begin':
      if (dialect === 'mysql' && isWord(next, 'not')) {
        // MariaDB's anonymous compound statement: a program sent as text.
        scanBodies(scanner, from, to);
        return { ...classification('other', 'BEGIN NOT ATOMIC', facts), dynamicSql: true };
      }
      return classification('tcl', 'BEGIN', facts);
    case 'start':
      if (isWord(next, 'transaction')) return classification('tcl', 'START TRANSACTION', facts);
      return classification('other', `START ${next?.value.toUpperCase() ?? ''}`.trim(), facts);
    case 'commit':
      return classification('tcl', isWord(next, 'prepared') ? 'COMMIT PREPARED' : 'COMMIT', facts);
    case 'end':
    case 'abort':
      if (dialect === 'mysql')
        return unrecognised(`${verb.toUpperCase()} outside a compound statement`, facts);
      return classification('tcl', verb.toUpperCase(), facts);
    case 'rollback':
      if (isWord(next, 'prepared')) return classification('tcl', 'ROLLBACK PREPARED', facts);
      return classification(
        'tcl',
        containsWord(tokens, from, to, 'to') ? 'ROLLBACK TO SAVEPOINT' : 'ROLLBACK',
        facts,
      );
    case 'savepoint':
      return classification('tcl', 'SAVEPOINT', facts);
    case 'release':
      return classification('tcl', 'RELEASE SAVEPOINT', facts);
    case 'xa':
      return classification('tcl', `XA ${next?.value.toUpperCase() ?? ''}`.trim(), facts);
    case 'lock':
      return lock(scanner, from, to, dialect);
    default:
      return classification('tcl', `UNLOCK ${next?.value.toUpperCase() ?? ''}`.trim(), facts);
  }
}
