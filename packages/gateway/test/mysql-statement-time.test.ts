import mysql, { type Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

const CANCELLED = 'sluice: statement cancelled after 1s (max_statement_time)';

let timed: MysqlHarness;
let untimed: MysqlHarness;
beforeAll(async () => {
  timed = await startMysqlHarness({ policyYaml: '    guardrails: standard\n    max_statement_time: 1s' });
  untimed = await startMysqlHarness({ db: timed.db, policyYaml: '    guardrails: standard' });
});
afterAll(async () => {
  await untimed?.close();
  await timed?.close();
});

async function connect(h: MysqlHarness): Promise<Connection> {
  const connection = await mysql.createConnection(
    h.options(undefined, undefined, { multipleStatements: true }),
  );
  connection.on('error', () => undefined);
  return connection;
}

/** Threads of the server still running a statement containing `marker`, asked directly. */
async function running(marker: string): Promise<number> {
  const out = await timed.db.sql(
    `SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%${marker}%' AND ID <> CONNECTION_ID()`,
  );
  return Number(out.trim());
}

/** Polls, with a bound, until no server thread runs the statement any more. */
async function gone(marker: string): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if ((await running(marker)) === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function untilRunning(marker: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await running(marker)) === 0) {
    if (Date.now() > deadline) throw new Error(`${marker} never started`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('max_statement_time (MySQL)', () => {
  it('interrupts an hour-long sleep or busy loop with KILL QUERY at the limit; the client reads 1317', async () => {
    const connection = await connect(timed);
    try {
      for (const [sql, marker, prepared] of [
        ['SELECT SLEEP(3600) /* select-sleep */', 'select-sleep', false],
        ['DO SLEEP(3600) /* do-sleep */', 'do-sleep', false],
        ["SELECT BENCHMARK(10000000000, MD5('a')) /* busy-loop */", 'busy-loop', false],
        ['SELECT SLEEP(?) /* prepared-sleep */', 'prepared-sleep', true],
      ] as const) {
        const started = Date.now();
        const run = prepared ? connection.execute(sql, [3600]) : connection.query(sql);
        const error = await run.then(
          () => new Error(`${sql} was not cancelled`),
          (e: unknown) => e,
        );
        expect(error, sql).toMatchObject({ errno: 1317, sqlState: '70100', message: CANCELLED });
        expect(Date.now() - started, sql).toBeLessThan(8_000);
        expect(await gone(marker), sql).toBe(true);
      }
      const [rows] = await connection.query('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
      const records = [...timed.journal.statements()].filter((r) =>
        /select-sleep|do-sleep|busy-loop/.test(r.statement),
      );
      expect(records.map((r) => r.error)).toEqual([CANCELLED, CANCELLED, CANCELLED]);
    } finally {
      await connection.end();
    }
  });

  it('gives each command the whole limit', async () => {
    const connection = await connect(timed);
    try {
      await connection.query('SELECT SLEEP(0.6)');
      await connection.query('SELECT SLEEP(0.6)');
    } finally {
      await connection.end();
    }
  });

  it('kills the running statement upstream when the client vanishes', async () => {
    const connection = await connect(untimed);
    // A busy loop: MariaDB notices a vanished client during SLEEP within seconds, never during BENCHMARK.
    void connection
      .query("DO BENCHMARK(10000000000, MD5('a')) /* vanishing-client */")
      .catch(() => undefined);
    await untilRunning('vanishing-client');
    connection.destroy();
    expect(await gone('vanishing-client')).toBe(true);
  });

  it('kills every running statement upstream when the gateway shuts down after its drain period', async () => {
    const own = await startMysqlHarness({ db: timed.db, policyYaml: '    guardrails: standard' });
    const connection = await connect(own);
    const outcome = connection.query('DO SLEEP(3600) /* at-shutdown */').catch((e: unknown) => e);
    await untilRunning('at-shutdown');
    await own.close();
    expect(await outcome).toMatchObject({
      message: expect.stringMatching(/sluice: the gateway is shutting down/),
    });
    expect(await gone('at-shutdown')).toBe(true);
  });
});
