import { type ScratchMariadb, type ScratchPostgres, startMariadb, startPostgres } from '@sluice/testkit';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

/**
 * `limits.idle_session_timeout`, `limits.max_message_size` and `limits.max_masked_row_size`,
 * through real drivers against scratch servers.
 */

const LIMITS = `  idle_session_timeout: 1s
  max_message_size: 64KiB
  max_masked_row_size: 1KiB`;
const MASKING_POLICY = `    guardrails: off
    masking:
      columns:
        - { match: "*.email", strategy: email }`;

const IDLE_MESSAGE = 'sluice: session ended after 1s idle (limits.idle_session_timeout)';
const BIG_LITERAL = 'y'.repeat(100 * 1024);

let pgServer: ScratchPostgres;
let mariadb: ScratchMariadb;
beforeAll(async () => {
  [pgServer, mariadb] = await Promise.all([startPostgres(), startMariadb()]);
});
afterAll(async () => {
  await Promise.all([pgServer?.stop(), mariadb?.stop()]);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('session limits (PostgreSQL)', () => {
  let h: Harness;
  beforeAll(async () => {
    await pgServer.psql(
      `CREATE TABLE people (id int, email text, note text);
       INSERT INTO people VALUES (1, 'ann@example.com', 'short'), (2, 'bob@example.com', repeat('z', 2000));
       GRANT ALL ON people TO PUBLIC;`,
    );
    h = await startHarness({ pg: pgServer, limitsYaml: LIMITS, policyYaml: MASKING_POLICY });
  });
  afterAll(() => h?.close());

  async function connect(): Promise<{ client: pg.Client; ended: Promise<Error & { code?: string }> }> {
    const client = new pg.Client({ connectionString: h.url() });
    const ended = new Promise<Error & { code?: string }>((resolve) => client.on('error', resolve));
    await client.connect();
    return { client, ended };
  }

  it('ends an idle session with 57P05, but not one whose statement runs longer than the timeout', async () => {
    const { client, ended } = await connect();
    try {
      expect((await client.query('SELECT pg_sleep(1.5), 1 AS one')).rows[0].one).toBe(1);
      const error = await ended;
      expect(error.code).toBe('57P05');
      expect(error.message).toBe(IDLE_MESSAGE);
    } finally {
      await client.end().catch(() => undefined);
    }
  });

  it('ends a session idle inside a transaction with 25P03, and the server rolls the transaction back', async () => {
    const { client, ended } = await connect();
    try {
      await client.query('BEGIN');
      await client.query('CREATE TABLE idle_left (id int)');
      const error = await ended;
      expect(error.code).toBe('25P03');
      expect(error.message).toBe(IDLE_MESSAGE);
      await sleep(200);
      expect(await pgServer.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'idle_left'")).toBe('0');
    } finally {
      await client.end().catch(() => undefined);
    }
  });

  it('ends the session when a message is over max_message_size', async () => {
    const { client, ended } = await connect();
    try {
      await expect(client.query(`SELECT '${BIG_LITERAL}'`)).rejects.toMatchObject({
        code: '08P01',
        message: expect.stringMatching(
          /^sluice: declared frame length \d+ exceeds the limit of 65536 bytes$/,
        ),
      });
      await ended;
    } finally {
      await client.end().catch(() => undefined);
    }
  });

  it('masks rows under max_masked_row_size and ends the session with 54000 at a larger one', async () => {
    const { client, ended } = await connect();
    try {
      const small = await client.query('SELECT email, note FROM people WHERE id = 1');
      expect(small.rows).toEqual([{ email: 'a***@example.com', note: 'short' }]);
      await expect(client.query('SELECT email, note FROM people ORDER BY id')).rejects.toMatchObject({
        code: '54000',
        message: expect.stringMatching(
          /^sluice: masked row too large: a result row of \d+ bytes must be masked; limits\.max_masked_row_size is 1024$/,
        ),
      });
      await ended;
      // Unmasked results are not held to the masking limit.
      const other = await connect();
      const plain = await other.client.query("SELECT repeat('q', 4000) AS long");
      expect(plain.rows[0].long).toHaveLength(4000);
      await other.client.end();
    } finally {
      await client.end().catch(() => undefined);
    }
  });
});

describe('session limits (MySQL)', () => {
  let h: MysqlHarness;
  beforeAll(async () => {
    h = await startMysqlHarness({ db: mariadb, limitsYaml: LIMITS, policyYaml: MASKING_POLICY });
    const setup = await mysql.createConnection(h.options());
    await setup.query('CREATE TABLE people (id int, email text, note text)');
    await setup.query(
      "INSERT INTO people VALUES (1, 'ann@example.com', 'short'), (2, 'bob@example.com', repeat('z', 2000))",
    );
    await setup.end();
  });
  afterAll(() => h?.close());

  async function connect(): Promise<{
    connection: mysql.Connection;
    ended: Promise<mysql.QueryError>;
  }> {
    const connection = await mysql.createConnection(h.options());
    const ended = new Promise<mysql.QueryError>((resolve) => connection.on('error', resolve));
    return { connection, ended };
  }

  it('ends an idle session with 4031, but not one whose statement runs longer than the timeout', async () => {
    const { connection, ended } = await connect();
    try {
      const [rows] = await connection.query('SELECT SLEEP(1.5) AS slept, 1 AS one');
      expect(rows).toEqual([{ slept: 0, one: 1 }]);
      // mysql2 reports an error that answers no command with its number as `code`.
      expect(await ended).toMatchObject({ fatal: true, code: 4031, message: IDLE_MESSAGE });
    } finally {
      connection.destroy();
    }
  });

  it('ends the session when a packet is over max_message_size', async () => {
    const { connection } = await connect();
    try {
      await expect(connection.query(`SELECT '${BIG_LITERAL}'`)).rejects.toMatchObject({
        errno: 1153,
        message: expect.stringMatching(
          /^sluice: packet of at least \d+ bytes exceeds the limit of 65536 bytes$/,
        ),
      });
    } finally {
      connection.destroy();
    }
  });

  it('masks rows under max_masked_row_size and ends the session with 1153 at a larger one', async () => {
    const { connection } = await connect();
    try {
      const [small] = await connection.query('SELECT email, note FROM people WHERE id = 1');
      expect(small).toEqual([{ email: 'a***@example.com', note: 'short' }]);
      await expect(connection.query('SELECT email, note FROM people ORDER BY id')).rejects.toMatchObject({
        errno: 1153,
        message: expect.stringMatching(
          /^sluice: masked row too large: a result row of \d+ bytes must be masked; limits\.max_masked_row_size is 1024$/,
        ),
      });
      const other = await mysql.createConnection(h.options());
      const [plain] = await other.query("SELECT repeat('q', 4000) AS `long`");
      expect((plain as { long: string }[])[0]?.long).toHaveLength(4000);
      await other.end();
    } finally {
      connection.destroy();
    }
  });
});
