import type { ConnectionConfig } from '@sluice/config';
import pg from 'pg';
import { type Caller, programName, type SqlClient, type SqlResult } from './sql-client.js';

/** Opens a node-postgres connection to the connection's gateway listener. */
export async function connectPostgres(
  connection: ConnectionConfig,
  caller: Caller,
  clientName: string,
): Promise<SqlClient> {
  const client = new pg.Client({
    host: connection.listen.host,
    port: connection.listen.port,
    user: caller.user,
    password: caller.password,
    database: connection.upstream.database,
    application_name: programName(clientName),
    ssl: connection.tls ? { rejectUnauthorized: false } : false,
  });
  let listener: ((message: string) => void) | undefined;
  client.on('notice', (notice) => listener?.(notice.message ?? ''));
  // A dropped session surfaces as the next query's error; an unhandled 'error' would end the process.
  client.on('error', () => undefined);
  await client.connect();
  return {
    dialect: 'postgres',
    async query(sql, parameters, options = {}) {
      listener = options.onNotice;
      try {
        return await rowsOf(client, sql, parameters, options.keepRows ?? Number.POSITIVE_INFINITY);
      } finally {
        listener = undefined;
      }
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}

/**
 * Runs a statement keeping at most `keep` rows: with a row listener node-postgres does not
 * collect rows itself, so a large result streams through and is dropped past the cap.
 */
function rowsOf(
  client: pg.Client,
  sql: string,
  parameters: readonly unknown[],
  keep: number,
): Promise<SqlResult> {
  const config: pg.QueryArrayConfig = { text: sql, values: [...parameters], rowMode: 'array' };
  const query = new pg.Query<unknown[]>(config);
  let rows: unknown[][] = [];
  let rowsOfResult: unknown;
  query.on('row', (row, result) => {
    // Several statements in one string give one result each; the last is the answer.
    if (result !== rowsOfResult) {
      rowsOfResult = result;
      rows = [];
    }
    if (rows.length < keep) rows.push(row);
  });
  return new Promise((resolve, reject) => {
    query.on('error', reject);
    query.on('end', (outcome) => {
      const results = (Array.isArray(outcome) ? outcome : [outcome]) as pg.QueryResult<unknown[]>[];
      const last = results[results.length - 1];
      if (!last) return resolve({ columns: [], rows: [], affected: null, command: '' });
      resolve(toResult(last, last === rowsOfResult ? rows : []));
    });
    client.query(query);
  });
}

function toResult(result: pg.QueryResult<unknown[]>, rows: readonly unknown[][]): SqlResult {
  const fields = result.fields ?? [];
  return {
    columns: fields.map((field) => ({ name: field.name, type: typeName(field.dataTypeID) })),
    rows,
    affected: result.command === 'SELECT' ? null : result.rowCount,
    command: result.command ?? '',
  };
}

/** Names of the common built-in types; others show as their oid. */
const BUILTIN_TYPES: Readonly<Record<number, string>> = {
  16: 'boolean',
  17: 'bytea',
  20: 'bigint',
  21: 'smallint',
  23: 'integer',
  25: 'text',
  114: 'json',
  700: 'real',
  701: 'double precision',
  1042: 'character',
  1043: 'character varying',
  1082: 'date',
  1114: 'timestamp',
  1184: 'timestamptz',
  1700: 'numeric',
  2950: 'uuid',
  3802: 'jsonb',
};

function typeName(oid: number): string {
  return BUILTIN_TYPES[oid] ?? `oid ${oid}`;
}
