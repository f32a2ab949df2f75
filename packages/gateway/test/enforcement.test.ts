import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    policyYaml: `    guardrails: strict
    rules:
      - name: no-payroll
        match: { tables: [payroll.*] }
        action: block
      - name: writes-need-approval
        match: { kind: [update], identities: [approval-bot] }
        action: approve
        approval: { mode: ticket }`,
  });
  await h.pg.psql(
    `CREATE TABLE orders (id int PRIMARY KEY, item text);
     CREATE SCHEMA payroll; CREATE TABLE payroll.salaries (who text, amount int);
     GRANT ALL ON orders, payroll.salaries TO PUBLIC; GRANT USAGE ON SCHEMA payroll TO PUBLIC;`,
  );
});
afterAll(() => h?.close());
beforeEach(async () => {
  await h.pg.psql("TRUNCATE orders; INSERT INTO orders VALUES (1, 'one'), (2, 'two'), (3, 'three');");
});

async function withClient<T>(
  use: (client: pg.Client) => Promise<T>,
  user = h.agent.name,
  secret = h.agent.secret,
) {
  const client = new pg.Client({ connectionString: h.url(user, secret) });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const orderCount = async (): Promise<string> => h.pg.psql('SELECT count(*) FROM orders');

describe('guardrails on the Postgres path', () => {
  it('blocks DROP TABLE with 42501 and a sluice message; the table survives; the connection stays usable', async () => {
    await withClient(async (client) => {
      const error = await client.query('DROP TABLE orders').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: '42501' });
      expect((error as Error).message).toMatch(/^sluice: blocked by guardrail:ddl: /);
      expect((await client.query('SELECT count(*)::int AS n FROM orders')).rows).toEqual([{ n: 3 }]);
    });
    expect(await orderCount()).toBe('3');
  });

  it('blocks DELETE without WHERE and with a tautology, in disguise, over both protocols', async () => {
    await withClient(async (client) => {
      const disguised = [
        'DELETE FROM orders',
        'delete /* x */ from "orders" where 1 = 1',
        "DELETE FROM orders WHERE 'a'='a'",
      ];
      for (const [index, sql] of disguised.entries()) {
        await expect(client.query(sql), sql).rejects.toMatchObject({ code: '42501' });
        // A named statement makes node-postgres use Parse/Bind/Execute.
        await expect(client.query({ name: `disguise-${index}`, text: sql }), sql).rejects.toMatchObject({
          code: '42501',
        });
      }
      await expect(client.query('UPDATE orders SET item = $1', ['x'])).rejects.toMatchObject({
        code: '42501',
      });
      await client.query('DELETE FROM orders WHERE id = $1', [3]);
    });
    expect(await orderCount()).toBe('2');
  });

  it('runs none of a multi-statement string when one statement is blocked', async () => {
    await withClient(async (client) => {
      await expect(
        client.query("INSERT INTO orders VALUES (9, 'nine'); DROP TABLE orders"),
      ).rejects.toMatchObject({
        code: '42501',
      });
    });
    expect(await orderCount()).toBe('3');
  });

  it('leaves a transaction failed after a block, as a failed statement would, and ROLLBACK recovers', async () => {
    await withClient(async (client) => {
      await client.query('BEGIN');
      await client.query("INSERT INTO orders VALUES (4, 'four')");
      await expect(client.query('TRUNCATE orders')).rejects.toMatchObject({ code: '42501' });
      await expect(client.query('SELECT 1')).rejects.toMatchObject({ code: '25P02' });
      await client.query('ROLLBACK');
      expect((await client.query('SELECT count(*)::int AS n FROM orders')).rows).toEqual([{ n: 3 }]);
    });
  });

  it('answers a blocked Parse in a pipeline with one error and keeps the other statements', async () => {
    const sql = postgres(h.url(), { max: 1, onnotice: () => undefined });
    try {
      const results = await Promise.allSettled([
        sql`SELECT 1 AS a`,
        sql`DELETE FROM orders`,
        sql`SELECT ${2}::int AS b`,
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: '42501' });
    } finally {
      await sql.end();
    }
    expect(await orderCount()).toBe('3');
  });

  it('applies rules: a table glob blocks, an approve rule in ticket mode refuses at once with its request', async () => {
    await withClient(async (client) => {
      const error = await client.query('SELECT * FROM payroll.salaries').catch((e: unknown) => e as Error);
      expect(error.message).toMatch(/^sluice: blocked by no-payroll: /);
    });
    const secret = h.addAgent('approval-bot');
    await withClient(
      async (client) => {
        const error = await client
          .query("UPDATE orders SET item = 'x' WHERE id = 1")
          .catch((e: unknown) => e as Error);
        expect(error.message).toMatch(
          /^sluice: approval required: request apr-\w+; run the same statement again once it is approved$/,
        );
      },
      'approval-bot',
      secret,
    );
    expect(await h.pg.psql('SELECT item FROM orders WHERE id = 1')).toBe('one');
  });

  it('journals blocked statements with the decision, rule and reason, and allowed ones with kind and tables', async () => {
    await withClient(async (client) => {
      await client.query('DROP TABLE orders /* journal-check */').catch(() => undefined);
      await client.query('SELECT item FROM orders WHERE id = 1 /* journal-check */');
    });
    const records = [...h.journal.statements()].filter((s) => s.statement.includes('journal-check'));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ decision: 'blocked', rule: 'guardrail:ddl', kind: 'ddl' });
    expect(records[0]?.reason).toMatch(/DROP TABLE/);
    expect(records[1]).toMatchObject({ decision: 'allowed', kind: 'select', tables: ['orders'], rows: 1 });
  });

  it('refuses startup parameters that would switch the database role before any statement is judged', async () => {
    for (const options of ['-c role=postgres', '--session_authorization=postgres']) {
      const client = new pg.Client({ connectionString: h.url(), options });
      await expect(client.connect(), options).rejects.toMatchObject({ code: '42501' });
      await client.end().catch(() => undefined);
    }
  });

  it('reads SQL the way the session does: standard_conforming_strings is followed, SJIS is refused', async () => {
    await withClient(async (client) => {
      // With standard strings this text is a SELECT then a DROP; with them off it is one literal.
      const tricky = "SELECT 'x\\'; DROP TABLE orders; --' AS s";
      await expect(client.query(tricky)).rejects.toMatchObject({ code: '42501' });
      await client.query('SET standard_conforming_strings = off');
      const { rows } = await client.query(tricky);
      expect(rows).toEqual([{ s: "x'; DROP TABLE orders; --" }]);
      const error = await client.query("SET client_encoding = 'SJIS'").catch((e: unknown) => e as Error);
      expect(error.message).toMatch(/^sluice: blocked by guardrail:unfollowable-setting: /);
    });
    expect(await orderCount()).toBe('3');
  });

  it('refuses statements of a session that asked for an encoding Sluice cannot read at startup', async () => {
    // The server reports client_encoding, then standard_conforming_strings: the later report
    // must not clear the refusal.
    const { execFile } = await import('node:child_process');
    const stderr = await new Promise<string>((resolve) =>
      execFile(
        'psql',
        ['-X', h.url(), '-c', 'SELECT 1'],
        { env: { ...process.env, PGCLIENTENCODING: 'SJIS' } },
        (_error, _stdout, err) => resolve(err),
      ),
    );
    expect(stderr).toMatch(/sluice: blocked by guardrail:unfollowable-setting: client encoding SJIS/);
  });

  it('lets the introspection queries of psql through', async () => {
    const { execFile } = await import('node:child_process');
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        'psql',
        ['-X', h.url(), '-c', '\\d orders', '-c', '\\dt', '-c', '\\df', '-c', '\\dn', '-c', '\\l'],
        (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout)),
      ),
    );
    expect(out).toContain('Table "public.orders"');
    expect(out).toContain('List of schemas');
  });
});
