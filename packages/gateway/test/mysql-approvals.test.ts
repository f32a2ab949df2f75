import mysql, { type Connection, type ResultSetHeader } from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { approver, pendingRequest, stillPending } from './support/approvals.js';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

let h: MysqlHarness;
beforeAll(async () => {
  h = await startMysqlHarness({
    policyYaml: `    guardrails: standard
    rules:
      - name: updates-need-approval
        match: { kind: [update] }
        action: approve
      - name: deletes-wait-briefly
        match: { kind: [delete] }
        action: approve
        approval: { timeout: 1s }
      - name: inserts-by-ticket
        match: { kind: [insert] }
        action: approve
        approval: { mode: ticket }`,
  });
  await h.db.sql('CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(20))');
});
afterAll(() => h?.close());
beforeEach(async () => {
  await h.db.sql("DELETE FROM orders; INSERT INTO orders VALUES (1, 'one'), (2, 'two'), (3, 'three');");
});

async function withConnection<T>(use: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await mysql.createConnection(h.options(h.agent.name, h.agent.secret));
  try {
    return await use(connection);
  } finally {
    await connection.end();
  }
}

const itemOf = (id: number): Promise<string> => h.db.sql(`SELECT item FROM orders WHERE id = ${id}`);
const alice = approver('alice');

describe('holding a MySQL statement for approval', () => {
  it('holds COM_QUERY and the commands after it, then runs them once approved', async () => {
    await withConnection(async (connection) => {
      const update = connection.query("UPDATE orders SET item = 'held' WHERE id = 1");
      const after = connection.query('SELECT item FROM orders WHERE id = 1');
      const request = await pendingRequest(h.gateway.control, /'held'/);
      expect(await stillPending(after)).toBe(true);
      expect(await itemOf(1)).toBe('one');
      h.gateway.control.approvals.approve(request.id, alice);
      expect(((await update)[0] as ResultSetHeader).affectedRows).toBe(1);
      expect((await after)[0]).toEqual([{ item: 'held' }]);
    });
    const record = [...h.journal.statements()].find((s) => s.statement.includes("'held'"));
    expect(record).toMatchObject({ decision: 'approved', approver: 'alice', protocol: 'mysql' });
  });

  it('holds a prepared statement at execute with its parameters, and refuses it when denied', async () => {
    await withConnection(async (connection) => {
      const running = connection.execute('UPDATE orders SET item = ? WHERE id = ?', ['prepared', 2]);
      const request = await pendingRequest(h.gateway.control, /UPDATE orders SET item = \?/);
      expect(request.subject).toMatchObject({ parameters: ['prepared', '2'] });
      h.gateway.control.approvals.deny(request.id, alice, 'use the admin tool');
      await expect(running).rejects.toMatchObject({
        errno: 1227,
        sqlState: '42000',
        message: 'sluice: approval denied by alice: use the admin tool',
      });
      const approved = connection.execute('UPDATE orders SET item = ? WHERE id = ?', ['prepared', 2]);
      h.gateway.control.approvals.approve(
        (await pendingRequest(h.gateway.control, /SET item = \?/)).id,
        alice,
      );
      expect(((await approved)[0] as ResultSetHeader).affectedRows).toBe(1);
    });
    expect(await itemOf(2)).toBe('prepared');
  });

  it('times out a held statement with the approval error and keeps the connection usable', async () => {
    await withConnection(async (connection) => {
      await expect(connection.query('DELETE FROM orders WHERE id = 3')).rejects.toMatchObject({
        errno: 1227,
        message: 'sluice: approval timed out after 1s',
      });
      expect((await connection.query('SELECT COUNT(*) AS n FROM orders'))[0]).toEqual([{ n: 3 }]);
    });
  });

  it('withdraws the request when the client disconnects', async () => {
    const connection = await mysql.createConnection(h.options(h.agent.name, h.agent.secret));
    void connection.query("UPDATE orders SET item = 'gone' WHERE id = 1").catch(() => undefined);
    const request = await pendingRequest(h.gateway.control, /'gone'/);
    connection.destroy();
    await expect.poll(() => h.gateway.control.approvals.get(request.id)?.state).toBe('withdrawn');
    expect(await itemOf(1)).toBe('one');
  });

  it('withdraws the request when the client kills the held statement from a second connection', async () => {
    await withConnection(async (connection) => {
      const running = connection
        .query("UPDATE orders SET item = 'killed' WHERE id = 1")
        .catch((e: unknown) => e);
      const request = await pendingRequest(h.gateway.control, /'killed'/);
      await withConnection((other) => other.query(`KILL QUERY ${connection.threadId}`));
      expect(await running).toMatchObject({
        errno: 1317,
        message: `sluice: approval request ${request.id} withdrawn: the client killed the statement`,
      });
      expect((await connection.query('SELECT 1 AS ok'))[0]).toEqual([{ ok: 1 }]);
    });
    expect(await itemOf(1)).toBe('one');
  });

  it('ends a session killed by an administrator, its server thread too', async () => {
    const connection = await mysql.createConnection(h.options(h.agent.name, h.agent.secret));
    connection.on('error', () => undefined);
    const [[{ id: serverThread }]] = (await connection.query('SELECT CONNECTION_ID() AS id')) as unknown as [
      [{ id: number }],
    ];
    const session = h.gateway.control.sessions.list().find((each) => each.protocol === 'mysql');
    expect(h.gateway.control.sessions.kill(session?.id ?? '', 'session terminated by alice: test')).toBe(
      true,
    );
    await expect(connection.query('SELECT 1')).rejects.toThrow();
    await expect
      .poll(async () =>
        h.db.sql(`SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ${serverThread}`),
      )
      .toBe('0');
    connection.destroy();
  });

  it('runs an approved ticket once for the identical statement', async () => {
    await withConnection(async (connection) => {
      const insert = "INSERT INTO orders VALUES (9, 'ticketed')";
      const refusal = await connection.query(insert).catch((error: unknown) => error);
      expect(refusal).toMatchObject({ errno: 1227 });
      const id = /request (apr-\w+)/.exec((refusal as Error).message)?.[1] ?? '';
      h.gateway.control.approvals.approve(id, alice);
      expect(((await connection.query(insert))[0] as ResultSetHeader).affectedRows).toBe(1);
    });
    expect(await itemOf(9)).toBe('ticketed');
  });
});
