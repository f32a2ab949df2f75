import type { UpstreamConfig } from '@sluice/config';
import { Capability, encodePackets, PacketHeader, packets } from '@sluice/wire-mysql';
import { connectUpstream, type MysqlUpstream } from '../mysql/upstream.js';
import { CATALOG_QUERY_TIMEOUT_MS } from './limits.js';

/** Every column of every table and view the login can see, in order. */
const COLUMNS_SQL = `SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS
ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`;

/** View definitions, whose lineage says which base column a view's column shows. */
const VIEWS_SQL = 'SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS';

/** CLIENT_PROTOCOL_41 with classic EOF packets: the simplest replies to read. */
const CATALOG_CAPABILITIES =
  Capability.longPassword | Capability.protocol41 | Capability.secureConnection | Capability.pluginAuth;
const UTF8MB4_GENERAL_CI = 45;
const CATALOG_MAX_PACKET = 1 << 24;
const COM_QUERY = 0x03;
/** Reloads for names the catalog does not know happen at most this often. */
const UNKNOWN_RELOAD_INTERVAL_MS = 1000;

interface Relation {
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly view: string | null;
}

/** Relations by `schema.table`, in lower case: names compare case-insensitively. */
type Snapshot = ReadonlyMap<string, Relation>;

/**
 * What a MySQL server's catalog says about tables and views, for masking: the columns `*`
 * stands for, and the definition of a view, through which a view's column is followed to the
 * base column it shows (ColumnDefinition names the view, or even its alias, not the base table).
 * Loaded whole over a dedicated connection with Sluice's upstream credentials, shared by every
 * session of a connection; reloaded after DDL.
 */
export class MysqlCatalog {
  private snapshot: Snapshot = new Map();
  private loading: Promise<void> | undefined;
  /** Bumped by every invalidation; a load serves the generation it started in. */
  private generation = 0;
  private loadedGeneration = -1;
  private connection: MysqlUpstream | undefined;
  private lastUnknownReload = 0;

  constructor(private readonly upstream: UpstreamConfig) {}

  /** Changes with every snapshot loaded. */
  get version(): number {
    return this.loadedGeneration;
  }

