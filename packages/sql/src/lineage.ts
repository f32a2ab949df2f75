import { type AstNode, functionName, isNode, nameOf, nodes, selectOf } from './ast.js';
import {
  column,
  columnOf,
  findRelation,
  mergeBranches,
  type Origin,
  opaqueColumn,
  outputName,
  type Relation,
  type Scope,
  starColumn,
  wholeRow,
} from './lineage-columns.js';
import type { OutputColumn } from './types.js';

const NON_VALUE_KEYS = new Set(['type', 'name', 'as', 'target', 'loc', 'collate', 'symbol', 'keyword']);
const MAX_DEPTH = 64;

class LineageWalker {
  private depth = 0;

  /** Output columns of a SELECT (with its CTEs and UNION branches). */
  select(
    ast: AstNode,
    parent: Scope | null,
    outerCtes: ReadonlyMap<string, readonly OutputColumn[]>,
  ): OutputColumn[] {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) throw new Error('query nested too deeply to follow');
    try {
      const ctes = this.ctes(ast, parent, outerCtes);
      const scope: Scope = { relations: this.relations(ast.from, parent, ctes), ctes, parent };
      const columns = this.columns(ast.columns, scope);
      const next = selectOf(ast._next);
      return next === null ? columns : mergeBranches(columns, this.select(next, parent, ctes));
    } finally {
      this.depth -= 1;
    }
  }

  /** Output columns of `INSERT|UPDATE|DELETE … RETURNING`, or null when there is no RETURNING. */
  returning(ast: AstNode): OutputColumn[] | null {
    const returning = ast.returning;
    const columns = isNode(returning) ? returning.columns : returning;
    if (!Array.isArray(columns)) return null;
    const ctes = this.ctes(ast, null, new Map());
    const relations = [...this.relations(ast.table, null, ctes), ...this.relations(ast.from, null, ctes)];
    return this.columns(columns, { relations, ctes, parent: null });
  }

  private ctes(ast: AstNode, parent: Scope | null, outer: ReadonlyMap<string, readonly OutputColumn[]>) {
    const ctes = new Map(outer);
    for (const entry of nodes(ast.with)) {
      const name = nameOf(entry.name);
      const body = selectOf(entry.stmt);
      if (name === null) continue;
      let columns: readonly OutputColumn[] =
        body === null ? [opaqueColumn('?column?', [])] : this.select(body, parent, ctes);
      const renames = nodes(entry.columns).map((rename) => nameOf(rename.column) ?? nameOf(rename));
      if (renames.length > 0)
        columns = columns.map((output, index) => ({ ...output, name: renames[index] ?? output.name }));
      ctes.set(name, columns);
    }
    return ctes;
  }

  private relations(
    from: unknown,
    parent: Scope | null,
    ctes: ReadonlyMap<string, readonly OutputColumn[]>,
  ): Relation[] {
    const relations: Relation[] = [];
    for (const item of nodes(from)) {
      const alias = nameOf(item.as);
      const derived = selectOf(item.expr);
      if (derived !== null) {
        relations.push({
          names: alias === null ? [] : [alias],
          columns: { kind: 'derived', columns: this.select(derived, parent, ctes) },
        });
      } else if (typeof item.table === 'string') {
        const schema = nameOf(item.db) ?? nameOf(item.schema);
        const cte = schema === null ? ctes.get(item.table) : undefined;
        const qualified = schema === null ? item.table : `${schema}.${item.table}`;
        const names = alias === null ? [item.table, qualified] : [alias];
        relations.push({
          names,
          columns:
            cte === undefined ? { kind: 'table', table: qualified } : { kind: 'derived', columns: cte },
        });
      } else if (item.type !== 'dual') {
        // A function or VALUES list in FROM: its columns come from its arguments, if from anything.
        const origin: Origin = { sources: [], direct: false, opaque: true };
        this.collect(item.expr, { relations: [], ctes, parent }, origin);
        const name = alias ?? (isNode(item.expr) ? functionName(item.expr) : null);
        relations.push({
          names: name === null ? [] : [name],
          columns: { kind: 'opaque', sources: origin.sources },
        });
      }
    }
    return relations;
  }

  private columns(list: unknown, scope: Scope): OutputColumn[] {
    if (list === '*') return this.star(null, scope);
    const output: OutputColumn[] = [];
    for (const item of nodes(list)) {
      const expr = isNode(item.expr) ? item.expr : item;
      if (expr.type === 'column_ref' && expr.column === '*') {
        output.push(...this.star(nameOf(expr.table), scope));
        continue;
      }
      const origin: Origin = { sources: [], direct: expr.type === 'column_ref', opaque: false };
      this.collect(expr, scope, origin);
      output.push(column(nameOf(item.as) ?? outputName(expr), origin));
    }
    return output;
  }

  private star(qualifier: string | null, scope: Scope): OutputColumn[] {
    const relations = qualifier === null ? scope.relations : [findRelation(scope, qualifier)];
    return relations.flatMap((relation): OutputColumn[] => {
      if (relation === null) return [starColumn([{ table: qualifier, column: '*' }], false)];
      if (relation.columns.kind === 'derived') return [...relation.columns.columns];
      return [starColumn(wholeRow(relation), relation.columns.kind === 'opaque')];
    });
  }

  /** Adds every base column `expr` is computed from to `origin`. */
  private collect(expr: unknown, scope: Scope, origin: Origin): void {
    if (Array.isArray(expr)) {
      for (const item of expr) this.collect(item, scope, origin);
      return;
    }
    if (!isNode(expr)) return;
    if (expr.type === 'column_ref') {
      this.reference(expr, scope, origin);
      return;
    }
    const subquery = selectOf(expr);
    if (subquery !== null) {
      for (const output of this.select(subquery, scope, scope.ctes)) {
        origin.sources.push(...output.sources);
        if (output.opaque) origin.opaque = true;
      }
      origin.direct = false;
      return;
    }
    for (const [key, value] of Object.entries(expr)) {
      if (!NON_VALUE_KEYS.has(key)) this.collect(value, scope, origin);
    }
  }

  private reference(expr: AstNode, scope: Scope, origin: Origin): void {
    const name = nameOf(expr.column) ?? '?column?';
    const qualifier = nameOf(expr.table);
    if (expr.column === '*') {
      // `t.*` inside an expression turns whole rows into one value.
      for (const star of this.star(qualifier, scope)) origin.sources.push(...star.sources);
      origin.opaque = true;
      origin.direct = false;
      return;
    }
    let found: Origin;
    const relation = qualifier === null ? null : findRelation(scope, qualifier);
    if (qualifier !== null) {
      found =
        relation === null
          ? { sources: [{ table: qualifier, column: name }], direct: true, opaque: false }
          : columnOf(relation, name);
    } else {
      found = this.unqualified(name, scope);
    }
    origin.sources.push(...found.sources);
    if (found.opaque) origin.opaque = true;
    if (!found.direct || found.sources.length !== 1) origin.direct = false;
  }

  private unqualified(name: string, scope: Scope): Origin {
    const { relations } = scope;
    const derived = relations.find(
      (relation) =>
        relation.columns.kind === 'derived' &&
        relation.columns.columns.some((output) => output.name === name),
    );
    if (derived !== undefined) return columnOf(derived, name);
    if (relations.length === 1 && !(relations[0] as Relation).names.includes(name))
      return columnOf(relations[0] as Relation, name);
    const row = findRelation(scope, name);
    if (row !== null) return { sources: wholeRow(row), direct: false, opaque: true };
    if (relations.length === 0 && scope.parent !== null) return this.unqualified(name, scope.parent);
    return { sources: [{ table: null, column: name }], direct: true, opaque: false };
  }
}

/** Output columns of a parsed statement, or null when it returns no rows or they cannot be told. */
export function outputColumnsOf(ast: AstNode): OutputColumn[] | null {
  try {
    const walker = new LineageWalker();
    if (ast.type === 'select') return walker.select(ast, null, new Map());
    if (ast.type === 'insert' || ast.type === 'update' || ast.type === 'delete' || ast.type === 'replace') {
      return walker.returning(ast);
    }
    return null;
  } catch {
    return null;
  }
}
