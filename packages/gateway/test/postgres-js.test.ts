import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('postgres.js through Sluice', () => {
  it('pipelines many prepared queries on one connection and attributes every reply', async () => {
    const sql = postgres(h.url(), { max: 1, prepare: true, onnotice: () => undefined });
    try {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => sql`SELECT ${i}::int AS n, repeat('x', ${i}) AS pad`),
      );
      expect(results.map((rows) => rows[0]?.n)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      const failing = await Promise.allSettled([sql`SELECT 1 AS ok`, sql`SELECT 1/0`, sql`SELECT 3 AS ok`]);
      expect(failing.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    } finally {
      await sql.end();
    }
    const journalled = [...h.journal.statements({ identity: h.agent.name })].filter((s) =>
      s.statement.startsWith('SELECT $1::int AS n'),
    );
    expect(journalled).toHaveLength(50);
    expect(journalled.every((s) => s.completed && s.rows === 1 && s.error === null)).toBe(true);
    const division = [...h.journal.statements()].find((s) => s.statement === 'SELECT 1/0');
    expect(division?.error).toBe('division by zero');
  });

  it('cancels a running query through a CancelRequest relayed to the right server process', async () => {
    const sql = postgres(h.url(), { max: 1 });
    try {
      const started = Date.now();
      const query = sql`SELECT pg_sleep(30)`;
      setTimeout(() => query.cancel(), 300);
      await expect(query).rejects.toMatchObject({ code: '57014' });
      expect(Date.now() - started).toBeLessThan(5000);
      expect((await sql`SELECT 'still usable' AS s`)[0]?.s).toBe('still usable');
    } finally {
      await sql.end();
    }
  });

  it('hands the client the real server process id', async () => {
    const sql = postgres(h.url(), { max: 1 });
    try {
      const [row] = await sql`SELECT pg_backend_pid() AS pid`;
      const other = postgres(h.url(), { max: 1 });
      const [terminated] = await other`SELECT pg_terminate_backend(${row?.pid}) AS ok`;
      expect(terminated?.ok).toBe(true);
      await other.end();
    } finally {
      await sql.end({ timeout: 1 }).catch(() => undefined);
    }
  });

  it('streams a cursor with portal suspension and journals it once', async () => {
    const sql = postgres(h.url(), { max: 1 });
    let seen = 0;
    try {
      await sql`SELECT g AS n FROM generate_series(1, 1000) g /* cursor-test */`.cursor(100, (rows) => {
        seen += rows.length;
      });
    } finally {
      await sql.end();
    }
    expect(seen).toBe(1000);
    const records = [...h.journal.statements()].filter((s) => s.statement.includes('cursor-test'));
    expect(records).toHaveLength(1);
    expect(records[0]?.rows).toBe(1000);
  });
});
