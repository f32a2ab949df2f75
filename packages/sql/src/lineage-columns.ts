import { type AstNode, functionName, isNode, nameOf } from './ast.js';
import type { ColumnSource, OutputColumn } from './types.js';

/** What a FROM item offers to the columns that reference it. */
export type RelationColumns =
  | { readonly kind: 'table'; readonly table: string }
  | { readonly kind: 'derived'; readonly columns: readonly OutputColumn[] }
  | { readonly kind: 'opaque'; readonly sources: readonly ColumnSource[] };

export interface Relation {
  /** Names that qualify its columns: the alias, or the table name (bare and qualified). */
  readonly names: readonly string[];
  readonly columns: RelationColumns;
}

export interface Scope {
  readonly relations: readonly Relation[];
  readonly ctes: ReadonlyMap<string, readonly OutputColumn[]>;
  readonly parent: Scope | null;
}

export interface Origin {
  readonly sources: ColumnSource[];
  direct: boolean;
  opaque: boolean;
}

/** Keys of expression nodes that hold names or types, not values. */
export function column(name: string, origin: Origin, star = false): OutputColumn {
  return { name, sources: dedupe(origin.sources), direct: origin.direct, star, opaque: origin.opaque };
}

function dedupe(sources: readonly ColumnSource[]): ColumnSource[] {
  const seen = new Set<string>();
  return sources.filter((source) => {
    const key = `${source.table ?? ''}\0${source.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function findRelation(scope: Scope | null, name: string): Relation | null {
  for (let current = scope; current !== null; current = current.parent) {
    const found = current.relations.find((relation) => relation.names.includes(name));
    if (found !== undefined) return found;
  }
  return null;
}

/** Every source of a relation, as `{ table, column: '*' }` for base tables. */
export function wholeRow(relation: Relation): ColumnSource[] {
  const { columns } = relation;
  if (columns.kind === 'table') return [{ table: columns.table, column: '*' }];
  if (columns.kind === 'opaque') return [...columns.sources];
  return columns.columns.flatMap((output) => output.sources);
}

export function columnOf(relation: Relation, name: string): Origin {
  const { columns } = relation;
  if (columns.kind === 'table')
    return { sources: [{ table: columns.table, column: name }], direct: true, opaque: false };
  if (columns.kind === 'opaque') return { sources: [...columns.sources], direct: false, opaque: true };
  const named = columns.columns.find((output) => output.name === name && !output.star);
  if (named !== undefined) return { sources: [...named.sources], direct: named.direct, opaque: named.opaque };
  const stars = columns.columns.filter((output) => output.star);
  const sources = stars.flatMap((output) =>
    output.sources.map((source) => ({ table: source.table, column: name })),
  );
  const opaque = stars.length === 0 || stars.some((output) => output.opaque);
  return { sources, direct: sources.length === 1 && !opaque, opaque };
}

export function opaqueColumn(name: string, sources: ColumnSource[]): OutputColumn {
  return { name, sources, direct: false, star: false, opaque: true };
}

export function starColumn(sources: ColumnSource[], opaque: boolean): OutputColumn {
  return { name: '*', sources: dedupe(sources), direct: !opaque, star: true, opaque };
}

/** Postgres' name for an unaliased output column. */
export function outputName(expr: AstNode): string {
  if (expr.type === 'column_ref') return nameOf(expr.column) ?? '?column?';
  if (expr.type === 'function' || expr.type === 'aggr_func') {
    const name = functionName(expr);
    return name === null ? '?column?' : name.slice(name.lastIndexOf('.') + 1);
  }
  if (expr.type === 'cast' && isNode(expr.expr)) return outputName(expr.expr);
  if (expr.type === 'case') return 'case';
  return '?column?';
}

/** UNION / INTERSECT / EXCEPT: position by position, or all opaque when stars hide the positions. */
export function mergeBranches(
  first: readonly OutputColumn[],
  second: readonly OutputColumn[],
): OutputColumn[] {
  const aligned = first.length === second.length && ![...first, ...second].some((output) => output.star);
  if (aligned) {
    return first.map((output, index) => {
      const other = second[index] as OutputColumn;
      return {
        name: output.name,
        sources: dedupe([...output.sources, ...other.sources]),
        direct: output.direct && other.direct,
        star: false,
        opaque: output.opaque || other.opaque,
      };
    });
  }
  const sources = [...first, ...second].flatMap((output) => output.sources);
  return first.map((output) => opaqueColumn(output.name, sources));
}
