import mysql, { type Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

let h: MysqlHarness;
let standard: MysqlHarness;
beforeAll(async () => {
  h = await startMysqlHarness({ policyYaml: '    guardrails: strict' });
  standard = await startMysqlHarness({ db: h.db, policyYaml: '    guardrails: standard' });
  await h.db.sql(
    "CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(20)); INSERT INTO orders VALUES (1, 'one');",
  );
});
afterAll(async () => {
  await standard?.close();
  await h?.close();
});

async function withConnection<T>(
  use: (connection: Connection) => Promise<T>,
  options = h.options(undefined, undefined, { multipleStatements: true }),
): Promise<T> {
  const connection = await mysql.createConnection(options);
  connection.on('error', () => undefined);
  try {
    return await use(connection);
  } finally {
    await connection.end().catch(() => undefined);
  }
}

const blockedBy = async (connection: Connection, sql: string, prepared = false): Promise<string> => {
  const run = prepared ? connection.execute(sql) : connection.query(sql);
  const error = (await run.then(
    () => new Error(`not blocked: ${sql}`),
    (e: unknown) => e,
  )) as Error & { errno?: number };
  expect(error.errno, `${sql}: ${error.message}`).toBe(1227);
  return /^sluice: blocked by (\S+):/.exec(error.message)?.[1] ?? error.message;
};

const upstreamThreadOf = async (connection: Connection): Promise<number> => {
  const [rows] = await connection.query('SELECT CONNECTION_ID() AS id');
  return (rows as { id: number }[])[0]?.id ?? 0;
};

describe('guardrails for what a session does to others (MySQL)', () => {
  it('refuses KILL of a thread that is not the caller’s, in every form; the victim lives', async () => {
    const victim = await mysql.createConnection({
      host: h.db.host,
      port: h.db.port,
      user: h.db.appUser.user,
      password: h.db.appUser.password,
      database: h.db.database,
    });
    try {
      const id = victim.threadId ?? 0;
      await withConnection(async (connection) => {
        for (const sql of [
          `KILL ${id}`,
          `KILL QUERY ${id}`,
          `kill hard connection ${id}`,
          `/*!50000 KILL ${id} */`,
          `SELECT 1; KILL ${id}`,
          'KILL QUERY ID 1',
          'KILL USER root',
        ])
          expect(await blockedBy(connection, sql)).toBe('guardrail:other-sessions');
      });
      await withConnection(
        async (connection) => {
          expect(await blockedBy(connection, `KILL ${id}`)).toBe('guardrail:other-sessions');
        },
        standard.options(undefined, undefined, { multipleStatements: true }),
      );
      const [rows] = await victim.query('SELECT 1 AS alive');
      expect(rows).toEqual([{ alive: 1 }]);
    } finally {
      await victim.end();
    }
  });

  it('lets a caller KILL QUERY its own other session by Sluice’s thread id, translated in every form', async () => {
    await withConnection(async (sleeper) => {
      const sluiceId = sleeper.threadId ?? 0;
      expect(sluiceId).toBeGreaterThanOrEqual(0x40000000);
      for (const kill of [
        `KILL QUERY ${sluiceId}`,
        `SELECT 1; KILL /* own */ QUERY ${sluiceId}`,
        `/*!50000 KILL QUERY ${sluiceId} */`,
      ]) {
        const started = Date.now();
        const sleeping = sleeper.query('SELECT SLEEP(30) AS slept').then(
          ([rows]) => rows,
          (e: unknown) => e,
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        await withConnection((killer) => killer.query(kill));
        const outcome = await sleeping;
        // MariaDB ends an interrupted SLEEP early, with 1 or with ER_QUERY_INTERRUPTED.
        expect(Date.now() - started, kill).toBeLessThan(10_000);
        expect(JSON.stringify(outcome), kill).toMatch(/"slept":1|interrupted/i);
      }
      const upstreamId = await upstreamThreadOf(sleeper);
      const [rows] = await withConnection((other) =>
        other.query(`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID = ${upstreamId}`),
      );
      expect(rows).toEqual([{ n: 1 }]);
    });
  });

  it('refuses KILL of another identity’s session', async () => {
    const secret = h.addAgent('other-bot');
    await withConnection(async (mine) => {
      await withConnection(
        async (theirs) => {
          expect(await blockedBy(theirs, `KILL QUERY ${mine.threadId}`)).toBe('guardrail:other-sessions');
          expect(await blockedBy(theirs, `KILL QUERY ${await upstreamThreadOf(mine)}`)).toBe(
            'guardrail:other-sessions',
          );
        },
        h.options('other-bot', secret),
      );
    });
  });

  it('refuses locks that stop others; READ locks and row locks pass', async () => {
    await withConnection(async (connection) => {
      expect(await blockedBy(connection, 'LOCK TABLES orders WRITE')).toBe('guardrail:blocking-lock');
      expect(await blockedBy(connection, 'FLUSH TABLES WITH READ LOCK')).toBe('guardrail:blocking-lock');
      expect(await blockedBy(connection, 'HANDLER orders OPEN')).toBe('guardrail:blocking-lock');
      expect(await blockedBy(connection, 'OPTIMIZE TABLE orders')).toBe('guardrail:table-rewrite');
      await connection.query('LOCK TABLES orders READ');
      await connection.query('UNLOCK TABLES');
      await connection.query('START TRANSACTION');
      const [rows] = await connection.execute('SELECT id FROM orders WHERE id = ? FOR UPDATE', [1]);
      expect(rows).toEqual([{ id: 1 }]);
      await connection.query('COMMIT');
    });
    await withConnection(async (connection) => {
      expect(await blockedBy(connection, 'LOCK TABLES orders WRITE')).toBe('guardrail:blocking-lock');
    }, standard.options());
  });

  it('refuses unbounded work and loosened settings under strict, as queries and prepared statements', async () => {
    await withConnection(async (connection) => {
      for (const prepared of [false, true]) {
        expect(await blockedBy(connection, 'SELECT SLEEP(3600)', prepared)).toBe('guardrail:unbounded-work');
        expect(await blockedBy(connection, "SELECT BENCHMARK(1000000000, MD5('a'))", prepared)).toBe(
          'guardrail:unbounded-work',
        );
      }
      expect(await blockedBy(connection, 'DO SLEEP(3600)')).toBe('guardrail:unbounded-work');
      expect(await blockedBy(connection, 'SET SESSION TRANSACTION READ WRITE')).toBe(
        'guardrail:loosened-setting',
      );
      expect(await blockedBy(connection, 'SET @@session.transaction_read_only = 0')).toBe(
        'guardrail:loosened-setting',
      );
      expect(await blockedBy(connection, 'START TRANSACTION READ WRITE')).toBe('guardrail:loosened-setting');
      const [rows] = await connection.query('SELECT SLEEP(0.05) AS slept');
      expect(rows).toEqual([{ slept: 0 }]);
      await connection.query("SET time_zone = '+00:00'");
      await connection.query('SET SESSION max_statement_time = 30');
    });
    await withConnection(async (connection) => {
      await connection.query('SET SESSION TRANSACTION READ WRITE');
      await connection.query('SELECT SLEEP(0.05)');
    }, standard.options());
  });
});
