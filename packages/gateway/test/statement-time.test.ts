import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

const CANCELLED = 'sluice: statement cancelled after 1s (max_statement_time)';

let timed: Harness;
let untimed: Harness;
beforeAll(async () => {
  timed = await startHarness({ policyYaml: '    guardrails: standard\n    max_statement_time: 1s' });
  untimed = await startHarness({ pg: timed.pg, policyYaml: '    guardrails: standard' });
});
afterAll(async () => {
  await untimed?.close();
  await timed?.close();
});

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** How many server backends still run a statement containing `marker` (or hold it, idle), asked directly. */
async function running(h: Harness, marker: string, activeOnly = false): Promise<number> {
  const active = activeOnly ? " AND state = 'active'" : '';
  const out = await h.pg.psql(
    `SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%${marker}%' AND pid <> pg_backend_pid()${active}`,
  );
  return Number(out.trim());
}

/** Polls, with a bound, until no backend runs the statement any more. */
async function gone(h: Harness, marker: string, activeOnly = false): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if ((await running(h, marker, activeOnly)) === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function untilRunning(h: Harness, marker: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await running(h, marker)) === 0) {
    if (Date.now() > deadline) throw new Error(`${marker} never started`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('max_statement_time (PostgreSQL)', () => {
  it('cancels an hour-long sleep upstream at the limit, over both protocols; the session goes on', async () => {
    const client = await connect(timed.url());
    try {
      for (const [sql, values, marker] of [
        ['SELECT pg_sleep(3600) /* simple-3600 */', undefined, 'simple-3600'],
        ['SELECT pg_sleep($1) /* extended-3600 */', [3600], 'extended-3600'],
      ] as const) {
        const started = Date.now();
        const error = await client.query(sql, values ? [...values] : undefined).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: '57014', message: CANCELLED });
        expect(Date.now() - started).toBeLessThan(8_000);
        expect(await gone(timed, marker, true)).toBe(true);
      }
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      const records = [...timed.journal.statements()].filter((r) => r.statement.includes('-3600 */'));
      expect(records.map((r) => r.error)).toEqual([CANCELLED, CANCELLED]);
    } finally {
      await client.end();
    }
  });

  it('leaves the transaction failed as a cancelled statement does, and gives each statement the whole limit', async () => {
    const client = await connect(timed.url());
    try {
      await client.query('BEGIN');
      await expect(client.query('SELECT pg_sleep(3600)')).rejects.toMatchObject({ message: CANCELLED });
      await expect(client.query('SELECT 1')).rejects.toMatchObject({ code: '25P02' });
      await client.query('ROLLBACK');
      // Each statement gets the whole limit, not the session or the transaction.
      await client.query('BEGIN');
      await client.query('SELECT pg_sleep(0.6)');
      await client.query('SELECT pg_sleep(0.6)');
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
  });

  it('cancels the running statement upstream when the client vanishes', async () => {
    const client = await connect(untimed.url());
    void client.query('SELECT pg_sleep(3600) /* vanishing-client */').catch(() => undefined);
    await untilRunning(untimed, 'vanishing-client');
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect(await gone(untimed, 'vanishing-client')).toBe(true);
  });

  it('cancels the running statement upstream when Sluice ends the session (a revoked identity)', async () => {
    const secret = untimed.addAgent('doomed-bot');
    const client = await connect(untimed.url('doomed-bot', secret));
    const outcome = client.query('SELECT pg_sleep(3600) /* revoked-session */').catch((e: unknown) => e);
    await untilRunning(untimed, 'revoked-session');
    untimed.revokeAgent('doomed-bot');
    expect(await outcome).toMatchObject({ code: '57P01' });
    expect(await gone(untimed, 'revoked-session')).toBe(true);
  });

  it('cancels every running statement upstream when the gateway shuts down after its drain period', async () => {
    const own = await startHarness({ pg: timed.pg, policyYaml: '    guardrails: standard' });
    const client = await connect(own.url());
    const outcome = client.query('SELECT pg_sleep(3600) /* at-shutdown */').catch((e: unknown) => e);
    await untilRunning(own, 'at-shutdown');
    await own.close();
    expect(await outcome).toMatchObject({ code: '57P01' });
    expect(await gone(timed, 'at-shutdown')).toBe(true);
  });
});
