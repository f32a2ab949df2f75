import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

let h: MysqlHarness;
beforeAll(async () => {
  h = await startMysqlHarness();
});
afterAll(() => h?.close());

describe("KILL of a greeting's thread id in the shapes mysql2's own tests use", () => {
  it('translates the id inside a multi-statement string (`kill ?; select sleep(0.05)`)', async () => {
    const victim = await mysql.createConnection(h.options());
    const killer = await mysql.createConnection(
      h.options(undefined, undefined, { multipleStatements: true }),
    );
    try {
      const lost = new Promise<Error>((resolve) => victim.on('error', resolve));
      const [results] = await killer.query('kill ?; select sleep(0.05)', [victim.threadId]);
      expect(Array.isArray(results) && results.length).toBe(2);
      await lost;
      await expect(victim.query('SELECT 1')).rejects.toThrow();
    } finally {
      victim.destroy();
      await killer.end();
    }
  });

  it('translates KILL QUERY sent as a prepared statement', async () => {
    const victim = await mysql.createConnection(h.options());
    const killer = await mysql.createConnection(h.options());
    try {
      // The outcome is caught at once: the victim's error can arrive before the killer's OK.
      const sleeping = victim.query('SELECT SLEEP(5) AS slept').then(
        () => 'not interrupted',
        (error: unknown) => error,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      await killer.execute(`KILL QUERY ${victim.threadId}`);
      // The victim's statement, not its connection, ends: with 1317 (ER_QUERY_INTERRUPTED).
      expect(await sleeping).toMatchObject({ errno: 1317 });
      const [after] = await victim.query('SELECT 2 AS two');
      expect(after).toEqual([{ two: 2 }]);
    } finally {
      await victim.end();
      await killer.end();
    }
  });
});
