import type { StatementAnalysis } from '@sluice/sql';
import { globMatches } from './glob.js';

const unquote = (name: string): string => name.replace(/["`]/g, '');

/** Analyses are cached and shared: each one's tables are listed once. */
const touchedBy = new WeakMap<StatementAnalysis, readonly string[]>();

/** Every table a statement reads or writes, as the analysis names them, each once. */
export function tablesTouched(statement: StatementAnalysis): readonly string[] {
  let touched = touchedBy.get(statement);
  if (touched === undefined) {
    const names = [
      ...statement.tablesRead,
      ...statement.tablesWritten,
      ...statement.dml.map((target) => target.table),
      ...(statement.copy?.table ? [statement.copy.table] : []),
    ];
    touched = [...new Set(names.map(unquote))];
    touchedBy.set(statement, touched);
  }
  return touched;
}

/**
 * The names a pattern with a dot is compared with: `users` is `<defaultSchema>.users`, and a
 * three-part `catalog.schema.table` is compared both whole and as `schema.table`.
 */
function qualifiedForms(table: string, defaultSchema: string): readonly string[] {
  const parts = table.split('.');
  if (parts.length === 1) return [`${defaultSchema}.${table}`];
  if (parts.length === 2) return [table];
  return [table, parts.slice(-2).join('.')];
}

const lastPart = (name: string): string => name.slice(name.lastIndexOf('.') + 1);

/**
 * Whether a `tables:` pattern matches one table. A pattern with a dot (`payroll.*`,
 * `public.users`) matches the schema-qualified name; a pattern without one (`users`, `audit_*`)
 * matches the table's own name in any schema.
 */
export function tablePatternMatches(pattern: string, table: string, defaultSchema: string): boolean {
  if (!pattern.includes('.')) return globMatches(pattern, lastPart(table));
  return qualifiedForms(table, defaultSchema).some((name) => globMatches(pattern, name));
}

/**
 * Whether a `functions:` pattern matches a function as called. Without a dot it ignores the
 * schema; with one, an unqualified call is compared as a built-in (`pg_catalog.name`) and as a
 * function of the default schema, the two places it can resolve to.
 */
export function functionPatternMatches(pattern: string, called: string, defaultSchema: string): boolean {
  const name = unquote(called);
  if (!pattern.includes('.')) return globMatches(pattern, lastPart(name));
  const forms = name.includes('.') ? [name] : [`pg_catalog.${name}`, `${defaultSchema}.${name}`];
  return forms.some((form) => globMatches(pattern, form));
}
