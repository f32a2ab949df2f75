import type { UpstreamConfig } from '@sluice/config';
import type { ResultColumnSource } from '@sluice/masking';
import { backend, frontend } from '@sluice/wire-postgres';
import { connectUpstream, type UpstreamSession } from '../postgres/upstream.js';
import { CATALOG_QUERY_TIMEOUT_MS } from './limits.js';

/**
 * Every column of every relation (tables, views, materialized views, foreign and partitioned
 * tables), system catalogs included: a plan that does not know a table's columns must assume it
 * may hold masked ones, and psql's `\d` queries read pg_catalog.
 */
const COLUMNS_SQL = `SELECT c.oid, n.nspname, c.relname, a.attnum, a.attname, a.atttypid, c.relkind
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'v', 'm', 'f', 'p', 'c')
  AND n.nspname NOT LIKE 'pg_toast%'
ORDER BY c.oid, a.attnum`;

/** View definitions, whose lineage says which base column a view's column shows. */
const VIEWS_SQL = `SELECT c.oid, pg_catalog.pg_get_viewdef(c.oid)
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')`;

/**
 * Domains are named by their base type: a domain over text holds text. An array type names its
 * element type, a composite (row) type its relation, whose columns are its fields.
 */
const TYPES_SQL = `SELECT t.oid, coalesce(b.typname, t.typname),
  CASE WHEN coalesce(b.typcategory, t.typcategory) = 'A' THEN coalesce(b.typelem, t.typelem) ELSE 0 END,
  coalesce(b.typrelid, t.typrelid), coalesce(b.typcategory, t.typcategory)
FROM pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype`;

interface Relation {
  readonly oid: number;
  readonly schema: string;
  readonly table: string;
  readonly columns: Map<number, string>;
}

/** A type as masking needs it: its name, and what an array or row value of it holds. */
export interface PostgresTypeInfo {
  readonly name: string;
  /** The element type of an array type; 0 otherwise. */
  readonly element: number;
  /** The relation whose columns are the fields of a composite type; 0 otherwise. */
  readonly relation: number;
  /** pg_type.typcategory: `S` for string types, `E` for enums, … */
  readonly category: string;
}

/** The fields of a composite type, in order, and the relation they are columns of. */
export interface RowType {
  readonly schema: string;
  readonly table: string;
  /** A type made by CREATE TYPE … AS: no table's rules name its fields. */
  readonly standalone: boolean;
  readonly fields: readonly { readonly name: string; readonly typeOid: number }[];
}

interface Snapshot {
  readonly relations: ReadonlyMap<number, Relation>;
  /** Keyed by `schema.table` and by bare `table`; a bare name may stand for several schemas. */
  readonly byName: ReadonlyMap<string, readonly Relation[]>;
  readonly types: ReadonlyMap<number, PostgresTypeInfo>;
  readonly rowTypes: ReadonlyMap<number, RowType>;
  readonly views: ReadonlyMap<number, string>;
}

const EMPTY: Snapshot = {
  relations: new Map(),
  byName: new Map(),
  types: new Map(),
  rowTypes: new Map(),
  views: new Map(),
};

/**
 * What the server's catalog says about result columns: a RowDescription names a column by table
 * OID and attribute number, and masking rules name it by table and column. Loaded whole over a
 * dedicated connection with Sluice's upstream credentials, shared by every session of a
 * connection; lookups are synchronous, and only a miss (a table created since, or DDL run
 * through the gateway) waits for a reload.
 */
export class PostgresCatalog {
  private snapshot: Snapshot = EMPTY;
  private loaded = false;
  private stale = false;
  private loading: Promise<void> | undefined;
  private connection: UpstreamSession | undefined;
  /** OIDs still unknown after the last load: they are not worth another round trip. */
  private readonly unknownAfterLoad = new Set<number>();

  constructor(private readonly upstream: UpstreamConfig) {}

  /** True when every OID can be answered now, without waiting for a load. */
  canAnswer(tableOids: readonly number[]): boolean {
    if (!this.loaded || this.stale) return false;
    return tableOids.every(
      (oid) => oid === 0 || this.snapshot.relations.has(oid) || this.unknownAfterLoad.has(oid),
    );
  }

  /** Loads or reloads the catalog so that `canAnswer` holds; failures leave lookups unanswered. */
  async prepare(tableOids: readonly number[]): Promise<void> {
    if (this.canAnswer(tableOids)) return;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    await this.loading;
    for (const oid of tableOids) {
      if (oid !== 0 && !this.snapshot.relations.has(oid)) this.unknownAfterLoad.add(oid);
    }
  }

  /** The schema may have changed (DDL ran): the next lookup reloads. */
  invalidate(): void {
    this.stale = true;
  }

  columnAt(tableOid: number, attribute: number): ResultColumnSource | null {
    const relation = this.snapshot.relations.get(tableOid);
    const column = relation?.columns.get(attribute);
    if (!relation || column === undefined) return null;
    return { schema: relation.schema, table: relation.table, column };
  }

  /** The SELECT a view or materialized view is defined by; null for tables. */
  viewDefinition(tableOid: number): string | null {
    return this.snapshot.views.get(tableOid) ?? null;
  }

  typeName(typeOid: number): string | null {
    return this.snapshot.types.get(typeOid)?.name ?? null;
  }

  typeInfo(typeOid: number): PostgresTypeInfo | null {
    return this.snapshot.types.get(typeOid) ?? null;
  }

  /** The fields of the composite type whose relation is `relationOid`. */
  rowType(relationOid: number): RowType | null {
    return this.snapshot.rowTypes.get(relationOid) ?? null;
  }

