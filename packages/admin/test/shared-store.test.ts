import { migrateStore } from '@sluice/journal';
import { type ScratchPostgres, startPostgres } from '@sluice/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ADMIN_TOKEN,
  type AdminHarness,
  startAdminHarness,
  statementRequest,
} from './support/admin-harness.js';

let server: ScratchPostgres;
let a: AdminHarness;
let b: AdminHarness;

const HOLD_UPDATES = `    rules:
      - name: updates-need-approval
        match: { kind: [update] }
        action: approve
    approval:
      mode: hold
      timeout: 5m`;

beforeAll(async () => {
  server = await startPostgres();
  await server.psql(`CREATE DATABASE sluice_store OWNER ${server.roles.scram}`);
  const store = new pg.Client({
    host: server.host,
    port: server.port,
    user: server.roles.scram,
    password: server.rolePassword,
    database: 'sluice_store',
  });
  await store.connect();
  await migrateStore(store);
  await store.end();
  await server.psql(
    `CREATE TABLE orders (id int PRIMARY KEY, status text); INSERT INTO orders VALUES (7, 'new');
     GRANT ALL ON orders TO ${server.roles.scram}`,
  );
  const journalYaml = (gatewayId: string) =>
    [
      `  store: postgres://${server.roles.scram}@${server.host}:${server.port}/sluice_store`,
      `  store_password: \${UPSTREAM_PASSWORD}`,
      `  gateway_id: ${gatewayId}`,
    ].join('\n');
  a = await startAdminHarness({ pg: server, journalYaml: journalYaml('gw-a'), policyYaml: HOLD_UPDATES });
  // Accounts live in the store: B's harness makes an agent of its own beside A's ci-bot.
  b = await startAdminHarness({
    pg: server,
    journalYaml: journalYaml('gw-b'),
    policyYaml: HOLD_UPDATES,
    agentName: 'ci-bot-b',
  });
});

afterAll(async () => {
  await b?.close();
  await a?.close();
  await server?.stop();
});

describe('two gateways on one store', () => {
  it('releases a statement held on A once approved through B’s API', async () => {
    const client = new pg.Client(a.pgUrl());
    await client.connect();
    try {
      const held = client.query("UPDATE orders SET status = 'paid' WHERE id = 7");
      const approver = `Bearer ${await b.jwt('bob', ['dba'])}`;
      let id = '';
      await vi.waitFor(
        async () => {
          const pending = await b.api('GET', '/api/approvals?state=pending', { auth: approver });
          expect(pending.body).toHaveLength(1);
          expect(pending.body[0]).toMatchObject({ gateway: 'gw-a', identity: 'ci-bot' });
          id = pending.body[0].id;
        },
        { timeout: 1000, interval: 50 },
      );
      const approved = await b.api('POST', `/api/approvals/${id}/approve`, { auth: approver, body: {} });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        id,
        state: 'approved',
        gateway: 'gw-a',
        approvals: [{ by: 'bob' }],
      });
      await expect(held).resolves.toMatchObject({ rowCount: 1 });
      expect(await server.psql('SELECT status FROM orders WHERE id = 7')).toBe('paid');
    } finally {
      await client.end();
    }
  });

  it('lists A’s session on B and ends it through B', async () => {
    const client = new pg.Client(a.pgUrl());
    const ended = new Promise<Error>((resolve) => client.on('error', resolve));
    await client.connect();
    await client.query('SELECT 1');
    // The session as A serves it, then as B lists it (from A's heartbeat, within a second or so).
    let id = '';
    await vi.waitFor(
      () => {
        const own = a.gateway.control.sessions.list().filter((session) => session.gateway === undefined);
        expect(own).toHaveLength(1);
        id = own[0]?.id ?? '';
      },
      { timeout: 1000, interval: 20 },
    );
    await vi.waitFor(
      async () => {
        const sessions = await b.api('GET', '/api/sessions');
        expect(sessions.body).toContainEqual(
          expect.objectContaining({ id, gateway: 'gw-a', identity: 'ci-bot', connection: 'orders' }),
        );
      },
      { timeout: 2500, interval: 50 },
    );
    const killed = await b.api('POST', `/api/sessions/${id}/kill`, { body: { reason: 'test' } });
    expect(killed).toMatchObject({ status: 200, body: { id, killed: true } });
    expect((await ended).message).toMatch(/^sluice: session terminated by admin-token: test/);
  });

  it('streams the requests A holds to B’s console', async () => {
    const response = await fetch(`${b.admin.url}/api/approvals/events`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes(': open')) text += decoder.decode((await reader.read()).value);
    const request = a.gateway.control.approvals.request(statementRequest('ci-bot'));
    const started = Date.now();
    while (!text.includes(request.id)) text += decoder.decode((await reader.read()).value);
    expect(Date.now() - started).toBeLessThan(1000);
    await reader.cancel();
    a.gateway.control.approvals.withdraw(request.id, 'the test ended');
    const event = text.split('\n').find((line) => line.startsWith('data: ') && line.includes(request.id));
    expect(JSON.parse(event?.slice('data: '.length) ?? '{}')).toMatchObject({
      action: 'requested',
      request: { id: request.id, gateway: 'gw-a', state: 'pending' },
    });
  });

  it('reports the control store in /readyz and /metrics', async () => {
    const ready = await b.api('GET', '/readyz', { auth: null });
    expect(ready.body.checks).toContainEqual(expect.objectContaining({ name: 'control store', ok: true }));
    const metrics = await b.api('GET', '/metrics');
    expect(metrics.text).toContain('sluice_store_up{gateway="gw-b"} 1');
  });
});
