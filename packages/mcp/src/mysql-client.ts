import type { ConnectionConfig } from '@sluice/config';
import mysql from 'mysql2/promise';
import { type Caller, programName, type SqlClient } from './sql-client.js';

/** Opens a mysql2 connection to the connection's gateway listener. */
export async function connectMysql(
  connection: ConnectionConfig,
  caller: Caller,
  clientName: string,
): Promise<SqlClient> {
  const client = await mysql.createConnection({
    host: connection.listen.host,
    port: connection.listen.port,
    user: caller.user,
    password: caller.password,
    database: connection.upstream.database,
    connectAttributes: { program_name: programName(clientName) },
    rowsAsArray: true,
    // An OIDC token is sent in clear text when the gateway asks (as the mysql CLI's --enable-cleartext-plugin).
    authPlugins: { mysql_clear_password: () => () => Buffer.from(`${caller.password}\0`) },
    ...(connection.tls ? { ssl: { rejectUnauthorized: false } } : {}),
  });
  client.on('error', () => undefined);
  return {
    dialect: 'mysql',
    // mysql2 collects the whole result; the caller cuts it to its caps.
    async query(sql, parameters) {
      const [result, fields] = await client.query({ sql, values: [...parameters], rowsAsArray: true });
      if (!Array.isArray(result)) {
        const header = result as mysql.ResultSetHeader;
        return { columns: [], rows: [], affected: header.affectedRows, command: 'OK' };
      }
      return {
        columns: (fields ?? []).map((field) => ({ name: field.name, type: mysqlType(field.columnType) })),
        rows: result as unknown[][],
        affected: null,
        command: 'SELECT',
      };
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}

const MYSQL_TYPES: Readonly<Record<number, string>> = {
  1: 'tinyint',
  2: 'smallint',
  3: 'int',
  4: 'float',
  5: 'double',
  7: 'timestamp',
  8: 'bigint',
  10: 'date',
  12: 'datetime',
  245: 'json',
  246: 'decimal',
  252: 'blob',
  253: 'varchar',
  254: 'char',
};

function mysqlType(code: number | undefined): string {
  return code === undefined ? 'unknown' : (MYSQL_TYPES[code] ?? `type ${code}`);
}
