import * as mariadb from 'mariadb';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

let h: MysqlHarness;
beforeAll(async () => {
  h = await startMysqlHarness();
  await h.db.sql(
    `CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40), price DECIMAL(8,2), added DATETIME, note TEXT);
     INSERT INTO items VALUES (1, 'apple', 1.50, '2024-01-02 03:04:05', NULL), (2, 'pear', 2.25, '2024-02-03 04:05:06', 'ripe');
     GRANT ALL ON app.* TO '${h.db.appUser.user}'@'%';`,
  );
});
afterAll(() => h?.close());

describe('mysql2 through Sluice', () => {
  it('greets with the server version marked as Sluice and runs text queries', async () => {
    const connection = await mysql.createConnection(h.options());
    try {
      const [rows] = await connection.query('SELECT id, name, price FROM items ORDER BY id');
      expect(rows).toEqual([
        { id: 1, name: 'apple', price: '1.50' },
        { id: 2, name: 'pear', price: '2.25' },
      ]);
      const [version] = await connection.query('SELECT VERSION() AS v');
      // mysql2 keeps the greeting on the underlying connection, which its types do not show.
      const inner = connection as unknown as { connection: { _handshakePacket: { serverVersion: string } } };
      const handshake = inner.connection._handshakePacket;
      // MariaDB 10 prefixes its greeting's version with 5.5.5- for old replication clients.
      expect(handshake.serverVersion).toMatch(/^5\.5\.5-10\.11\.[0-9]+-MariaDB.*-sluice$/);
      expect(handshake.serverVersion).toContain(`${(version as { v: string }[])[0]?.v}-sluice`);
    } finally {
      await connection.end();
    }
  });

  it('runs prepared statements with parameters and journals them with their values', async () => {
    const connection = await mysql.createConnection(h.options());
    try {
      const [rows] = await connection.execute('SELECT name, added FROM items WHERE id = ? AND name <> ?', [
        2,
        'x',
      ]);
      expect(rows).toEqual([{ name: 'pear', added: new Date('2024-02-03T04:05:06') }]);
      const [result] = await connection.execute('UPDATE items SET note = ? WHERE id = ?', [
        'prepared-note',
        1,
      ]);
      expect(result).toMatchObject({ affectedRows: 1 });
      const [again] = await connection.execute('SELECT note FROM items WHERE id = ?', [1]);
      expect(again).toEqual([{ note: 'prepared-note' }]);
      await connection.execute('SELECT ? AS d, ? AS n, ? AS b, ? AS x /* typed */', [
        new Date(2024, 4, 6, 7, 8, 9),
        null,
        Buffer.from([0x00, 0xff]),
        -1.5,
      ]);
    } finally {
      await connection.end();
    }
    const records = [...h.journal.statements({ identity: h.agent.name })];
    const update = records.find((r) => r.statement === 'UPDATE items SET note = ? WHERE id = ?');
    expect(update).toMatchObject({ decision: 'allowed', kind: 'update', rows: 1, protocol: 'mysql' });
    expect(update?.parameters).toEqual(['prepared-note', '1']);
    const typed = records.find((r) => r.statement.includes('/* typed */'));
    expect(typed?.parameters).toEqual(['2024-05-06 07:08:09', null, '\\x00ff', '-1.5']);
  });

  it('serves a pool of connections running in parallel', async () => {
    const pool = mysql.createPool({ ...h.options(), connectionLimit: 4 });
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) => pool.query('SELECT ? + 1 AS n, SLEEP(0.01) AS s', [index])),
      );
      expect(results.map(([rows]) => (rows as { n: number }[])[0]?.n)).toEqual(
        Array.from({ length: 20 }, (_, index) => index + 1),
      );
    } finally {
      await pool.end();
    }
  });

  it('returns every result of a multi-statement string and of a procedure call', async () => {
    const connection = await mysql.createConnection(
      h.options(undefined, undefined, { multipleStatements: true }),
    );
    try {
      await connection.query('CREATE PROCEDURE two_results() BEGIN SELECT 1 AS a; SELECT 2 AS b; END');
      const [results] = await connection.query('SELECT 1 AS x; SELECT name FROM items WHERE id = 1; DO 1');
      expect(results).toMatchObject([[{ x: 1 }], [{ name: 'apple' }], { affectedRows: 0 }]);
      const [called] = await connection.query('CALL two_results()');
      expect(called).toMatchObject([[{ a: 1 }], [{ b: 2 }], { affectedRows: 0 }]);
    } finally {
      await connection.end();
    }
  });

  it('reports server errors as the server words them and stays usable', async () => {
    const connection = await mysql.createConnection(h.options());
    try {
      await expect(connection.query('SELECT * FROM no_such_table')).rejects.toMatchObject({
        errno: 1146,
        sqlState: '42S02',
      });
      const [rows] = await connection.query('SELECT 1 AS ok');
      expect(rows).toEqual([{ ok: 1 }]);
    } finally {
      await connection.end();
    }
  });
});

describe('the mariadb connector through Sluice', () => {
  it('runs queries, pipelined prepared statements, a batch and a connection reset', async () => {
    const connection = await mariadb.createConnection({
      host: '127.0.0.1',
      port: h.port,
      user: h.agent.name,
      password: h.agent.secret,
      database: h.db.database,
    });
    try {
      expect(await connection.query('SELECT name FROM items WHERE id = ?', [1])).toEqual([{ name: 'apple' }]);
      const executed = await Promise.all([
        connection.execute('SELECT name FROM items WHERE id = ?', [1]),
        connection.execute('SELECT name FROM items WHERE id = ?', [2]),
        connection.execute('SELECT ? AS echo', ['pipelined']),
      ]);
      expect(executed.map((rows) => [...rows])).toEqual([
        [{ name: 'apple' }],
        [{ name: 'pear' }],
        [{ echo: 'pipelined' }],
      ]);
      await connection.batch('INSERT INTO items (id, name) VALUES (?, ?)', [
        [10, 'ten'],
        [11, 'eleven'],
      ]);
      await connection.reset();
      expect(await connection.query('SELECT COUNT(*) AS n FROM items WHERE id >= 10')).toEqual([{ n: 2n }]);
    } finally {
      await connection.end();
    }
  });
});
