import { Readable } from 'node:stream';
import * as mariadb from 'mariadb';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

const REFUSAL = 'sluice: LOAD DATA LOCAL INFILE is not supported through Sluice';

let h: MysqlHarness;
beforeAll(async () => {
  h = await startMysqlHarness();
  await h.db.sql(
    `CREATE TABLE seeded (id INT PRIMARY KEY, name VARCHAR(20));
     GRANT ALL ON app.* TO '${h.db.appUser.user}'@'%';`,
  );
});
afterAll(() => h?.close());

describe('LOAD DATA LOCAL INFILE through Sluice (guardrails off)', () => {
  it('mysql2 gets Sluice error 1235, no row arrives and the session stays usable', async () => {
    const connection = await mysql.createConnection(h.options());
    try {
      let asked = false;
      await expect(
        connection.query({
          sql: "LOAD DATA LOCAL INFILE 'rows.csv' INTO TABLE seeded FIELDS TERMINATED BY ','",
          infileStreamFactory: () => {
            asked = true;
            return Readable.from(['1,one\n2,two\n']);
          },
        }),
      ).rejects.toMatchObject({ errno: 1235, sqlState: '42000', message: REFUSAL });
      // The client is never asked for its file: the server asked Sluice.
      expect(asked).toBe(false);
      const [rows] = await connection.query('SELECT COUNT(*) AS n FROM seeded');
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      await connection.end();
    }
  });

  it('the mariadb connector gets the same error', async () => {
    const connection = await mariadb.createConnection({
      host: '127.0.0.1',
      port: h.port,
      user: h.agent.name,
      password: h.agent.secret,
      database: h.db.database,
      permitLocalInfile: true,
    });
    try {
      await expect(
        connection.query("LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE seeded"),
      ).rejects.toMatchObject({ errno: 1235, sqlState: '42000' });
      const rows: Record<string, unknown>[] = await connection.query('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await connection.end();
    }
  });
});
