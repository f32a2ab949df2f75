import { execFile } from 'node:child_process';
import { MARIADB_CLIENT_PATH } from '@sluice/testkit';
import * as mariadb from 'mariadb';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

const POLICY = `    guardrails: off
    default: allow
    masking:
      columns:
        - { match: "*.email", strategy: email }`;

let h: MysqlHarness;
beforeAll(async () => {
  h = await startMysqlHarness({ policyYaml: POLICY });
  await h.db.sql(
    `CREATE TABLE people (id INT PRIMARY KEY, email VARCHAR(80), bio TEXT);
     INSERT INTO people VALUES (1, 'alice@wonderland.example', REPEAT('long text ', 2000)), (2, 'bob@builder.example', 'short');
     GRANT ALL ON app.* TO '${h.db.appUser.user}'@'%';`,
  );
});
afterAll(() => h?.close());

describe('client-side compression (CLIENT_COMPRESS)', () => {
  it('mysql2 with compress: text and binary results, masking, large and small packets', async () => {
    const connection = await mysql.createConnection(h.options(undefined, undefined, { compress: true }));
    try {
      // mysql2 keeps what was agreed on its connection, which its types do not show.
      const inner = connection as unknown as { connection: { config: { compress: number } } };
      expect(inner.connection.config.compress).toBeTruthy();
      for (const binary of [false, true]) {
        const text = 'SELECT id, email, bio FROM people ORDER BY id';
        const [rows] = binary ? await connection.execute(text) : await connection.query(text);
        expect(rows).toEqual([
          { id: 1, email: 'a***@wonderland.example', bio: 'long text '.repeat(2000) },
          { id: 2, email: 'b***@builder.example', bio: 'short' },
        ]);
      }
      // A statement of several MiB spans several compressed frames both ways.
      const big = 'x'.repeat(17 * 1024 * 1024);
      const [echo] = await connection.query('SELECT LENGTH(?) AS n', [big]);
      expect(echo).toEqual([{ n: big.length }]);
      await expect(connection.query('SELECT * FROM missing_table')).rejects.toMatchObject({ errno: 1146 });
      const [after] = await connection.query('SELECT 1 AS one');
      expect(after).toEqual([{ one: 1 }]);
    } finally {
      await connection.end();
    }
  });

  it('changes user on a compressed connection', async () => {
    const other = h.addAgent('compressed-other');
    const connection = await mysql.createConnection(h.options(undefined, undefined, { compress: true }));
    try {
      await connection.changeUser({ user: 'compressed-other', password: other });
      const [rows] = await connection.query("SELECT 'after change' AS m");
      expect(rows).toEqual([{ m: 'after change' }]);
    } finally {
      await connection.end();
    }
  });

  it('the mariadb connector with compress', async () => {
    const connection = await mariadb.createConnection({
      host: '127.0.0.1',
      port: h.port,
      user: h.agent.name,
      password: h.agent.secret,
      database: h.db.database,
      compress: true,
    });
    try {
      const rows: Record<string, unknown>[] = await connection.query(
        'SELECT id, email FROM people ORDER BY id',
      );
      expect(rows).toEqual([
        { id: 1, email: 'a***@wonderland.example' },
        { id: 2, email: 'b***@builder.example' },
      ]);
    } finally {
      await connection.end();
    }
  });

  it('the mariadb command-line client with --compress', async () => {
    const args = ['--no-defaults', '--protocol=TCP', '-h', '127.0.0.1', '-P', String(h.port)];
    args.push('-u', h.agent.name, '-D', h.db.database, '--compress', '--batch', '--skip-column-names');
    args.push('-e', "SHOW SESSION STATUS LIKE 'Compression'; SELECT email FROM people ORDER BY id");
    const output = await new Promise<string>((resolve, reject) =>
      execFile(
        MARIADB_CLIENT_PATH ?? 'mariadb',
        args,
        { env: { ...process.env, MYSQL_PWD: h.agent.secret } },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    // The server's own status says OFF: compression is between the client and Sluice only.
    expect(output).toBe('Compression\tOFF\na***@wonderland.example\nb***@builder.example\n');
  });
});