  /** A table's columns in order, as SQL names it (`users`, `public.users`, `"Users"`); null when unknown or ambiguous. */
  columnsOf(name: string): readonly string[] | null {
    const relation = this.relationNamed(name);
    return relation ? [...relation.columns.values()] : null;
  }

  /** Where a column named in SQL lives on the wire (table OID, attribute number). */
  locate(table: string, column: string): { readonly oid: number; readonly attribute: number } | null {
    const relation = this.relationNamed(table);
    if (!relation) return null;
    const wanted = normalizeName(column);
    for (const [attribute, name] of relation.columns) {
      if (name === wanted) return { oid: relation.oid, attribute };
    }
    return null;
  }

  /** The type of a column named in SQL; null when the table or column is unknown. */
  columnTypeOid(table: string, column: string): number | null {
    const location = this.locate(table, column);
    if (!location) return null;
    const name = this.snapshot.relations.get(location.oid)?.columns.get(location.attribute);
    return (
      this.snapshot.rowTypes.get(location.oid)?.fields.find((field) => field.name === name)?.typeOid ?? null
    );
  }

  private relationNamed(name: string): Relation | undefined {
    const relations = this.snapshot.byName.get(normalizeName(name));
    if (!relations || relations.length === 0) return undefined;
    return relations.length === 1 ? relations[0] : relations.find((r) => r.schema === 'public');
  }

  close(): void {
    this.connection?.socket.destroy();
    this.connection = undefined;
  }

  private async load(): Promise<void> {
    try {
      const columns = await this.query(COLUMNS_SQL);
      const types = await this.query(TYPES_SQL);
      const views = await this.query(VIEWS_SQL);
      this.snapshot = snapshotOf(columns, types, views);
      this.unknownAfterLoad.clear();
      this.loaded = true;
      this.stale = false;
    } catch {
      // A broken catalog connection is reopened next time; meanwhile columns have no known
      // source and the mask plan falls back to lineage, failing closed.
      this.close();
      this.loaded = true;
      this.stale = false;
    }
  }

  private async connect(): Promise<UpstreamSession> {
    if (this.connection && !this.connection.socket.destroyed) return this.connection;
    const session = await connectUpstream(this.upstream, { application_name: 'sluice-catalog' });
    session.socket.on('error', () => undefined);
    session.socket.unref();
    this.connection = session;
    return session;
  }

  /** One simple query; every row as text values. */
  private async query(sql: string): Promise<string[][]> {
    const session = await this.connect();
    session.socket.write(frontend.Query.encode({ kind: 'query', text: sql }));
    const rows: string[][] = [];
    let failure: string | undefined;
    for (;;) {
      const frame = await session.reader.next(CATALOG_QUERY_TIMEOUT_MS);
      if (frame.code === backend.DataRow.code) {
        rows.push(backend.DataRow.decode(frame.bytes).values.map((value) => value?.toString('utf8') ?? ''));
      } else if (frame.code === backend.ErrorResponse.code) {
        failure = backend.ErrorResponse.decode(frame.bytes).fields.get('M') ?? 'catalog query failed';
      } else if (frame.code === backend.ReadyForQuery.code) {
        if (failure !== undefined) throw new Error(failure);
        return rows;
      }
    }
  }
}

function snapshotOf(
  columnRows: readonly string[][],
  typeRows: readonly string[][],
  viewRows: readonly string[][],
): Snapshot {
  const relations = new Map<number, Relation>();
  const rowTypes = new Map<number, RowType & { fields: { name: string; typeOid: number }[] }>();
  for (const [oid, schema, table, attnum, column, typeOid, kind] of columnRows) {
    if (oid === undefined || schema === undefined || table === undefined || column === undefined) continue;
    const key = Number(oid);
    let rowType = rowTypes.get(key);
    if (!rowType) {
      rowType = { schema, table, standalone: kind === 'c', fields: [] };
      rowTypes.set(key, rowType);
    }
    rowType.fields.push({ name: column, typeOid: Number(typeOid) });
    // A composite type made by CREATE TYPE is no relation a statement can read.
    if (kind === 'c') continue;
    let relation = relations.get(key);
    if (!relation) {
      relation = { oid: key, schema, table, columns: new Map() };
      relations.set(key, relation);
    }
    relation.columns.set(Number(attnum), column);
  }
  const byName = new Map<string, Relation[]>();
  for (const relation of relations.values()) {
    for (const key of [`${relation.schema}.${relation.table}`, relation.table]) {
      const list = byName.get(key) ?? [];
      list.push(relation);
      byName.set(key, list);
    }
  }
  const types = new Map<number, PostgresTypeInfo>();
  for (const [oid, name, element, relation, category] of typeRows) {
    if (oid !== undefined && name !== undefined) {
      types.set(Number(oid), {
        name,
        element: Number(element ?? 0),
        relation: Number(relation ?? 0),
        category: category ?? '',
      });
    }
  }
  const views = new Map<number, string>();
  for (const [oid, definition] of viewRows) {
    if (oid !== undefined && definition !== undefined) views.set(Number(oid), definition);
  }
  return { relations, byName, types, rowTypes, views };
}

/** `"Sales".Orders` → `Sales.orders`: unquoted identifiers fold to lower case, quoted ones stay. */
function normalizeName(name: string): string {
  const parts = name.match(/"(?:[^"]|"")*"|[^.]+/g) ?? [];
  return parts
    .map((part) => (part.startsWith('"') ? part.slice(1, -1).replaceAll('""', '"') : part.toLowerCase()))
    .join('.');
}
