import type { PolicyConfig } from '@sluice/config';
import { columnMatches } from '@sluice/masking';
import type { SqlClient } from './sql-client.js';

export interface TableName {
  readonly schema: string;
  readonly name: string;
}

export interface TableEntry extends TableName {
  readonly type: string;
}

export interface ColumnEntry {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  /** The masking strategy this identity's results get for the column, or null when shown as stored. */
  readonly masked: string | null;
}

/** Tables and views the caller can see, read through the gateway like any other statement. */
export async function listTables(client: SqlClient): Promise<TableEntry[]> {
  const scope =
    client.dialect === 'postgres'
      ? "table_schema NOT IN ('pg_catalog', 'information_schema')"
      : 'table_schema = DATABASE()';
  const result = await client.query(
    `SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE ${scope} ORDER BY 1, 2`,
    [],
  );
  return result.rows.map((row) => ({ schema: String(row[0]), name: String(row[1]), type: String(row[2]) }));
}

/** `schema.table` or `table` (the default schema: `public`, or MySQL's current database). */
export function parseTableName(text: string, dialect: 'postgres' | 'mysql'): TableName | undefined {
  const parts = text.split('.').map((part) => part.trim().replace(/^["`]|["`]$/g, ''));
  if (parts.length === 1 && parts[0])
    return { schema: dialect === 'postgres' ? 'public' : '', name: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { schema: parts[0], name: parts[1] };
  return undefined;
}

export async function describeTable(
  client: SqlClient,
  table: TableName,
  masking: MaskingView,
): Promise<ColumnEntry[]> {
  const placeholder = (index: number): string => (client.dialect === 'postgres' ? `$${index}` : '?');
  const schemaTest = table.schema === '' ? 'table_schema = DATABASE()' : `table_schema = ${placeholder(1)}`;
  const nameIndex = table.schema === '' ? 1 : 2;
  const result = await client.query(
    'SELECT column_name, data_type, is_nullable, table_schema FROM information_schema.columns ' +
      `WHERE ${schemaTest} AND table_name = ${placeholder(nameIndex)} ORDER BY ordinal_position`,
    table.schema === '' ? [table.name] : [table.schema, table.name],
  );
  return result.rows.map((row) => {
    const schema = String(row[3]);
    const column = String(row[0]);
    return {
      name: column,
      type: String(row[1]),
      nullable: String(row[2]).toUpperCase() === 'YES',
      masked: masking.strategyFor({ schema, table: table.name, column }),
    };
  });
}

/** The masking a policy applies to one identity's results, as far as column rules tell. */
export class MaskingView {
  constructor(
    private readonly policy: PolicyConfig | undefined,
    private readonly groups: readonly string[] | undefined,
  ) {}

  strategyFor(location: { schema: string; table: string; column: string }): string | null {
    const masking = this.policy?.masking;
    if (!masking) return null;
    // Unknown groups (a service account whose record cannot be read) are shown as not exempt.
    if (this.groups?.some((group) => masking.exempt.groups.includes(group))) return null;
    const rule = masking.columns.find((candidate) => columnMatches(candidate.match, location));
    return rule ? rule.strategy : null;
  }

  get detectors(): readonly string[] {
    const masking = this.policy?.masking;
    if (!masking || this.groups?.some((group) => masking.exempt.groups.includes(group))) return [];
    return masking.detectors;
  }
}
