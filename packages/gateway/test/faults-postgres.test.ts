import type { StatementRecord } from '@sluice/journal';
import { type ScratchPostgres, startPostgres } from '@sluice/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

// The gateway reaches the scratch server through a relay the tests can close and cut.
let server: ScratchPostgres;
let proxy: TcpProxy;
let h: Harness;
beforeAll(async () => {
  server = await startPostgres();
  proxy = await startTcpProxy({ host: server.host, port: server.port });
  h = await startHarness({ pg: server, upstream: { host: '127.0.0.1', port: proxy.port } });
});
afterAll(async () => {
  await h?.close();
  await proxy?.stop();
  await server?.stop();
});

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function connected(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: h.url() });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** A result that streams for seconds: rows leave the server a few at a time. */
const slowResult = (marker: string): string =>
  `SELECT g, repeat('x', 100) AS pad, pg_sleep(0.0005) FROM generate_series(1, 20000) g /* ${marker} */`;

async function backendsRunning(marker: string): Promise<number> {
  const count = await server.psql(
    `SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%/* ${marker} */%' AND pid <> pg_backend_pid()`,
  );
  return Number(count.trim());
}

async function untilRunning(marker: string): Promise<void> {
  for (let tries = 0; (await backendsRunning(marker)) === 0; tries++) {
    expect(tries).toBeLessThan(200);
    await pause(25);
  }
  await pause(200); // rows are on their way to the client
}

async function untilGone(marker: string, limitMs = 5000): Promise<number> {
  let left = await backendsRunning(marker);
  for (const started = Date.now(); left > 0 && Date.now() - started < limitMs; ) {
    await pause(50);
    left = await backendsRunning(marker);
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

async function serves(client: pg.Client): Promise<void> {
  expect((await client.query('SELECT 41 + 1 AS answer')).rows).toEqual([{ answer: 42 }]);
}

describe('an upstream that dies mid-result (PostgreSQL)', () => {
  it('tells the client when its backend is terminated, journals the error, and spares other sessions', async () => {
    const bystander = await connected();
    const victim = await connected();
    const outcome = victim.query(slowResult('doomed')).then(
      () => 'finished',
      (error: unknown) => error,
    );
    await untilRunning('doomed');
    await server.psql(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%/* doomed */%' AND pid <> pg_backend_pid()",
    );
    const error = (await outcome) as { code?: string; message?: string };
    // The server's own FATAL reaches the client as it was sent: 57P01 admin_shutdown.
    expect(error).toMatchObject({ code: '57P01' });
    const record = await finishedRecord('doomed');
    expect(record?.completed).toBe(true);
    expect(record?.error).toMatch(/terminating connection due to administrator command/);
    await serves(bystander);
    await serves(await connected());
    await bystander.end();
  });

  it('ends the session with a sluice: 08006 error when the upstream connection is cut without a word', async () => {
    const victim = await connected();
    const outcome = victim.query(slowResult('cut')).then(
      () => 'finished',
      (error: unknown) => error,
    );
    await untilRunning('cut');
    proxy.cutAll();
    const error = (await outcome) as { code?: string; message?: string };
    expect(error).toMatchObject({ code: '08006' });
    expect(error.message).toMatch(/^sluice: /);
    const record = await finishedRecord('cut');
    expect(record?.completed).toBe(true);
    expect(record?.error).toBe('session ended: server closed the connection');
    await serves(await connected());
  });
});

describe('an upstream that cannot be reached (PostgreSQL)', () => {
  it('refuses the sign-in with a sluice: 08006 error, and serves again once the server is back', async () => {
    await proxy.stop();
    try {
      const client = new pg.Client({ connectionString: h.url() });
      client.on('error', () => undefined);
      const error = (await client.connect().then(
        () => 'connected',
        (e: unknown) => e,
      )) as { code?: string; message?: string };
      expect(error).toMatchObject({ code: '08006' });
      expect(error.message).toMatch(/^sluice: .*unavailable/);
    } finally {
      await proxy.resume();
    }
    const client = await connected();
    await serves(client);
    await client.end();
  });
});

describe('a client that vanishes mid-result (PostgreSQL)', () => {
  const sessionBackends = async (): Promise<number> =>
    Number(
      (
        await server.psql(
          `SELECT count(*) FROM pg_stat_activity WHERE usename = '${server.roles.scram}' AND pid <> pg_backend_pid()`,
        )
      ).trim(),
    );

  for (const [label, marker, sql] of [
    ['a streaming result', 'vanished-stream', slowResult('vanished-stream')],
    ['a statement that sends nothing yet', 'vanished-silent', 'SELECT pg_sleep(3600) /* vanished-silent */'],
  ] as const) {
    it(`cancels ${label} upstream and leaves no upstream connection behind`, async () => {
      const before = await sessionBackends();
      const client = await connected();
      const stream = (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream;
      client.query(sql).catch(() => undefined);
      await untilRunning(marker);
      stream.destroy();
      expect(await untilGone(marker)).toBe(0);
      let after = await sessionBackends();
      for (let tries = 0; after > before && tries < 100; tries++) {
        await pause(50);
        after = await sessionBackends();
      }
      expect(after).toBeLessThanOrEqual(before);
      const record = await finishedRecord(marker);
      expect(record?.completed).toBe(true);
      expect(record?.error).toBe('session ended: client disconnected');
    });
  }
});

describe('an upstream server process that dies mid-result (PostgreSQL)', () => {
  // Last: the scratch server does not come back.
  it('ends the running statement with an error, journals it, and refuses new sign-ins clearly', async () => {
    const victim = await connected();
    const outcome = victim.query(slowResult('crash')).then(
      () => 'finished',
      (error: unknown) => error,
    );
    await untilRunning('crash');
    await server.stop(); // pg_ctl stop -m immediate: the postmaster and its backends quit at once
    const error = (await outcome) as { code?: string; message?: string };
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: '08006' });
    expect(error.message).toMatch(/^sluice: /);
    const record = await finishedRecord('crash');
    expect(record?.completed).toBe(true);
    expect(record?.error).toBe('session ended: server closed the connection');
    const late = new pg.Client({ connectionString: h.url() });
    late.on('error', () => undefined);
    const refused = (await late.connect().then(
      () => 'connected',
      (e: unknown) => e,
    )) as { code?: string; message?: string };
    expect(refused).toMatchObject({ code: '08006' });
    expect(refused.message).toMatch(/^sluice: /);
  });
});
