import * as mariadb from 'mariadb';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

let h: MysqlHarness;
let otherSecret: string;
beforeAll(async () => {
  h = await startMysqlHarness();
  otherSecret = h.addAgent('pool-other', ['ci']);
});
afterAll(() => h?.close());

/** The session a statement text was journalled in, and as whom. */
function journalled(text: string): { session: string; identity: string } | undefined {
  const record = [...h.journal.statements()].find((each) => each.statement === text);
  return record && { session: record.session, identity: record.identity };
}

describe('COM_CHANGE_USER through Sluice', () => {
  it('signs in a service account, resets the upstream session and journals the change', async () => {
    const connection = await mysql.createConnection(h.options());
    try {
      await connection.query("SET @kept = 'before'");
      await connection.query("SELECT 'as-first-identity'");
      await connection.changeUser({ user: 'pool-other', password: otherSecret });
      const [rows] = await connection.query("SELECT @kept AS kept, 'as-second-identity' AS marker");
      // COM_RESET_CONNECTION cleared the user variable, as a server's own change of user does.
      expect(rows).toEqual([{ kept: null, marker: 'as-second-identity' }]);
      const first = journalled("SELECT 'as-first-identity'");
      const second = journalled("SELECT @kept AS kept, 'as-second-identity' AS marker");
      expect(first?.identity).toBe(h.agent.name);
      expect(second?.identity).toBe('pool-other');
      expect(second?.session).not.toBe(first?.session);
      await expect
        .poll(() => h.journal.sessionTimeline(first?.session ?? '').ended?.reason)
        .toBe('user changed to pool-other');
      const started = h.journal.sessionTimeline(second?.session ?? '').started;
      expect(started?.details).toMatchObject({
        identity: 'pool-other',
        auth_method: 'mysql_native_password',
      });
    } finally {
      await connection.end();
    }
  });

  it('keeps prepared statements and KILL working after the change', async () => {
    const connection = await mysql.createConnection(h.options());
    const other = await mysql.createConnection(h.options('pool-other', otherSecret));
    try {
      await connection.changeUser({ user: 'pool-other', password: otherSecret });
      const [rows] = await connection.execute('SELECT ? + 1 AS n', [41]);
      expect(rows).toEqual([{ n: 42 }]);
      // The thread id of the greeting now belongs to the new identity.
      const lost = new Promise<Error>((resolve) => connection.on('error', resolve));
      await other.query(`KILL ${connection.threadId}`);
      await lost;
    } finally {
      connection.destroy();
      await other.end();
    }
  });

  it('accepts a JWT for a new user through mysql_clear_password', async () => {
    const connection = await mysql.createConnection(
      h.options(undefined, undefined, { enableCleartextPlugin: true }),
    );
    try {
      const token = await h.issuer.sign({ sub: 'carol@example.com', groups: ['analysts'] });
      await connection.changeUser({ user: 'carol', password: token });
      await connection.query("SELECT 'as-carol'");
      expect(journalled("SELECT 'as-carol'")?.identity).toBe('carol@example.com');
    } finally {
      await connection.end();
    }
  });

  it('refuses a wrong secret with the usual access-denied error and ends the connection', async () => {
    const connection = await mysql.createConnection(h.options());
    const closed = new Promise<void>((resolve) =>
      connection.connection.stream.once('close', () => resolve()),
    );
    await expect(connection.changeUser({ user: 'pool-other', password: 'wrong' })).rejects.toMatchObject({
      errno: 1045,
      message: "sluice: access denied for user 'pool-other'",
    });
    await closed;
    connection.destroy();
  });

  it('works for the mariadb connector', async () => {
    const connection = await mariadb.createConnection({
      host: '127.0.0.1',
      port: h.port,
      user: h.agent.name,
      password: h.agent.secret,
      database: h.db.database,
    });
    try {
      await connection.changeUser({ user: 'pool-other', password: otherSecret });
      const rows: Record<string, unknown>[] = await connection.query("SELECT 'mariadb-changed' AS m");
      expect(rows).toEqual([{ m: 'mariadb-changed' }]);
      expect(journalled("SELECT 'mariadb-changed' AS m")?.identity).toBe('pool-other');
    } finally {
      await connection.end();
    }
  });
});
