import { connect as connectTcp, type Socket } from 'node:net';
import { type ScratchMariadb, type ScratchPostgres, startMariadb, startPostgres } from '@sluice/testkit';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

/**
 * `limits.max_connections`, `limits.max_connections_per_identity` and `limits.handshake_timeout`,
 * through real drivers and raw sockets, against scratch servers.
 */

const LIMITS = `  max_connections: 3
  max_connections_per_identity: 2
  handshake_timeout: 1s`;

let pgServer: ScratchPostgres;
let mariadb: ScratchMariadb;
beforeAll(async () => {
  [pgServer, mariadb] = await Promise.all([startPostgres(), startMariadb()]);
});
afterAll(async () => {
  await Promise.all([pgServer?.stop(), mariadb?.stop()]);
});

interface PgFailure {
  readonly code?: string;
  readonly severity?: string;
  readonly message: string;
}

async function pgConnectError(url: string): Promise<PgFailure> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    return error as PgFailure;
  } finally {
    await client.end().catch(() => undefined);
  }
  throw new Error('expected the connection to be refused');
}

/** Sends `bytes` one per `everyMs`, and resolves with how long the gateway took to close the socket. */
function dribble(
  port: number,
  bytes: Buffer,
  everyMs: number,
): Promise<{ closedAfterMs: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let sent = 0;
    const socket: Socket = connectTcp({ host: '127.0.0.1', port });
    const timer = setInterval(() => {
      if (sent < bytes.length && !socket.destroyed) socket.write(bytes.subarray(sent, sent + 1));
      sent += 1;
    }, everyMs);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ closedAfterMs: Date.now() - started, sent });
    });
    setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error('the gateway kept a dribbling client for 10 s'));
    }, 10_000).unref();
  });
}

/** A StartupMessage for user ci-bot, written by hand (protocol 3.0). */
function startupMessage(): Buffer {
  const body = Buffer.from('user\0ci-bot\0database\0app\0\0');
  const header = Buffer.alloc(8);
  header.writeInt32BE(8 + body.length, 0);
  header.writeInt32BE(3 << 16, 4);
  return Buffer.concat([header, body]);
}

async function signInFailures(journal: Harness['journal']): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const records = journal.records
      .search({ type: 'sign_in_failed' })
      .records.map((record) => record.payload as Record<string, unknown>);
    if (records.length > 0 || Date.now() > deadline) return records;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('connection limits (PostgreSQL)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ pg: pgServer, limitsYaml: LIMITS });
  });
  afterAll(() => h?.close());

  it('refuses a session over the per-identity limit with 53300, and admits it once one closes', async () => {
    const first = new pg.Client({ connectionString: h.url() });
    const second = new pg.Client({ connectionString: h.url() });
    await first.connect();
    await second.connect();
    try {
      const refused = await pgConnectError(h.url());
      expect(refused.code).toBe('53300');
      expect(refused.severity).toBe('FATAL');
      expect(refused.message).toBe(
        'sluice: too many connections for "ci-bot": 2 sessions at once at most (limits.max_connections_per_identity)',
      );
      // Another identity is not held back by ci-bot's sessions.
      const other = h.addAgent('report-bot');
      const third = new pg.Client({ connectionString: h.url('report-bot', other) });
      await third.connect();
      expect((await third.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      // The gateway is now full: any fourth connection is refused, whoever it is.
      const full = await pgConnectError(h.url('report-bot', other));
      expect(full.code).toBe('53300');
      expect(full.message).toBe(
        'sluice: too many connections: the gateway allows 3 at once (limits.max_connections)',
      );
      await third.end();
      await second.end();
      await waitFor(() => h.gateway.sessionCount === 1);
      const again = new pg.Client({ connectionString: h.url() });
      await again.connect();
      expect((await again.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
      await again.end();
    } finally {
      await first.end().catch(() => undefined);
      await second.end().catch(() => undefined);
    }
  });

  it('closes a client that sends its startup one byte at a time, and journals the failed sign-in', async () => {
    await waitFor(() => h.gateway.sessionCount === 0);
    const { closedAfterMs, sent } = await dribble(h.port, startupMessage(), 100);
    expect(sent).toBeLessThan(startupMessage().length);
    expect(closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(closedAfterMs).toBeLessThan(3000);
    const records = await signInFailures(h.journal);
    expect(records).toContainEqual(
      expect.objectContaining({
        method: 'handshake',
        cause: 'timeout',
        connection: 'orders',
        protocol: 'postgres',
        client_address: '127.0.0.1',
      }),
    );
    // A client that signs in at normal speed is unaffected.
    const client = new pg.Client({ connectionString: h.url() });
    await client.connect();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await client.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
    await client.end();
  });
});

describe('connection limits (MySQL)', () => {
  let h: MysqlHarness;
  beforeAll(async () => {
    h = await startMysqlHarness({ db: mariadb, limitsYaml: LIMITS });
  });
  afterAll(() => h?.close());

  async function mysqlConnectError(options: mysql.ConnectionOptions): Promise<mysql.QueryError> {
    try {
      const connection = await mysql.createConnection(options);
      await connection.end();
    } catch (error) {
      return error as mysql.QueryError;
    }
    throw new Error('expected the connection to be refused');
  }

  it('refuses a session over the per-identity limit with 1203 and a full gateway with 1040', async () => {
    const first = await mysql.createConnection(h.options());
    const second = await mysql.createConnection(h.options());
    try {
      const refused = await mysqlConnectError(h.options());
      expect(refused.errno).toBe(1203);
      expect(refused.sqlState).toBe('42000');
      expect(refused.message).toBe(
        'sluice: too many connections for "ci-bot": 2 sessions at once at most (limits.max_connections_per_identity)',
      );
      const other = h.addAgent('report-bot');
      const third = await mysql.createConnection(h.options('report-bot', other));
      const [rows] = await third.query('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
      const full = await mysqlConnectError(h.options('report-bot', other));
      expect(full.errno).toBe(1040);
      expect(full.message).toBe(
        'sluice: too many connections: the gateway allows 3 at once (limits.max_connections)',
      );
      await third.end();
      await second.end();
      await waitFor(() => h.gateway.sessionCount === 1);
      const again = await mysql.createConnection(h.options());
      const [more] = await again.query('SELECT 2 AS two');
      expect(more).toEqual([{ two: 2 }]);
      await again.end();
    } finally {
      await first.end().catch(() => undefined);
      await second.end().catch(() => undefined);
    }
  });

  it('closes a client that sends its handshake response one byte at a time', async () => {
    await waitFor(() => h.gateway.sessionCount === 0);
    // Any bytes will do: the gateway waits for a whole packet, which never comes in time.
    const packet = Buffer.alloc(64, 1);
    packet.writeUIntLE(60, 0, 3);
    const { closedAfterMs, sent } = await dribble(h.port, packet, 100);
    expect(sent).toBeLessThan(packet.length);
    expect(closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(closedAfterMs).toBeLessThan(3000);
    const records = await signInFailures(h.journal);
    expect(records).toContainEqual(
      expect.objectContaining({ method: 'handshake', cause: 'timeout', protocol: 'mysql' }),
    );
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
