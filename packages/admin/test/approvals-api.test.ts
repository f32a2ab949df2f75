import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../src/index.js';
import {
  type AdminHarness,
  adminRecords,
  startAdminHarness,
  statementRequest,
} from './support/admin-harness.js';

let h: AdminHarness;

beforeAll(async () => {
  h = await startAdminHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('authentication', () => {
  it('refuses a wrong token with 401 and journals the refusal', async () => {
    const reply = await h.api('GET', '/api/approvals', { auth: 'Bearer not-the-token' });
    expect(reply.status).toBe(401);
    expect(reply.body.error).toMatch(/^sluice: invalid admin token/);
    const record = adminRecords(h).at(-1);
    expect(record).toMatchObject({ status: 401, method: 'GET', path: '/api/approvals', actor: null });
    expect(String(record?.reason)).toContain('invalid admin token');
    expect(JSON.stringify(record)).not.toContain('not-the-token');
  });

  it('refuses a missing Authorization header and a JWT from another issuer', async () => {
    expect((await h.api('GET', '/api/sessions', { auth: null })).status).toBe(401);
    const { makeJwtIssuer } = await import('@sluice/testkit');
    const stranger = await makeJwtIssuer('https://stranger.test/');
    const token = await stranger.sign({ sub: 'mallory', groups: ['dba'] });
    expect((await h.api('GET', '/api/sessions', { auth: `Bearer ${token}` })).status).toBe(401);
  });

  it('serves health and readiness without credentials', async () => {
    expect(await h.api('GET', '/healthz', { auth: null })).toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
    const ready = await h.api('GET', '/readyz', { auth: null });
    expect(ready.status).toBe(200);
    expect(ready.body.ready).toBe(true);
    expect(ready.body.checks.map((check: { name: string }) => check.name)).toContain('upstream orders');
    const orders = await h.api('GET', '/readyz?connection=orders', { auth: null });
    expect(orders.status).toBe(200);
    expect(orders.body.checks).toContainEqual({
      name: 'upstream orders',
      ok: true,
      detail: `${h.pg.host}:${h.pg.port}`,
      connection: 'orders',
    });
    expect(await h.api('GET', '/readyz?connection=billing', { auth: null })).toMatchObject({
      status: 404,
      body: { error: 'sluice: no connection "billing"; connections: orders' },
    });
  });

  it('publishes an OpenAPI document naming every route', async () => {
    const reply = await h.api('GET', '/api/openapi.json', { auth: null });
    expect(reply.status).toBe(200);
    expect(reply.body.openapi).toBe('3.1.0');
    for (const path of [
      '/api/approvals',
      '/api/approvals/{id}',
      '/api/approvals/{id}/approve',
      '/api/approvals/{id}/deny',
      '/api/approvals/events',
      '/api/grants',
      '/api/grants/{id}/revoke',
      '/api/grants/requests',
      '/api/sessions',
      '/api/sessions/{id}/kill',
      '/api/agents',
      '/api/agents/{name}/revoke',
      '/api/agents/{name}/rotate',
      '/api/sessions/history',
      '/api/sessions/{id}/replay',
      '/api/journal/statements',
      '/api/journal/verify',
      '/api/overview',
      '/api/whoami',
      '/metrics',
      '/healthz',
      '/readyz',
    ]) {
      expect(Object.keys(reply.body.paths)).toContain(path);
    }
  });

  it('answers an unknown route with a JSON 404', async () => {
    const reply = await h.api('GET', '/api/nothing');
    expect(reply).toMatchObject({ status: 404, body: { error: 'sluice: no route GET /api/nothing' } });
  });
});

describe('approvals', () => {
  it('lets an approver approve, resolving the held statement’s promise', async () => {
    const request = h.gateway.control.approvals.request(statementRequest('ci-bot'));
    const outcome = h.gateway.control.approvals.outcome(request.id);
    const bob = await h.jwt('bob', ['dba']);
    const listed = await h.api('GET', '/api/approvals?state=pending', { auth: `Bearer ${bob}` });
    expect(listed.status).toBe(200);
    expect(listed.body.map((each: { id: string }) => each.id)).toContain(request.id);
    const approved = await h.api('POST', `/api/approvals/${request.id}/approve`, {
      auth: `Bearer ${bob}`,
      body: {},
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: request.id, state: 'approved', approvals: [{ by: 'bob' }] });
    await expect(outcome).resolves.toMatchObject({ kind: 'approved', approvers: ['bob'] });
    expect(adminRecords(h).at(-1)).toMatchObject({
      actor: 'bob',
      via: 'oidc',
      method: 'POST',
      path: `/api/approvals/${request.id}/approve`,
      status: 200,
    });
  });

  it('refuses an auditor who tries to approve with 403 and journals it', async () => {
    const request = h.gateway.control.approvals.request(statementRequest('ci-bot'));
    const carol = await h.jwt('carol', ['audit']);
    const shown = await h.api('GET', `/api/approvals/${request.id}`, { auth: `Bearer ${carol}` });
    expect(shown.status).toBe(200);
    const reply = await h.api('POST', `/api/approvals/${request.id}/approve`, {
      auth: `Bearer ${carol}`,
      body: {},
    });
    expect(reply.status).toBe(403);
    expect(h.gateway.control.approvals.get(request.id)?.state).toBe('pending');
    expect(adminRecords(h).at(-1)).toMatchObject({ actor: 'carol', status: 403 });
    h.gateway.control.approvals.withdraw(request.id, 'test over');
  });

  it('refuses self-approval and a denial without a reason; denies with one', async () => {
    const request = h.gateway.control.approvals.request(statementRequest('dave'));
    const dave = await h.jwt('dave', ['dba']);
    const self = await h.api('POST', `/api/approvals/${request.id}/approve`, {
      auth: `Bearer ${dave}`,
      body: {},
    });
    expect(self.status).toBe(403);
    expect(self.body.error).toContain('nobody approves their own request');
    const bob = `Bearer ${await h.jwt('bob', ['dba'])}`;
    expect((await h.api('POST', `/api/approvals/${request.id}/deny`, { auth: bob, body: {} })).status).toBe(
      400,
    );
    const denied = await h.api('POST', `/api/approvals/${request.id}/deny`, {
      auth: bob,
      body: { reason: 'not during the freeze' },
    });
    expect(denied.body).toMatchObject({
      state: 'denied',
      denial: { by: 'bob', reason: 'not during the freeze' },
    });
    const again = await h.api('POST', `/api/approvals/${request.id}/approve`, { auth: bob, body: {} });
    expect(again.status).toBe(409);
    expect((await h.api('GET', '/api/approvals/apr-nothing', { auth: bob })).status).toBe(404);
  });

  it('shows a person without a role only their own requests', async () => {
    const mine = h.gateway.control.approvals.request(statementRequest('erin'));
    const other = h.gateway.control.approvals.request(statementRequest('ci-bot'));
    const erin = `Bearer ${await h.jwt('erin', ['dev'])}`;
    const listed = await h.api('GET', '/api/approvals', { auth: erin });
    const ids = listed.body.map((each: { id: string }) => each.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(other.id);
    expect((await h.api('GET', `/api/approvals/${other.id}`, { auth: erin })).status).toBe(404);
    expect((await h.api('GET', '/api/sessions', { auth: erin })).status).toBe(403);
  });

  it('streams approval events over SSE', async () => {
    const client = new AdminClient({ url: h.admin.url, token: await h.jwt('bob', ['dba']) });
    const controller = new AbortController();
    const seen: { action: string; id: string }[] = [];
    const watching = client.watchApprovals((event) => {
      seen.push({ action: event.action, id: event.request.id });
    }, controller.signal);
    await waitFor(() => seen.length > 0);
    const request = h.gateway.control.approvals.request(statementRequest('ci-bot', 'UPDATE t SET a = 1'));
    await client.deny(request.id, 'no');
    await waitFor(() => seen.some((each) => each.id === request.id && each.action === 'denied'));
    expect(seen.filter((each) => each.id === request.id).map((each) => each.action)).toEqual([
      'requested',
      'denied',
    ]);
    controller.abort();
    await watching;
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
