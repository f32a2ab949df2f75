import type { StatementRecord } from '@sluice/journal';
import { type ScratchMariadb, startMariadb } from '@sluice/testkit';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

// The gateway reaches the scratch server through a relay the tests can close and cut.
let server: ScratchMariadb;
let proxy: TcpProxy;
let h: MysqlHarness;
beforeAll(async () => {
  server = await startMariadb();
  proxy = await startTcpProxy({ host: server.host, port: server.port });
  h = await startMysqlHarness({ db: server, upstream: { host: '127.0.0.1', port: proxy.port } });
});
afterAll(async () => {
  await h?.close();
  await proxy?.stop();
  await server?.stop();
});

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function connected(): Promise<mysql.Connection> {
  const connection = await mysql.createConnection(h.options());
  connection.on('error', () => undefined);
  return connection;
}

/** A result that streams for seconds: rows leave the server a few at a time. */
const slowResult = (marker: string): string =>
  `SELECT seq, REPEAT('x', 100) AS pad, SLEEP(0.0005) AS s FROM seq_1_to_20000 /* ${marker} */`;

const threadsRunning = async (marker: string): Promise<string[]> => {
  const ids = await server.sql(
    `SELECT id FROM information_schema.processlist WHERE info LIKE '%/* ${marker} */%' AND id <> CONNECTION_ID()`,
    { user: server.superuser.user, database: '' },
  );
  return ids.split('\n').filter((id) => id.trim() !== '');
};

async function untilRunning(marker: string): Promise<string[]> {
  let ids = await threadsRunning(marker);
  for (let tries = 0; ids.length === 0; tries++) {
    expect(tries).toBeLessThan(200);
    await pause(25);
    ids = await threadsRunning(marker);
  }
  await pause(200); // rows are on their way to the client
  return ids;
}

async function untilGone(marker: string, limitMs = 5000): Promise<number> {
  let left = (await threadsRunning(marker)).length;
  for (const started = Date.now(); left > 0 && Date.now() - started < limitMs; ) {
    await pause(50);
    left = (await threadsRunning(marker)).length;
  }
  return left;
}

async function finishedRecord(marker: string): Promise<StatementRecord | undefined> {
  let record: StatementRecord | undefined;
  for (let tries = 0; tries < 100; tries++) {
    record = [...h.journal.statements()].find((s) => s.statement.includes(`/* ${marker} */`));
    if (record?.completed) break;
    await pause(25);
  }
  return record;
}

async function serves(connection: mysql.Connection): Promise<void> {
  const [rows] = await connection.query('SELECT 41 + 1 AS answer');
  expect(rows).toEqual([{ answer: 42 }]);
}

type DriverError = { errno?: number; sqlState?: string; message?: string };

describe('an upstream that dies mid-result (MySQL)', () => {
  it('tells the client when its thread is killed, journals the error, and spares other sessions', async () => {
    const bystander = await connected();
    const victim = await connected();
    const outcome = victim.query(slowResult('doomed')).then(
      () => 'finished',
      (error: unknown) => error,
    );
    const [id] = await untilRunning('doomed');
    await server.sql(`KILL ${id}`, { user: server.superuser.user, database: '' });
    const error = (await outcome) as DriverError;
    expect(error).toMatchObject({ errno: 1158, sqlState: '08S01' });
    expect(error.message).toMatch(/^sluice: /);
    const record = await finishedRecord('doomed');
    expect(record?.completed).toBe(true);
    expect(record?.error).toBe('session ended: server closed the connection');
    await serves(bystander);
    await serves(await connected());
    await bystander.end();
    victim.destroy();
  });

  it('ends the session with a sluice: error when the upstream connection is cut without a word', async () => {
    const victim = await connected();
    const outcome = victim.query(slowResult('cut')).then(
      () => 'finished',
      (error: unknown) => error,
    );
    await untilRunning('cut');
    proxy.cutAll();
    const error = (await outcome) as DriverError;
    expect(error).toMatchObject({ errno: 1158, sqlState: '08S01' });
    expect(error.message).toMatch(/^sluice: /);
    const record = await finishedRecord('cut');
    expect(record?.completed).toBe(true);
    expect(record?.error).toBe('session ended: server closed the connection');
    await serves(await connected());
    victim.destroy();
  });
});

describe('an upstream that cannot be reached (MySQL)', () => {
  it('refuses the login with a sluice: 1105 error, and serves again once the server is back', async () => {
    await proxy.stop();
    try {
      const error = (await mysql.createConnection(h.options()).then(
        async (connection) => {
          await connection.end();
          return 'connected';
        },
        (e: unknown) => e,
      )) as DriverError;
      expect(error).toMatchObject({ errno: 1105 });
      expect(error.message).toMatch(/^sluice: .*unavailable/);
    } finally {
      await proxy.resume();
    }
    const connection = await connected();
    await serves(connection);
    await connection.end();
  });
});

describe('a client that vanishes mid-result (MySQL)', () => {
  const sessionThreads = async (): Promise<number> =>
    Number(
      await server.sql(
        `SELECT COUNT(*) FROM information_schema.processlist WHERE user = '${server.appUser.user}'`,
        { user: server.superuser.user, database: '' },
      ),
    );

  for (const [label, marker, sql] of [
    ['a streaming result', 'vanished-stream', slowResult('vanished-stream')],
    ['a statement that sends nothing yet', 'vanished-silent', 'SELECT SLEEP(3600) /* vanished-silent */'],
  ] as const) {
    it(`kills ${label} upstream and leaves no upstream connection behind`, async () => {
      const before = await sessionThreads();
      const connection = await connected();
      connection.query(sql).catch(() => undefined);
      await untilRunning(marker);
      connection.destroy();
      expect(await untilGone(marker)).toBe(0);
      let after = await sessionThreads();
      for (let tries = 0; after > before && tries < 100; tries++) {
        await pause(50);
        after = await sessionThreads();
      }
      expect(after).toBeLessThanOrEqual(before);
      const record = await finishedRecord(marker);
      expect(record?.completed).toBe(true);
      expect(record?.error).toBe('session ended: client disconnected');
    });
  }
});

describe('an upstream server process that dies mid-result (MySQL)', () => {
  // Last: the scratch server does not come back.
  it('ends the running statement with an error, journals it, and refuses new logins clearly', async () => {
    const victim = await connected();
    const outcome = victim.query(slowResult('crash')).then(
      () => 'finished',
      (error: unknown) => error,
    );
    await untilRunning('crash');
    await server.stop();
    const error = (await outcome) as DriverError;
    expect(error).toMatchObject({ errno: 1158, sqlState: '08S01' });
    expect(error.message).toMatch(/^sluice: /);
    const record = await finishedRecord('crash');
    expect(record?.completed).toBe(true);
    expect(record?.error).toBe('session ended: server closed the connection');
    const refused = (await mysql.createConnection(h.options()).then(
      () => 'connected',
      (e: unknown) => e,
    )) as DriverError;
    expect(refused).toMatchObject({ errno: 1105 });
    expect(refused.message).toMatch(/^sluice: /);
    victim.destroy();
  });
});
