export { columnPatternProblem } from '@sluice/config';
/** Where a value comes from. `null` / absent parts are unknown and may be anything. */
export interface ColumnLocation {
  readonly schema?: string | null;
  readonly table: string | null;
  readonly column: string;
}

/** A masking rule's `match` split into its parts; `schema` is null when the pattern names none. */
export interface ColumnPattern {
  readonly text: string;
  readonly schema: RegExp | null;
  readonly table: RegExp | null;
  readonly column: RegExp;
}

/** Compiled patterns by their text; patterns come from configuration, so the map stays small. */
const compiled = new Map<string, ColumnPattern>();

/** Compiled globs; they come from rules and catalog column names, and the cap bounds the rest. */
const globs = new Map<string, RegExp>();
const MAX_CACHED_GLOBS = 10_000;

/** A case-insensitive glob: `*` any run of characters, `?` one character, everything else literal. */
export function globToRegExp(glob: string): RegExp {
  const cached = globs.get(glob);
  if (cached !== undefined) return cached;
  let source = '';
  for (const character of glob) {
    if (character === '*') source += '.*';
    else if (character === '?') source += '.';
    else source += character.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  const compiledGlob = new RegExp(`^${source}$`, 'iu');
  if (globs.size >= MAX_CACHED_GLOBS) globs.clear();
  globs.set(glob, compiledGlob);
  return compiledGlob;
}

/**
 * Compiles a pattern once. An empty part is read as `*`, and parts before the last three (a
 * database name) are ignored: both make a faulty rule mask more, never less.
 */
export function compileColumnPattern(pattern: string): ColumnPattern {
  const cached = compiled.get(pattern);
  if (cached !== undefined) return cached;
  const parts = pattern
    .split('.')
    .slice(-3)
    .map((part) => globToRegExp(part.trim() === '' ? '*' : part.trim()));
  const result: ColumnPattern = {
    text: pattern,
    schema: parts.length === 3 ? (parts[0] ?? null) : null,
    table: parts.length >= 2 ? (parts[parts.length - 2] ?? null) : null,
    column: parts[parts.length - 1] ?? globToRegExp('*'),
  };
  compiled.set(pattern, result);
  return result;
}

/** Splits `schema.table` (as the analysis writes tables) into its parts. */
export function splitTableName(table: string): { readonly schema: string | null; readonly table: string } {
  const dot = table.lastIndexOf('.');
  if (dot === -1) return { schema: null, table };
  return { schema: table.slice(0, dot), table: table.slice(dot + 1) };
}

/** Whether the table part of a pattern (schema and table) admits `table`; unknown parts admit all. */
export function tableMatches(
  pattern: ColumnPattern,
  schema: string | null | undefined,
  table: string | null,
): boolean {
  if (pattern.table !== null && table !== null && !pattern.table.test(table)) return false;
  if (pattern.schema !== null && schema != null && !pattern.schema.test(schema)) return false;
  return true;
}

/**
 * Whether a masking rule's pattern matches a column: `*.email`, `users.ssn` (any schema),
 * `public.users.ssn` (that schema only), `*.card_*`; case-insensitive. An unknown schema or table
 * matches, so a value whose origin is only partly known is masked rather than let through.
 */
export function columnMatches(pattern: string, source: ColumnLocation): boolean {
  const compiledPattern = compileColumnPattern(pattern);
  if (!compiledPattern.column.test(source.column)) return false;
  // The analysis writes tables as `schema.table`; split them when no schema was given apart.
  if (source.schema === undefined && source.table?.includes('.')) {
    const { schema, table } = splitTableName(source.table);
    return tableMatches(compiledPattern, schema, table);
  }
  return tableMatches(compiledPattern, source.schema, source.table);
}
