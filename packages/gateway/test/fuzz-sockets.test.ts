import { type FuzzTarget, runSocketFuzz } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

// scripts/fuzz/run.mjs runs the same fuzzing for minutes against a gateway in its own process.
const SEED = 0x51c3;
const CONNECTIONS = 150;

let postgres: Harness;
let mysql: MysqlHarness;
/** The gateway runs in this process: anything it leaves uncaught lands here. */
const crashes: unknown[] = [];
const onCrash = (error: unknown): void => {
  crashes.push(error);
};

beforeAll(async () => {
  [postgres, mysql] = await Promise.all([startHarness(), startMysqlHarness()]);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
}, 120_000);

afterAll(async () => {
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  await Promise.all([postgres?.close(), mysql?.close()]);
});

describe('fuzzed byte streams through real sockets', () => {
  it('end with a protocol error or an expected close while good sessions keep working', async () => {
    const postgresTarget: FuzzTarget = {
      port: postgres.port,
      user: postgres.agent.name,
      password: postgres.agent.secret,
      database: postgres.pg.database,
    };
    const mysqlTarget: FuzzTarget = {
      port: mysql.port,
      user: mysql.agent.name,
      password: mysql.agent.secret,
      database: mysql.db.database,
    };
    const report = await runSocketFuzz({
      postgres: postgresTarget,
      mysql: mysqlTarget,
      seed: SEED,
      connections: CONNECTIONS,
      concurrency: 6,
    });

    expect(crashes).toEqual([]);
    expect(report.connections).toEqual({ postgres: CONNECTIONS, mysql: CONNECTIONS });
    // Each error has a SQLSTATE / an errno of 1000 or more; errors that end a connection come
    // from Sluice; a silent close answers only Terminate, COM_QUIT or a CancelRequest; a silent
    // gateway is waiting for the rest of a frame or for a message that calls for an answer.
    expect(report.problems).toEqual([]);
    expect(report.probeFailures).toEqual([]);
    // Protocol errors are what most fuzzed connections get, in both protocols.
    expect(report.endings['postgres protocol-error 08P01']).toBeGreaterThan(CONNECTIONS / 10);
    expect(report.endings['mysql protocol-error 1043']).toBeGreaterThan(CONNECTIONS / 20);
    // The good sessions ran statements all along and got the right answers.
    expect(report.goodFailures).toEqual([]);
    expect(report.goodStatements.postgres).toBeGreaterThan(50);
    expect(report.goodStatements.mysql).toBeGreaterThan(50);
    // No fuzzed input stalled the gateway's event loop for long (generous for a busy machine).
    expect(report.goodSlowestMs.postgres).toBeLessThan(5000);
    expect(report.goodSlowestMs.mysql).toBeLessThan(5000);
  }, 120_000);
});
