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
    async query(sql, parameters, onNotice) {
      listener = onNotice;
      try {
        const result: pg.QueryResult<unknown[]> | pg.QueryResult<unknown[]>[] = await client.query({
          text: sql,
          values: [...parameters],
          rowMode: 'array',
        });
        // Several statements in one string give one result each; the last is the answer.
        const last = Array.isArray(result) ? result[result.length - 1] : result;
        if (!last) return { columns: [], rows: [], affected: null, command: '' };
        return toResult(last);
      } finally {
        listener = undefined;
      }
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}

function toResult(result: pg.QueryResult<unknown[]>): SqlResult {
  const fields = result.fields ?? [];
  return {
    columns: fields.map((field) => ({ name: field.name, type: typeName(field.dataTypeID) })),
    rows: result.rows ?? [],
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
