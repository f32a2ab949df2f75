import type { ResultColumnSource } from '@sluice/masking';
import { type ColumnSource, defaultLexerState, type OutputColumn, type SqlAnalyzer } from '@sluice/sql';
import type { packets } from '@sluice/wire-mysql';
import type { MysqlCatalog } from '../catalog/mysql-catalog.js';

/** View nesting followed to a base column; deeper chains count as unknown. */
const MAX_VIEW_DEPTH = 8;

/**
 * Where a MySQL result column's values come from. ColumnDefinition names the table a value was
 * read from as the query wrote it: a base table, but also a view, a view's alias, a derived
 * table or a CTE. With the catalog, views are followed through their definitions to the base
 * columns they show, and names that are no table at all are left to the statement's lineage.
 */
export class MysqlColumnOrigins {
  constructor(
    private readonly catalog: MysqlCatalog,
    private readonly analyzer: SqlAnalyzer,
    /** The session's current default database. */
    private readonly schema: () => string,
  ) {}

  /** Changes when what `sourceOf` and `lineage` answer may change: a catalog reload, another default database. */
  get version(): string {
    return `${this.catalog.version}\0${this.schema()}`;
  }

  /** DDL ran through the session: views and tables may have changed. */
  schemaChanged(): void {
    this.catalog.invalidate();
  }

  /** A statement is about to run: tables it reads that the catalog does not know start a reload. */
  statementRuns(tablesRead: readonly string[]): void {
    this.catalog.noticeUnknown(tablesRead, this.schema());
  }

  readonly columnsOf = (table: string): readonly string[] | null =>
    this.catalog.columnsOf(table, this.schema());

  /** The base column a result column shows, or null when only lineage can tell. */
  sourceOf(definition: packets.ColumnDefinition41): ResultColumnSource | null {
    const schema = definition.schema || this.schema();
    const table = qualified(schema, definition.orgTable);
    if (!this.catalog.knows(table, schema)) return null;
    if (this.catalog.viewDefinition(table, schema) === null) {
      return { schema, table: definition.orgTable, column: definition.orgName };
    }
    const [only, ...more] = this.resolve({ table, column: definition.orgName }, 0);
    if (!only || more.length > 0 || !only.direct || only.source.table === null) return null;
    // The analysis names tables as `schema.table` or `table`.
    const dot = only.source.table.lastIndexOf('.');
    return {
      schema: dot === -1 ? schema : only.source.table.slice(0, dot),
      table: only.source.table.slice(dot + 1),
      column: only.source.column,
    };
  }

  /** The statement's lineage with `*` expanded and view columns replaced by what they show. */
  lineage(outputColumns: readonly OutputColumn[], tablesRead: readonly string[]): OutputColumn[] {
    return outputColumns
      .flatMap((output) => this.expandStar(output))
      .map((output) => this.throughViews(this.attributed(output, tablesRead)));
  }

  /** An unqualified column is attributed to the one table read that has a column of that name. */
  private attributed(output: OutputColumn, tablesRead: readonly string[]): OutputColumn {
    if (output.sources.every((source) => source.table !== null)) return output;
    const sources = output.sources.map((source) => {
      if (source.table !== null) return source;
      const wanted = source.column.toLowerCase();
      const holders = tablesRead.filter((table) =>
        this.columnsOf(table)?.some((column) => column.toLowerCase() === wanted),
      );
      return holders.length === 1 ? { table: holders[0] ?? null, column: source.column } : source;
    });
    return { ...output, sources };
  }

  private expandStar(output: OutputColumn): OutputColumn[] {
    if (!output.star) return [output];
    const expanded: OutputColumn[] = [];
    for (const source of output.sources) {
      const names = source.column === '*' && source.table !== null ? this.columnsOf(source.table) : null;
      // An unknown table stays a star: the plan cannot line it up and fails closed.
      if (source.column === '*' && names === null) return [output];
      for (const column of names ?? [source.column]) {
        expanded.push({
          name: column,
          sources: [{ table: source.table, column }],
          direct: true,
          star: false,
          opaque: false,
        });
      }
    }
    return expanded;
  }

  private throughViews(output: OutputColumn): OutputColumn {
    if (output.opaque) return output;
    const resolved = output.sources.flatMap((source) => this.resolve(source, 0));
    if (resolved.some((each) => each.opaque)) return { ...output, opaque: true };
    return {
      ...output,
      sources: resolved.map((each) => each.source),
      direct: output.direct && resolved.length === 1 && resolved.every((each) => each.direct),
    };
  }

  /** A source followed through views to base columns; `direct` when no expression is in between. */
  private resolve(
    source: ColumnSource,
    depth: number,
  ): { source: ColumnSource; direct: boolean; opaque: boolean }[] {
    const definition =
      source.table === null ? null : this.catalog.viewDefinition(source.table, this.schema());
    if (definition === null || source.column === '*') return [{ source, direct: true, opaque: false }];
    if (depth >= MAX_VIEW_DEPTH) return [{ source, direct: false, opaque: true }];
    const [analysis] = this.analyzer.analyze(definition, defaultLexerState('mysql'));
    const columns = analysis?.outputColumns ? this.lineageOfView(analysis.outputColumns) : null;
    const output = columns?.find((each) => each.name.toLowerCase() === source.column.toLowerCase());
    if (!output || output.opaque) return [{ source, direct: false, opaque: true }];
    return output.sources.flatMap((inner) =>
      this.resolve(inner, depth + 1).map((each) => ({ ...each, direct: each.direct && output.direct })),
    );
  }

  private lineageOfView(outputColumns: readonly OutputColumn[]): OutputColumn[] {
    return outputColumns.flatMap((output) => this.expandStar(output));
  }
}

/** A backquoted `schema`.`table`, whatever characters the names hold. */
function qualified(schema: string, table: string): string {
  return [schema, table].map((name) => `\`${name.replaceAll('`', '``')}\``).join('.');
}
