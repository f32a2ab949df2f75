import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import mysql, { type ConnectionOptions } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

type AuthPluginFactory = (options: {
  onServerPublicKey?: (key: Buffer) => void;
}) => NonNullable<ConnectionOptions['authPlugins']>[string];
// mysql2 exports its auth plugins from the callback entry point only, without types.
const { authPlugins } = createRequire(import.meta.url)('mysql2') as {
  authPlugins: { caching_sha2_password: AuthPluginFactory };
};

/** An upstream that counts connections: failed logins must never reach it. */
async function sentinelUpstream(): Promise<{ server: Server; port: number; connections: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return { server, port: address.port, connections: () => count };
}

async function connectError(
  options: ConnectionOptions,
): Promise<{ errno?: number; sqlState?: string; message: string }> {
  try {
    const connection = await mysql.createConnection(options);
    await connection.end();
  } catch (error) {
    return error as { errno?: number; sqlState?: string; message: string };
  }
  throw new Error('connection unexpectedly succeeded');
}

async function whoAmI(options: ConnectionOptions): Promise<string> {
  const connection = await mysql.createConnection(options);
  try {
    const [rows] = await connection.query('SELECT CURRENT_USER() AS who');
    return (rows as { who: string }[])[0]?.who ?? '';
  } finally {
    await connection.end();
  }
}

describe('MySQL client authentication failures', () => {
  let h: MysqlHarness;
  let sentinel: Awaited<ReturnType<typeof sentinelUpstream>>;
  let connectionsAtStart = 0;
  beforeAll(async () => {
    sentinel = await sentinelUpstream();
    h = await startMysqlHarness({ upstream: { host: '127.0.0.1', port: sentinel.port } });
    // The listener's own first look at the upstream, made when it starts, is not a client's.
    for (let tries = 0; tries < 50 && sentinel.connections() === 0; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    connectionsAtStart = sentinel.connections();
  });
  afterAll(async () => {
    await h?.close();
    sentinel?.server.close();
  });

  it('refuses a wrong service-account secret with 1045 / 28000', async () => {
    const error = await connectError(h.options(h.agent.name, 'sluice_wrong'));
    expect(error).toMatchObject({ errno: 1045, sqlState: '28000' });
    expect(error.message).toBe(`sluice: access denied for user '${h.agent.name}'`);
  });

  it('refuses a wrong secret over caching_sha2_password and its full authentication too', async () => {
    h.addAgent('sha2-bot', [], ['cachingSha2']);
    h.addAgent('full-auth-bot', [], []);
    for (const user of ['sha2-bot', 'full-auth-bot']) {
      expect(await connectError(h.options(user, 'sluice_wrong')), user).toMatchObject({ errno: 1045 });
    }
  });

  it('refuses an unknown user who sends no token, and bad tokens with the reason', async () => {
    expect(await connectError(h.options('nobody', 'hunter2', { enableCleartextPlugin: true }))).toMatchObject(
      {
        errno: 1045,
        message: "sluice: access denied for user 'nobody'",
      },
    );
    const expired = await h.issuer.sign({ sub: 'alice' }, { expiresIn: -60 });
    expect(await connectError(h.options('alice', expired, { enableCleartextPlugin: true }))).toMatchObject({
      errno: 1045,
      message: 'sluice: token rejected: token expired',
    });
    const foreign = await h.issuer.sign({ sub: 'alice' }, { issuer: 'https://evil.test/' });
    expect(await connectError(h.options('alice', foreign, { enableCleartextPlugin: true }))).toMatchObject({
      message: 'sluice: token rejected: unknown issuer',
    });
  });

  it('refuses a revoked service account even with the right secret', async () => {
    const secret = h.addAgent('retired-bot');
    h.journal.revokeAccount('retired-bot', 'test', 'retired');
    expect(await connectError(h.options('retired-bot', secret))).toMatchObject({
      errno: 1045,
      message: 'sluice: service account "retired-bot" is revoked',
    });
  });

  it('never opened a connection to the upstream for any failed login', () => {
    expect(sentinel.connections()).toBe(connectionsAtStart);
  });

  it('says the upstream is unavailable, without details, when a proven client cannot be logged in', async () => {
    expect(await connectError(h.options())).toMatchObject({
      errno: 1105,
      message: 'sluice: the upstream database is unavailable',
    });
  });
});

describe('MySQL identities that log in', () => {
  let h: MysqlHarness;
  let upstreamUser: string;
  beforeAll(async () => {
    h = await startMysqlHarness();
    upstreamUser = `${h.db.appUser.user}@%`;
  });
  afterAll(() => h?.close());

  it('logs a service account in with mysql_native_password, as the upstream user it never sees', async () => {
    expect(await whoAmI(h.options())).toBe(upstreamUser);
  });

  it('switches an account without a native verifier to caching_sha2_password (fast path)', async () => {
    const secret = h.addAgent('sha2-only', [], ['cachingSha2']);
    expect(await whoAmI(h.options('sha2-only', secret))).toBe(upstreamUser);
  });

  it('runs caching_sha2_password full authentication with the RSA key exchange', async () => {
    let publicKey = '';
    const secret = h.addAgent('full-auth', [], []);
    const options = h.options('full-auth', secret, {
      authPlugins: {
        caching_sha2_password: authPlugins.caching_sha2_password({
          onServerPublicKey: (key: Buffer) => {
            publicKey = key.toString();
          },
        }),
      },
    });
    expect(await whoAmI(options)).toBe(upstreamUser);
    expect(publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('accepts a JWT over mysql_clear_password on loopback and journals its subject', async () => {
    const token = await h.issuer.sign({ sub: 'alice@example.com', groups: ['analysts'] });
    const connection = await mysql.createConnection(
      h.options('alice', token, { enableCleartextPlugin: true }),
    );
    await connection.query("SELECT 'jwt-statement'");
    await connection.end();
    const statements = [...h.journal.statements({ identity: 'alice@example.com' })];
    expect(statements.map((s) => s.statement)).toContain("SELECT 'jwt-statement'");
    expect(statements[0]).toMatchObject({ groups: ['analysts'], protocol: 'mysql' });
  });

  it('closes the open sessions of a revoked identity within a second', async () => {
    const secret = h.addAgent('doomed-bot');
    const connection = await mysql.createConnection(h.options('doomed-bot', secret));
    const ended = new Promise<Error>((resolve) => connection.on('error', resolve));
    const started = Date.now();
    h.revokeAgent('doomed-bot');
    const error = await ended;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error.message).toBe('sluice: service account "doomed-bot" was revoked');
    connection.destroy();
  });

  it('hands out its own thread ids and maps KILL of them to the upstream connection', async () => {
    const victim = await mysql.createConnection(h.options());
    const killer = await mysql.createConnection(h.options());
    try {
      expect(victim.threadId).toBeGreaterThanOrEqual(0x40000000);
      const [rows] = await victim.query('SELECT CONNECTION_ID() AS id');
      const upstreamId = (rows as { id: number }[])[0]?.id;
      const lost = new Promise<Error>((resolve) => victim.on('error', resolve));
      await killer.query(`KILL ${victim.threadId}`);
      const [list] = await killer.query('SELECT ID FROM information_schema.PROCESSLIST WHERE ID = ?', [
        upstreamId,
      ]);
      expect(list).toEqual([]);
      await expect(victim.query('SELECT 1')).rejects.toThrow();
      await lost;
    } finally {
      victim.destroy();
      await killer.end();
    }
  });
});
