import * as mariadb from 'mariadb';
import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

const POLICY = `    guardrails: off
    default: allow
    masking:
      columns:
        - { match: "*.email", strategy: email }
      detectors: [email]
      exempt: { groups: [dba] }
      hash_key: test-hash-key`;

let h: MysqlHarness;
let dbaSecret: string;
beforeAll(async () => {
  h = await startMysqlHarness({ policyYaml: POLICY });
  await h.db.sql(
    `CREATE TABLE docs (id INT PRIMARY KEY, doc JSON, note LONGTEXT, email VARCHAR(80));
     INSERT INTO docs VALUES
       (1, '{"a": 1, "b": [true, null], "email": "alice@wonderland.example"}', '{"not": "json-typed"}', 'bob@builder.example');
     GRANT ALL ON app.* TO '${h.db.appUser.user}'@'%';`,
  );
  dbaSecret = h.addAgent('dba-json', ['dba']);
});
afterAll(() => h?.close());

async function rowsOf(connection: Connection, text: string, binary: boolean): Promise<RowDataPacket[]> {
  const [rows] = binary
    ? await connection.execute<RowDataPacket[]>(text)
    : await connection.query<RowDataPacket[]>(text);
  return rows;
}

/** The same statement directly against the server, as the reference a stock driver sees. */
async function directRowsOf(text: string, binary: boolean): Promise<RowDataPacket[]> {
  const direct = await mysql.createConnection({
    host: h.db.host,
    port: h.db.port,
    user: h.db.appUser.user,
    password: h.db.appUser.password,
    database: h.db.database,
  });
  try {
    return await rowsOf(direct, text, binary);
  } finally {
    await direct.end();
  }
}

describe('JSON through Sluice keeps its type (MariaDB extended metadata)', () => {
  for (const binary of [false, true]) {
    const form = binary ? 'binary' : 'text';
    it(`mysql2 reads a JSON column as an object, as directly (${form} protocol)`, async () => {
      const connection = await mysql.createConnection(h.options('dba-json', dbaSecret));
      try {
        const text = 'SELECT id, doc, note FROM docs';
        const rows = await rowsOf(connection, text, binary);
        expect(rows).toEqual([
          {
            id: 1,
            doc: { a: 1, b: [true, null], email: 'alice@wonderland.example' },
            note: '{"not": "json-typed"}',
          },
        ]);
        expect(rows).toEqual(await directRowsOf(text, binary));
      } finally {
        await connection.end();
      }
    });

    it(`masks inside a JSON column recognised by its type, and it stays an object (${form})`, async () => {
      const connection = await mysql.createConnection(h.options());
      try {
        const [row] = await rowsOf(connection, 'SELECT doc, email FROM docs WHERE id = 1', binary);
        expect(row?.doc).toEqual({ a: 1, b: [true, null], email: 'a***@wonderland.example' });
        expect(row?.email).toBe('b***@builder.example');
      } finally {
        await connection.end();
      }
    });
  }

  it('inserts JSON bound as a parameter and reads it back typed', async () => {
    const connection = await mysql.createConnection(h.options('dba-json', dbaSecret));
    try {
      await connection.execute('INSERT INTO docs (id, doc) VALUES (?, ?)', [
        2,
        JSON.stringify({ n: [1, 2] }),
      ]);
      const [row] = await rowsOf(connection, 'SELECT doc FROM docs WHERE id = 2', true);
      expect(row?.doc).toEqual({ n: [1, 2] });
      await connection.query('DELETE FROM docs WHERE id = 2');
    } finally {
      await connection.end();
    }
  });

  it('the mariadb connector sees the JSON column typed too', async () => {
    const connection = await mariadb.createConnection({
      host: '127.0.0.1',
      port: h.port,
      user: 'dba-json',
      password: dbaSecret,
      database: h.db.database,
    });
    try {
      const rows: Record<string, unknown>[] = await connection.query('SELECT doc FROM docs WHERE id = 1');
      expect(rows[0]?.doc).toEqual({ a: 1, b: [true, null], email: 'alice@wonderland.example' });
      const meta = await connection.query({ sql: 'SELECT doc FROM docs WHERE id = 1', metaAsArray: true });
      const columns = (meta as unknown as [unknown, { isDataTypeFormatJson(): boolean }[]])[1];
      expect(columns[0]?.isDataTypeFormatJson()).toBe(true);
    } finally {
      await connection.end();
    }
  });
});
