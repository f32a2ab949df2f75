import { type Classification, classification } from './classification.js';
import type { QueryScanner } from './tables.js';
import { isName, isPunctuation, isWord, isWordIn, type Token } from './tokens.js';
import type { CopyFacts, OutputColumn } from './types.js';

const NO_CTES: ReadonlySet<string> = new Set();

function copyTarget(token: Token | undefined): CopyFacts['target'] {
  if (isWordIn(token, new Set(['stdin', 'stdout']))) return 'stdio';
  if (isWord(token, 'program')) return 'program';
  // A file name, or something (a parameter) that names one at run time.
  return 'file';
}

/**
 * `COPY table [(columns)] FROM|TO target` or `COPY (query) TO target`.
 * https://www.postgresql.org/docs/current/sql-copy.html
 */
export function copyStatement(scanner: QueryScanner, from: number, to: number): Classification {
  const { tokens, facts } = scanner;
  let index = isWord(tokens[from + 1], 'binary') ? from + 2 : from + 1;
  let table: string | null = null;
  let columns: string[] | null = null;
  let parseRange: Classification['parseRange'] = null;
  if (isPunctuation(tokens[index], '(')) {
    const close = scanner.close(index, to);
    scanner.scanStatement(index + 1, close, NO_CTES, 1);
    parseRange = { from: index + 1, to: close };
    index = close + 1;
  } else {
    const name = scanner.readName(index);
    if (name === null)
      return { ...classification('copy', 'COPY', facts), recognised: false, problem: 'COPY without a table' };
    table = name.name;
    index = name.next;
    if (isPunctuation(tokens[index], '(')) {
      const close = scanner.close(index, to);
      columns = tokens
        .slice(index + 1, close)
        .filter(isName)
        .map((token) => token.value);
      index = close + 1;
    }
  }
  const directionWord = tokens[index];
  if (!isWordIn(directionWord, new Set(['from', 'to']))) {
    return {
      ...classification('copy', 'COPY', facts),
      recognised: false,
      problem: 'COPY without FROM or TO',
    };
  }
  const direction = (directionWord as Token).value as CopyFacts['direction'];
  const target = copyTarget(tokens[index + 1]);
  if (table !== null) {
    if (direction === 'from') facts.write(table);
    else facts.read(table);
  }
  if (target === 'file') facts.fileAccess = true;
  scanner.walk(index + 2, to, NO_CTES, { context: 'args' });
  const result = classification('copy', 'COPY', facts, parseRange);
  result.copy = { direction, target, table };
  if (parseRange !== null) {
    const first = tokens[parseRange.from];
    result.rowsFromParse = direction === 'to';
    result.mainWord = isWord(first, 'with') ? null : (first?.value ?? null);
  }
  if (table !== null && direction === 'to') result.outputColumns = copiedColumns(table, columns);
  return result;
}

function copiedColumns(table: string, columns: string[] | null): OutputColumn[] {
  if (columns === null) {
    return [{ name: '*', sources: [{ table, column: '*' }], direct: true, star: true, opaque: false }];
  }
  return columns.map((column) => ({
    name: column,
    sources: [{ table, column }],
    direct: true,
    star: false,
    opaque: false,
  }));
}

/**
 * MySQL `LOAD DATA|XML [LOW_PRIORITY|CONCURRENT] [LOCAL] INFILE 'file' [REPLACE|IGNORE] INTO TABLE t`.
 * LOCAL reads a file on the client's host, otherwise one on the server's: file access either way.
 */
export function loadData(scanner: QueryScanner, from: number, to: number): Classification {
  const { tokens, facts } = scanner;
  const format = (tokens[from + 1] as Token).value.toUpperCase();
  let index = from + 2;
  while (index < to && !isWord(tokens[index], 'table')) index += 1;
  const name = scanner.readName(index + 1);
  if (name !== null) facts.write(name.name);
  else facts.doubt('LOAD without a target table');
  facts.fileAccess = true;
  const result = classification('copy', `LOAD ${format}`, facts);
  result.copy = { direction: 'from', target: 'file', table: name?.name ?? null };
  return result;
}
