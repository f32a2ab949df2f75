/**
 * node-sql-parser's AST has no precise types and differs between dialects (a MySQL column is a
 * string, a Postgres one `{ expr: { value } }`): it is read as unknown data through these guards.
 */
export type AstNode = Readonly<Record<string, unknown>>;

export function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function nodes(value: unknown): AstNode[] {
  return Array.isArray(value) ? value.filter(isNode) : [];
}

/** A name given as a string, `{ value }` or `{ expr: { value } }`; null otherwise. */
export function nameOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (!isNode(value)) return null;
  if (typeof value.value === 'string') return value.value;
  return nameOf(value.expr);
}

/** Whether the name node was quoted (its case is significant). */
function isQuotedName(value: unknown): boolean {
  return isNode(value) && typeof value.type === 'string' && value.type.endsWith('quote_string');
}

/** A select statement's AST, also when wrapped as `{ tableList, columnList, ast }`. */
export function selectOf(value: unknown): AstNode | null {
  if (!isNode(value)) return null;
  if (value.type === 'select') return value;
  if (isNode(value.ast) && value.ast.type === 'select') return value.ast;
  return null;
}

/** A function call's name: `{ name: [{ value }], schema: { value } }` or an aggregate's string name. */
export function functionName(node: AstNode): string | null {
  if (typeof node.name === 'string') return node.name.toLowerCase();
  if (!isNode(node.name)) return null;
  const parts = nodes(node.name.name).map((part) => {
    const value = nameOf(part) ?? '';
    return isQuotedName(part) ? value : value.toLowerCase();
  });
  if (parts.length === 0) return null;
  const schema = nameOf(node.name.schema);
  return schema === null ? parts.join('.') : `${schema.toLowerCase()}.${parts.join('.')}`;
}
