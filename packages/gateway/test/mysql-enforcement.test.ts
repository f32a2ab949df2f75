import mysql, { type Connection } from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

let h: MysqlHarness;
beforeAll(async () => {
  h = await startMysqlHarness({
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
  await h.db.sql(
    `CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(20));
     CREATE DATABASE payroll; CREATE TABLE payroll.salaries (who VARCHAR(20), amount INT);
     INSERT INTO payroll.salaries VALUES ('ann', 100);
     GRANT ALL ON payroll.* TO '${h.db.appUser.user}'@'%';`,
  );
});
afterAll(() => h?.close());
beforeEach(async () => {
  await h.db.sql("DELETE FROM orders; INSERT INTO orders VALUES (1, 'one'), (2, 'two'), (3, 'three');");
});

async function withConnection<T>(
  use: (connection: Connection) => Promise<T>,
  user = h.agent.name,
  secret = h.agent.secret,
): Promise<T> {
  const connection = await mysql.createConnection(h.options(user, secret, { multipleStatements: true }));
  try {
    return await use(connection);
  } finally {
    await connection.end();
  }
}

/** The records whose text contains `marker`, once `count` of them are complete (the session's end writes the last outcome). */
async function journalled(marker: string, count: number) {
  for (let tries = 0; ; tries++) {
    const records = [...h.journal.statements()].filter((s) => s.statement.includes(marker));
    if ((records.length === count && records.every((r) => r.completed)) || tries === 50) return records;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const orderCount = (): Promise<string> => h.db.sql('SELECT COUNT(*) FROM orders');
const blocked = (rule: string) => ({
  errno: 1227,
  sqlState: '42000',
  message: expect.stringMatching(new RegExp(`^sluice: blocked by ${rule}: `)),
});

describe('guardrails on the MySQL path', () => {
  it('blocks DROP TABLE with 1227 / 42000; the table survives; the connection stays usable', async () => {
    await withConnection(async (connection) => {
      await expect(connection.query('DROP TABLE orders')).rejects.toMatchObject(blocked('guardrail:ddl'));
      const [rows] = await connection.query('SELECT COUNT(*) AS n FROM orders');
      expect(rows).toEqual([{ n: 3 }]);
    });
    expect(await orderCount()).toBe('3');
  });

  it('blocks disguised statements as queries and as prepared statements, which are never prepared', async () => {
    const disguised = [
      'DELETE FROM orders',
      'delete /* x */ from `orders` where 1 = 1',
      "DELETE FROM orders WHERE 'a'='a'",
      '/*!50000 DROP TABLE orders */',
      'UPDATE orders SET item = ?',
    ];
    await withConnection(async (connection) => {
      for (const sql of disguised) {
        await expect(connection.query(sql, ['x']), sql).rejects.toMatchObject({ errno: 1227 });
        await expect(connection.execute(sql, sql.includes('?') ? ['x'] : []), sql).rejects.toMatchObject({
          errno: 1227,
        });
      }
      const [prepared] = await connection.query("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'");
      expect(prepared).toEqual([{ Variable_name: 'Com_stmt_prepare', Value: '0' }]);
      await connection.execute('DELETE FROM orders WHERE id = ?', [3]);
    });
    expect(await orderCount()).toBe('2');
  });

  it('refuses LOAD DATA LOCAL INFILE', async () => {
    await withConnection(async (connection) => {
      const load = connection.query({
        sql: "LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE orders",
        infileStreamFactory: () => {
          throw new Error('the client was asked for a file');
        },
      });
      await expect(load).rejects.toMatchObject(blocked('guardrail:file-access'));
    });
    expect(await orderCount()).toBe('3');
  });

  it('runs none of a multi-statement string when one statement is blocked', async () => {
    await withConnection(async (connection) => {
      await expect(
        connection.query("INSERT INTO orders VALUES (9, 'nine'); DROP TABLE orders"),
      ).rejects.toMatchObject(blocked('guardrail:ddl'));
    });
    expect(await orderCount()).toBe('3');
  });

  it('follows NO_BACKSLASH_ESCAPES, so a quote cannot hide a statement from the analyser', async () => {
    await withConnection(async (connection) => {
      await connection.query("SET sql_mode = 'NO_BACKSLASH_ESCAPES'");
      // In this mode the string ends at the backslash's quote and DROP TABLE is a statement.
      await expect(connection.query("SELECT 'a\\'; DROP TABLE orders; -- '")).rejects.toMatchObject(
        blocked('guardrail:ddl'),
      );
      await connection.query("SET sql_mode = 'ANSI_QUOTES'");
      await expect(connection.query('DELETE FROM "orders"')).rejects.toMatchObject(
        blocked('guardrail:unbounded-write'),
      );
    });
    expect(await orderCount()).toBe('3');
  });

  it('applies table rules in the database a USE selected, and refuses a USE followed by more statements', async () => {
    await withConnection(async (connection) => {
      await expect(connection.query('SELECT * FROM payroll.salaries')).rejects.toMatchObject(
        blocked('no-payroll'),
      );
      await expect(connection.query('USE payroll; SELECT * FROM salaries')).rejects.toMatchObject(
        blocked('guardrail:unfollowable-setting'),
      );
      await connection.query('USE payroll');
      await expect(connection.query('SELECT * FROM salaries')).rejects.toMatchObject(blocked('no-payroll'));
      await expect(connection.query('USE no_such_database')).rejects.toMatchObject({ errno: 1044 });
      await expect(connection.query('SELECT * FROM salaries')).rejects.toMatchObject(blocked('no-payroll'));
    });
  });

  it('answers an approve rule in ticket mode at once with the request to approve', async () => {
    const secret = h.addAgent('approval-bot');
    await withConnection(
      async (connection) => {
        await expect(connection.query("UPDATE orders SET item = 'x' WHERE id = 1")).rejects.toMatchObject({
          errno: 1227,
          message: expect.stringMatching(
            /^sluice: approval required: request apr-\w+; run the same statement again/,
          ),
        });
      },
      'approval-bot',
      secret,
    );
    expect(await h.db.sql('SELECT item FROM orders WHERE id = 1')).toBe('one');
  });

  it('journals blocked statements with the decision, rule and reason, and allowed ones with kind and rows', async () => {
    await withConnection(async (connection) => {
      await connection.query('DROP TABLE orders /* journal-check */').catch(() => undefined);
      await connection.query('SELECT item FROM orders WHERE id < 3 /* journal-check */');
      await connection.query("UPDATE orders SET item = 'uno' WHERE id = 1 /* journal-check */");
    });
    const records = await journalled('journal-check', 3);
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({
      decision: 'blocked',
      rule: 'guardrail:ddl',
      kind: 'ddl',
      protocol: 'mysql',
    });
    expect(records[0]?.reason).toMatch(/DROP TABLE/);
    expect(records[1]).toMatchObject({ decision: 'allowed', kind: 'select', tables: ['orders'], rows: 2 });
    expect(records[2]).toMatchObject({
      decision: 'allowed',
      kind: 'update',
      rows: 1,
      identity: h.agent.name,
    });
  });
});