  /** Loads the catalog unless a current one is loaded; never rejects (lookups then answer null). */
  ready(): Promise<void> {
    if (this.loadedGeneration === this.generation) return Promise.resolve();
    this.loading ??= this.loadCurrent().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /**
   * DDL ran: a reload starts now (or again after the one under way, which may have read the
   * catalog before this change), and lookups answer from the old snapshot until it is done.
   */
  invalidate(): void {
    this.generation++;
    void this.ready();
  }

  /**
   * A statement names a table the snapshot does not know: created since, outside the gateway.
   * A reload starts, at most once per interval so that misspelt names cost little.
   */
  noticeUnknown(tables: readonly string[], defaultSchema: string): void {
    if (this.loadedGeneration === -1) return;
    if (tables.every((table) => this.relation(table, defaultSchema) !== undefined)) return;
    const now = Date.now();
    if (now - this.lastUnknownReload < UNKNOWN_RELOAD_INTERVAL_MS) return;
    this.lastUnknownReload = now;
    this.invalidate();
  }

  /** A table's or view's columns, as SQL names it (`t`, `db.t`, backquoted); null when unknown. */
  columnsOf(name: string, defaultSchema: string): readonly string[] | null {
    return this.relation(name, defaultSchema)?.columns ?? null;
  }

  /** The SELECT a view is defined by; null for tables and unknown names. */
  viewDefinition(name: string, defaultSchema: string): string | null {
    return this.relation(name, defaultSchema)?.view ?? null;
  }

  /** Whether the name is a table or view at all (not an alias, a derived table or a CTE). */
  knows(name: string, defaultSchema: string): boolean {
    return this.relation(name, defaultSchema) !== undefined;
  }

  close(): void {
    this.connection?.socket.destroy();
    this.connection = undefined;
  }

  private relation(name: string, defaultSchema: string): Relation | undefined {
    const parts = splitName(name);
    const [schema, table] = parts.length === 2 ? parts : [defaultSchema, parts[0] ?? ''];
    return this.snapshot.get(`${schema}.${table}`.toLowerCase());
  }

  private async loadCurrent(): Promise<void> {
    while (this.loadedGeneration !== this.generation) {
      const generation = this.generation;
      try {
        const columns = await this.query(COLUMNS_SQL);
        const views = await this.query(VIEWS_SQL);
        this.snapshot = snapshotOf(columns, views);
      } catch {
        // A broken catalog connection is reopened next time; meanwhile the old snapshot answers
        // and unknown names fall back to lineage.
        this.close();
      }
      this.loadedGeneration = generation;
    }
  }

  private async connect(): Promise<MysqlUpstream> {
    if (this.connection && !this.connection.socket.destroyed) return this.connection;
    const connection = await connectUpstream(this.upstream, {
      capabilities: CATALOG_CAPABILITIES,
      characterSet: UTF8MB4_GENERAL_CI,
      maxPacketSize: CATALOG_MAX_PACKET,
      database: '',
      connectAttributes: null,
    });
    connection.socket.on('error', () => undefined);
    connection.socket.unref();
    this.connection = connection;
    return connection;
  }

  /** One COM_QUERY; every row as text values (NULL as ''). */
  private async query(sql: string): Promise<string[][]> {
    const { socket, reader } = await this.connect();
    socket.write(encodePackets(Buffer.concat([Buffer.of(COM_QUERY), Buffer.from(sql, 'utf8')]), 0));
    const first = await reader.next(CATALOG_QUERY_TIMEOUT_MS);
    if (first.payload[0] === PacketHeader.err)
      throw new Error(packets.ErrPacket.decode(first.payload).message);
    // Column count, its definitions and an EOF; then rows up to the closing EOF.
    let eofs = 0;
    const rows: string[][] = [];
    while (eofs < 2) {
      const packet = await reader.next(CATALOG_QUERY_TIMEOUT_MS);
      const { payload } = packet;
      if (payload[0] === PacketHeader.err) throw new Error(packets.ErrPacket.decode(payload).message);
      if (payload[0] === PacketHeader.eof && payload.length < 9) eofs++;
      else if (eofs === 1) {
        rows.push(packets.TextRow.decode(payload).values.map((value) => value?.toString('utf8') ?? ''));
      }
    }
    return rows;
  }
}

function snapshotOf(columnRows: readonly string[][], viewRows: readonly string[][]): Snapshot {
  const columns = new Map<string, { schema: string; table: string; names: string[] }>();
  for (const [schema, table, column] of columnRows) {
    if (schema === undefined || table === undefined || column === undefined) continue;
    const key = `${schema}.${table}`.toLowerCase();
    const entry = columns.get(key) ?? { schema, table, names: [] };
    entry.names.push(column);
    columns.set(key, entry);
  }
  const views = new Map<string, string>();
  for (const [schema, table, definition] of viewRows) {
    if (schema !== undefined && table !== undefined && definition) {
      views.set(`${schema}.${table}`.toLowerCase(), definition);
    }
  }
  const snapshot = new Map<string, Relation>();
  for (const [key, entry] of columns) {
    snapshot.set(key, {
      schema: entry.schema,
      table: entry.table,
      columns: entry.names,
      view: views.get(key) ?? null,
    });
  }
  return snapshot;
}

/** `db.t`, `` `db`.`t` `` → ['db', 't']; backquotes removed, doubled backquotes undone. */
function splitName(name: string): string[] {
  const parts = name.match(/`(?:[^`]|``)*`|[^.]+/g) ?? [];
  return parts.map((part) => (part.startsWith('`') ? part.slice(1, -1).replaceAll('``', '`') : part));
}
