import { createServer, type Server } from 'node:net';
import { makeVerifiers } from '@sluice/identity';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

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

async function connectError(url: string): Promise<{ code?: string; message: string }> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    return error as { code?: string; message: string };
  } finally {
    await client.end().catch(() => undefined);
  }
  throw new Error('connection unexpectedly succeeded');
}

describe('client authentication', () => {
  let h: Harness;
  let sentinel: Awaited<ReturnType<typeof sentinelUpstream>>;
  const logLines: string[] = [];
  beforeAll(async () => {
    sentinel = await sentinelUpstream();
    h = await startHarness({ upstream: { host: '127.0.0.1', port: sentinel.port }, logLines });
  });
  afterAll(async () => {
    await h?.close();
    sentinel?.server.close();
  });

  it('refuses a wrong service-account secret with 28P01', async () => {
    const error = await connectError(h.url(h.agent.name, 'sluice_wrong'));
    expect(error).toMatchObject({ code: '28P01' });
    expect(error.message).toBe(`sluice: password authentication failed for user "${h.agent.name}"`);
  });

  it('refuses a replication start-up with a warning in the log and a failed sign-in in the journal, reaching nothing', async () => {
    const client = new pg.Client({ connectionString: h.url(), replication: 'database' });
    await expect(client.connect()).rejects.toMatchObject({
      code: '0A000',
      message: 'sluice: replication connections are not supported',
    });
    await client.end().catch(() => undefined);
    const refusal = logLines.map((line) => JSON.parse(line)).find((line) => line.replication);
    expect(refusal).toMatchObject({
      level: 40,
      msg: 'replication connection refused',
      replication: 'database',
    });
    expect(sentinel.connections()).toBe(0);
    await expect
      .poll(() =>
        h.journal.records
          .search({ type: 'sign_in_failed' })
          .records.map((record) => record.payload)
          .find((payload) => payload.method === 'replication'),
      )
      .toMatchObject({ user: h.agent.name, cause: 'refused', protocol: 'postgres' });
  });

  it('refuses an unknown user who sends no token', async () => {
    const error = await connectError(h.url('nobody', 'hunter2'));
    expect(error.code).toBe('28P01');
    expect(error.message).toMatch(/^sluice: /);
  });

  it('refuses expired, early, wrong-audience, foreign-issuer and badly signed tokens', async () => {
    const cases: [string, Promise<string>][] = [
      ['token expired', h.issuer.sign({ sub: 'alice' }, { expiresIn: -60 })],
      ['token not yet valid', h.issuer.sign({ sub: 'alice' }, { notBefore: '10m' })],
      ['wrong audience', h.issuer.sign({ sub: 'alice' }, { audience: 'someone-else' })],
      ['unknown issuer', h.issuer.sign({ sub: 'alice' }, { issuer: 'https://evil.test/' })],
    ];
    for (const [reason, token] of cases) {
      const error = await connectError(h.url('alice', await token));
      expect(error, reason).toMatchObject({ code: '28P01', message: `sluice: token rejected: ${reason}` });
    }
    const good = await h.issuer.sign({ sub: 'alice' });
    const [header, payload] = good.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    expect(await connectError(h.url('alice', forged))).toMatchObject({
      code: '28P01',
      message: 'sluice: token rejected: signature invalid',
    });
  });

  it('refuses a revoked service account even with the right secret', async () => {
    const secret = h.addAgent('retired-bot');
    h.journal.revokeAccount('retired-bot', 'test', 'retired');
    const error = await connectError(h.url('retired-bot', secret));
    expect(error.message).toBe('sluice: service account "retired-bot" is revoked');
  });

  it('never opened a connection to the upstream for any failed login', () => {
    expect(sentinel.connections()).toBe(0);
  });
});

describe('identities that log in', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('accepts a service account created while the gateway runs', async () => {
    const secret = h.addAgent('late-bot', ['ci']);
    const client = new pg.Client({ connectionString: h.url('late-bot', secret) });
    await client.connect();
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await client.end();
  });

  it('accepts a service account whose secret is not ASCII (SCRAM over SASLprep)', async () => {
    const secret = 'sluice_pässwörd-日本';
    h.journal.createAccount(
      { name: 'unicode-bot', groups: [], expiresAt: null, verifiers: { ...makeVerifiers(secret) } },
      'test',
    );
    const client = new pg.Client({ connectionString: h.url('unicode-bot', secret) });
    await client.connect();
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await client.end();
    const wrong = new pg.Client({ connectionString: h.url('unicode-bot', 'sluice_passwort') });
    await expect(wrong.connect()).rejects.toMatchObject({ code: '28P01' });
    await wrong.end().catch(() => undefined);
  });

  it('accepts a valid JWT as the password and journals its subject', async () => {
    const token = await h.issuer.sign({ sub: 'alice@example.com', groups: ['analysts'] });
    const client = new pg.Client({ connectionString: h.url('alice', token) });
    await client.connect();
    await client.query("SELECT 'jwt-statement'");
    await client.end();
    const statements = [...h.journal.statements({ identity: 'alice@example.com' })];
    expect(statements.map((s) => s.statement)).toContain("SELECT 'jwt-statement'");
    expect(statements[0]?.groups).toEqual(['analysts']);
  });

  it('closes the open sessions of a revoked identity within a second and refuses new ones', async () => {
    const secret = h.addAgent('doomed-bot');
    const client = new pg.Client({ connectionString: h.url('doomed-bot', secret) });
    await client.connect();
    const ended = new Promise<Error>((resolve) => client.on('error', resolve));
    const started = Date.now();
    h.revokeAgent('doomed-bot');
    const error = await ended;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error.message).toBe('sluice: service account "doomed-bot" was revoked');
    await client.end().catch(() => undefined);
    const refused = await connectError(h.url('doomed-bot', secret));
    expect(refused.message).toBe('sluice: service account "doomed-bot" is revoked');
  });

  it('refuses a sign-in once a revocation ended the sessions, before its journal has the account revoked', async () => {
    // A gateway sharing a store ends the sessions on another gateway's notice, and its replica
    // of the accounts learns of the revocation a moment later: a client must not slip in between.
    const secret = h.addAgent('announced-bot');
    const client = new pg.Client({ connectionString: h.url('announced-bot', secret) });
    await client.connect();
    const ended = new Promise<Error>((resolve) => client.on('error', resolve));
    h.gateway.control.sessions.terminateIdentity(
      'announced-bot',
      'service account "announced-bot" was revoked',
    );
    expect((await ended).message).toBe('sluice: service account "announced-bot" was revoked');
    await client.end().catch(() => undefined);
    expect(h.journal.getAccount('announced-bot')?.status).toBe('active');
    const refused = await connectError(h.url('announced-bot', secret));
    expect(refused.message).toBe('sluice: service account "announced-bot" is revoked');
  });
});

describe.each(['scram', 'md5', 'clear', 'trust'] as const)(
  'upstream login with %s authentication',
  (role) => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ upstreamRole: role });
    });
    afterAll(() => h?.close());

    it('logs in with the configured role, which the caller never sees', async () => {
      const client = new pg.Client({ connectionString: h.url() });
      await client.connect();
      const { rows } = await client.query('SELECT current_user AS who');
      expect(rows[0].who).toBe(h.pg.roles[role]);
      await client.end();
    });
  },
);
