import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

let h: Harness;
let standard: Harness;
beforeAll(async () => {
  h = await startHarness({ policyYaml: '    guardrails: strict' });
  standard = await startHarness({ pg: h.pg, policyYaml: '    guardrails: standard' });
  await h.pg.psql(
    `CREATE TABLE orders (id int PRIMARY KEY, item text);
     INSERT INTO orders VALUES (1, 'one'), (2, 'two');
     CREATE SCHEMA payroll; CREATE TABLE payroll.orders (id int);
     GRANT ALL ON orders, payroll.orders TO PUBLIC; GRANT USAGE ON SCHEMA payroll TO PUBLIC;`,
  );
});
afterAll(async () => {
  await standard?.close();
  await h?.close();
});

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

async function withClient<T>(use: (client: pg.Client) => Promise<T>, url = h.url()): Promise<T> {
  const client = await connect(url);
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pidOf = async (client: pg.Client): Promise<number> =>
  (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;

const blockedBy = async (client: pg.Client, sql: string, values?: unknown[]): Promise<string> => {
  const error = (await client.query(sql, values).then(
    () => new Error(`not blocked: ${sql}`),
    (e: unknown) => e,
  )) as Error & { code?: string };
  expect(error.code, `${sql}: ${error.message}`).toBe('42501');
  return /^sluice: blocked by (\S+):/.exec(error.message)?.[1] ?? error.message;
};

describe('guardrails for what a session does to others (PostgreSQL)', () => {
  it('refuses to end or interrupt a backend that is not the caller’s, by pid or by query, both protocols', async () => {
    const victim = await connect(h.pg.url());
    try {
      const pid = await pidOf(victim);
      await withClient(async (client) => {
        expect(await blockedBy(client, `SELECT pg_terminate_backend(${pid})`)).toBe(
          'guardrail:other-sessions',
        );
        expect(await blockedBy(client, 'SELECT pg_cancel_backend($1)', [pid])).toBe(
          'guardrail:other-sessions',
        );
        expect(
          await blockedBy(
            client,
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()',
          ),
        ).toBe('guardrail:other-sessions');
        expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      });
      await withClient(async (client) => {
        expect(await blockedBy(client, `SELECT pg_terminate_backend(${pid})`)).toBe(
          'guardrail:other-sessions',
        );
      }, standard.url());
      expect((await victim.query('SELECT 1 AS alive')).rows).toEqual([{ alive: 1 }]);
    } finally {
      await victim.end();
    }
  });

  it('lets a caller cancel or end its own backends, and refuses another identity’s', async () => {
    const other = h.addAgent('other-bot');
    await withClient(async (mine) => {
      const myPid = await pidOf(mine);
      await withClient(async (client) => {
        const { rows } = await client.query(`SELECT pg_cancel_backend(${myPid}) AS cancelled`);
        expect(rows).toEqual([{ cancelled: true }]);
        // Allowed: the server cancels the very statement that asked.
        const cancelled = await client
          .query('SELECT pg_cancel_backend(pg_backend_pid())')
          .catch((e: unknown) => e);
        expect(cancelled).toMatchObject({ code: '57014' });
      });
      await withClient(
        async (client) => {
          expect(await blockedBy(client, `SELECT pg_cancel_backend(${myPid})`)).toBe(
            'guardrail:other-sessions',
          );
        },
        h.url('other-bot', other),
      );
    });
    await withClient(async (client) => {
      const error = await client
        .query('SELECT pg_terminate_backend(pg_backend_pid())')
        .catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/terminat/i);
    });
  });

  it('refuses locks that stop readers and table rewrites, leaving the transaction failed; row locks and mild modes pass', async () => {
    await withClient(async (client) => {
      await client.query('BEGIN');
      expect(await blockedBy(client, 'LOCK TABLE orders IN ACCESS EXCLUSIVE MODE')).toBe(
        'guardrail:blocking-lock',
      );
      const failed = await client.query('SELECT 1').catch((e: { code?: string }) => e);
      expect(failed).toMatchObject({ code: '25P02' });
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      await client.query('LOCK TABLE orders IN ROW EXCLUSIVE MODE');
      expect((await client.query('SELECT id FROM orders WHERE id = 1 FOR UPDATE')).rows).toEqual([{ id: 1 }]);
      await client.query('COMMIT');
      expect(await blockedBy(client, 'LOCK orders')).toBe('guardrail:blocking-lock');
      expect(await blockedBy(client, 'VACUUM FULL orders')).toBe('guardrail:table-rewrite');
      expect(await blockedBy(client, 'CLUSTER orders USING orders_pkey')).toBe('guardrail:table-rewrite');
      await client.query('VACUUM orders');
    });
    await withClient(async (client) => {
      expect(await blockedBy(client, 'VACUUM FULL orders')).toBe('guardrail:table-rewrite');
    }, standard.url());
  });

  it('refuses unbounded work under strict, allows short sleeps; standard leaves it to max_statement_time', async () => {
    await withClient(async (client) => {
      expect(await blockedBy(client, 'SELECT pg_sleep(3600)')).toBe('guardrail:unbounded-work');
      expect(await blockedBy(client, "SELECT pg_sleep_for('1 hour')")).toBe('guardrail:unbounded-work');
      expect(await blockedBy(client, 'SELECT pg_sleep($1)', [3600])).toBe('guardrail:unbounded-work');
      expect(
        await blockedBy(client, "SELECT pg_notify('c', x::text) FROM generate_series(1, 100000) x"),
      ).toBe('guardrail:unbounded-work');
      expect((await client.query('SELECT pg_sleep(0.05) AS slept')).rows).toEqual([{ slept: '' }]);
    });
    await withClient(async (client) => {
      expect((await client.query('SELECT pg_sleep(0.05) AS slept')).rowCount).toBe(1);
      await client.query("SELECT pg_notify('c', 'one')");
    }, standard.url());
  });

  it('refuses settings that loosen what the server enforces and a search_path Sluice does not read; harmless ones pass', async () => {
    await withClient(async (client) => {
      for (const sql of [
        'RESET ALL',
        'SET default_transaction_read_only = off',
        'SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE',
        "SELECT set_config('default_transaction_read_only', 'off', false)",
        'SET transaction_read_only = off',
      ])
        expect(await blockedBy(client, sql)).toBe('guardrail:loosened-setting');
      expect(await blockedBy(client, 'SET search_path = payroll')).toBe('guardrail:search-path');
      expect(await blockedBy(client, "SELECT set_config('search_path', 'payroll', false)")).toBe(
        'guardrail:search-path',
      );
      expect((await client.query('SHOW search_path')).rows).toEqual([{ search_path: '"$user", public' }]);
      for (const sql of [
        "SET statement_timeout = '30s'",
        "SET TimeZone = 'UTC'",
        "SET application_name = 'agent'",
        "SET DateStyle = 'ISO, DMY'",
        "SET work_mem = '8MB'",
        'SET search_path = "$user", public',
        'RESET statement_timeout',
      ])
        await client.query(sql);
    });
    await withClient(async (client) => {
      await client.query('SET default_transaction_read_only = off');
    }, standard.url());
  });

  it('judges settings a client asks for at startup as the SET they stand for', async () => {
    for (const [options, guardrail] of [
      ['-c search_path=payroll', 'guardrail:search-path'],
      ['-c default_transaction_read_only=off', 'guardrail:loosened-setting'],
      ['--default_transaction_read_only=off', 'guardrail:loosened-setting'],
    ] as const) {
      const client = new pg.Client({ connectionString: h.url(), options });
      const error = await client.connect().then(
        () => new Error(`not refused: ${options}`),
        (e: unknown) => e,
      );
      await client.end().catch(() => undefined);
      expect(error, options).toMatchObject({ code: '42501' });
      expect((error as Error).message, options).toContain(
        `sluice: blocked by ${guardrail}: startup parameter`,
      );
    }
    const client = new pg.Client({
      connectionString: h.url(),
      options: '-c search_path=public -c statement_timeout=30s',
    });
    await client.connect();
    try {
      expect((await client.query('SHOW statement_timeout')).rows).toEqual([{ statement_timeout: '30s' }]);
    } finally {
      await client.end();
    }
    const relaxed = new pg.Client({ connectionString: standard.url(), options: '-c search_path=payroll' });
    await relaxed.connect();
    await relaxed.end();
  });
});
