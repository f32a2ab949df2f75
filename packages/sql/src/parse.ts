import mysqlBuild from 'node-sql-parser/build/mysql.js';
import postgresBuild from 'node-sql-parser/build/postgresql.js';
import { type AstNode, functionName, isNode, nameOf, nodes } from './ast.js';
import { RESERVED } from './keywords.js';
import type { Dialect } from './types.js';

/** A table the parser saw, with the kind of statement that names it (`select` for reads). */
export interface ParsedTable {
  readonly operation: string;
  readonly table: string;
}

export type ParseOutcome =
  | {
      readonly ok: true;
      readonly ast: AstNode;
      readonly tables: readonly ParsedTable[];
      readonly functions: readonly string[];
    }
  | { readonly ok: false; readonly problem: string };

const parsers = { postgres: new postgresBuild.Parser(), mysql: new mysqlBuild.Parser() };
// MariaDB is read in MySQL mode: node-sql-parser's MariaDB grammar is older.
const options = { postgres: { database: 'PostgresQL' }, mysql: { database: 'MySQL' } };
const MAX_DEPTH = 200;

const STATEMENT_TYPES = new Set(['select', 'insert', 'replace', 'update', 'delete']);

function tableName(item: AstNode): string | null {
  if (typeof item.table !== 'string') return null;
  const schema = nameOf(item.db) ?? nameOf(item.schema);
  return schema === null ? item.table : `${schema}.${item.table}`;
}

/**
 * Tables in the AST: FROM items are read, the `table` list of INSERT / UPDATE / DELETE is written
 * (reported with the statement's type, also when the statement hides in a CTE).
 */
function parsedTables(ast: AstNode): ParsedTable[] {
  const found: ParsedTable[] = [];
  const visit = (value: unknown, statement: string, depth: number): void => {
    if (depth > MAX_DEPTH) throw new Error('statement nested too deeply');
    if (Array.isArray(value)) {
      for (const item of value) visit(item, statement, depth + 1);
      return;
    }
    if (!isNode(value)) return;
    const current =
      typeof value.type === 'string' && STATEMENT_TYPES.has(value.type) ? value.type : statement;
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'from' || key === 'table') && Array.isArray(child)) {
        const operation = key === 'table' && current !== 'select' ? current : 'select';
        for (const item of nodes(child)) {
          const table = tableName(item);
          if (table !== null) found.push({ operation, table });
        }
      }
      if (typeof child === 'object') visit(child, current, depth + 1);
    }
  };
  visit(ast, 'select', 0);
  return found;
}

/** Every function called anywhere in the AST, as written (schema-qualified when it was). */
function parsedFunctions(ast: AstNode): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH) throw new Error('statement nested too deeply');
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    if (!isNode(value)) return;
    if (value.type === 'function' || value.type === 'aggr_func') {
      const name = functionName(value);
      if (name !== null && !RESERVED.has(name)) found.add(name);
    }
    for (const child of Object.values(value)) if (typeof child === 'object') visit(child, depth + 1);
  };
  visit(ast, 0);
  return [...found];
}

/**
 * Parses one statement with node-sql-parser. Never throws; a failure's problem is short (the
 * parser's own message embeds its whole grammar and is never passed on).
 */
export function parseStatement(text: string, dialect: Dialect): ParseOutcome {
  try {
    // astify, not parse: parse also builds table and column lists, which doubles the time.
    const result: unknown = parsers[dialect].astify(text, options[dialect]);
    const ast = Array.isArray(result) && result.length === 1 ? result[0] : result;
    if (!isNode(ast) || typeof ast.type !== 'string') {
      return { ok: false, problem: 'the SQL parser did not return one statement' };
    }
    return { ok: true, ast, tables: parsedTables(ast), functions: parsedFunctions(ast) };
  } catch {
    return { ok: false, problem: 'the SQL parser could not read it' };
  }
}
