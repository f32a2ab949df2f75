/**
 * What is wrong with a masking column pattern, or null when nothing is. Accepted: `column`,
 * `table.column`, `schema.table.column`, each part a glob. Masking uses even a faulty pattern,
 * erring towards masking more; configuration checks report it.
 */
export function columnPatternProblem(pattern: string): string | null {
  const parts = pattern.split('.');
  if (parts.length > 3)
    return `"${pattern}" has ${parts.length} parts; expected table.column or schema.table.column`;
  if (parts.some((part) => part.trim() === '')) return `"${pattern}" has an empty part; use * for any`;
  return null;
}
