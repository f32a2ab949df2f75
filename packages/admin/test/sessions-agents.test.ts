import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, adminRecords, startAdminHarness } from './support/admin-harness.js';

let h: AdminHarness;

beforeAll(async () => {
  h = await startAdminHarness();
});

afterAll(async () => {
  await h?.close();
});

async function connect(url: string): Promise<{ client: pg.Client; errors: Error[]; ended: Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  const errors: Error[] = [];
  client.on('error', (error) => errors.push(error));
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  await client.connect();
  return { client, errors, ended };
}

async function backendPid(client: pg.Client): Promise<number> {
  return (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
}

describe('sessions', () => {
  it('lists a live session and kills it: the client gets an error, the backend is gone', async () => {
    const { client, errors, ended } = await connect(h.pgUrl());
    const pid = await backendPid(client);
    const auditor = `Bearer ${await h.jwt('carol', ['audit'])}`;
    const listed = await h.api('GET', '/api/sessions', { auth: auditor });
    expect(listed.status).toBe(200);
    const session = listed.body.find((each: { identity: string }) => each.identity === 'ci-bot');
    expect(session).toMatchObject({ connection: 'orders', protocol: 'postgres', statements: 1 });
    expect(
      (await h.api('POST', `/api/sessions/${session.id}/kill`, { auth: auditor, body: {} })).status,
    ).toBe(403);
    const killed = await h.api('POST', `/api/sessions/${session.id}/kill`, { body: { reason: 'test' } });
    expect(killed).toMatchObject({ status: 200, body: { id: session.id, killed: true } });
    await ended;
    expect(errors.map((error) => error.message)).toContain('sluice: session terminated by admin-token: test');
    await expect(client.query('SELECT 1')).rejects.toThrow();
    await waitUntil(
      async () => (await h.pg.psql(`SELECT count(*) FROM pg_stat_activity WHERE pid = ${pid}`)) === '0',
    );
    expect((await h.api('POST', `/api/sessions/${session.id}/kill`, { body: {} })).status).toBe(404);
  });
});

describe('agents', () => {
  it('adds a service account whose secret logs in through the gateway, then lists it', async () => {
    const reply = await h.api('POST', '/api/agents', { body: { name: 'etl-job', groups: ['etl'] } });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ name: 'etl-job', groups: ['etl'], status: 'active' });
    expect(reply.body.secret).toMatch(/^sluice_/);
    const { client } = await connect(h.pgUrl('etl-job', reply.body.secret));
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await client.end();
    const names = (await h.api('GET', '/api/agents')).body.map((each: { name: string }) => each.name);
    expect(names).toEqual(expect.arrayContaining(['ci-bot', 'etl-job']));
    const record = h.gateway.journal
      .tail(20)
      .find((entry) => entry.type === 'account' && entry.ref === 'etl-job');
    expect(record?.payload).toMatchObject({ action: 'create', actor: 'admin-token' });
    expect((await h.api('POST', '/api/agents', { body: { name: 'etl-job' } })).status).toBe(409);
  });

  it('rotates a secret: the old one stops working, the new one works', async () => {
    await h.api('POST', '/api/agents', { body: { name: 'rotor' } });
    const rotated = await h.api('POST', '/api/agents/rotor/rotate', { body: {} });
    expect(rotated.status).toBe(200);
    const { client } = await connect(h.pgUrl('rotor', rotated.body.secret));
    await client.end();
  });

  it('revokes a service account and closes its open session within a second', async () => {
    const added = await h.api('POST', '/api/agents', { body: { name: 'doomed' } });
    const { client, ended } = await connect(h.pgUrl('doomed', added.body.secret));
    const pid = await backendPid(client);
    const started = Date.now();
    const revoked = await h.api('POST', '/api/agents/doomed/revoke', { body: { reason: 'leaked' } });
    expect(revoked).toMatchObject({ status: 200, body: { name: 'doomed', status: 'revoked' } });
    await ended;
    expect(Date.now() - started).toBeLessThan(1000);
    await waitUntil(
      async () => (await h.pg.psql(`SELECT count(*) FROM pg_stat_activity WHERE pid = ${pid}`)) === '0',
    );
    await expect(connect(h.pgUrl('doomed', added.body.secret))).rejects.toThrow();
    expect(adminRecords(h).at(-1)).toMatchObject({ actor: 'admin-token', path: '/api/agents/doomed/revoke' });
  });

  it('lets only admins change accounts', async () => {
    const approver = `Bearer ${await h.jwt('bob', ['dba'])}`;
    expect((await h.api('POST', '/api/agents', { auth: approver, body: { name: 'nope' } })).status).toBe(403);
    const alice = `Bearer ${await h.jwt('alice')}`;
    expect((await h.api('POST', '/api/agents', { auth: alice, body: { name: 'by-alice' } })).status).toBe(
      201,
    );
  });
});

describe('metrics', () => {
  it('serves Prometheus text whose open-sessions gauge follows a client', async () => {
    const before = await h.api('GET', '/metrics');
    expect(before.status).toBe(200);
    for (const name of [
      'sluice_sessions_open',
      'sluice_statements_total',
      'sluice_statement_sluice_seconds',
      'sluice_statement_database_seconds',
      'sluice_bytes_relayed_total',
      'sluice_journal_commit_seconds',
      'sluice_journal_queue_depth',
      'sluice_approvals_pending',
      'sluice_approvals_decided_total',
      'sluice_grants_active',
    ]) {
      expect(before.text).toContain(`# TYPE ${name} `);
    }
    expect(openSessions(before.text)).toBe(0);
    const { client } = await connect(h.pgUrl());
    expect(openSessions((await h.api('GET', '/metrics')).text)).toBe(1);
    await client.query('SELECT 1');
    await client.query('DROP TABLE nothing_here').catch(() => undefined);
    const during = (await h.api('GET', '/metrics')).text;
    expect(sample(during, 'sluice_statements_total', 'decision="allowed"')).toBeGreaterThan(
      sample(before.text, 'sluice_statements_total', 'decision="allowed"'),
    );
    expect(sample(during, 'sluice_statement_database_seconds_count', 'connection="orders"')).toBeGreaterThan(
      0,
    );
    expect(sample(during, 'sluice_journal_commit_seconds_count', '')).toBeGreaterThan(0);
    await client.end();
    await waitUntil(async () => openSessions((await h.api('GET', '/metrics')).text) === 0);
    const after = (await h.api('GET', '/metrics')).text;
    expect(sample(after, 'sluice_bytes_relayed_total', 'direction="to_client"')).toBeGreaterThan(0);
    expect((await h.api('GET', '/metrics', { auth: null })).status).toBe(401);
  });
});

/** The value of the first sample of `name` whose labels contain `label` (0 when there is none). */
function sample(text: string, name: string, label: string): number {
  const line = text
    .split('\n')
    .find((each) => (each.startsWith(`${name}{`) || each.startsWith(`${name} `)) && each.includes(label));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

function openSessions(text: string): number {
  const line = text
    .split('\n')
    .find((each) => each.startsWith('sluice_sessions_open{') && each.includes('connection="orders"'));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
