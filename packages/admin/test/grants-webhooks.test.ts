import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdminHarness, statementRequest } from './support/admin-harness.js';

const WEBHOOK_SECRET = 'hook-secret-123';

interface Delivery {
  readonly body: string;
  readonly signature: string | undefined;
  readonly status: number;
}

/** A receiver that fails the first `failures` deliveries with 503, then accepts. */
async function receiver(failures: number): Promise<{ server: Server; url: string; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const status = deliveries.length < failures ? 503 : 200;
      const signature = request.headers['x-sluice-signature'];
      deliveries.push({ body, signature: typeof signature === 'string' ? signature : undefined, status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, deliveries };
}

let h: AdminHarness;
let hook: Awaited<ReturnType<typeof receiver>>;
let policyHook: Awaited<ReturnType<typeof receiver>>;

beforeAll(async () => {
  hook = await receiver(2);
  policyHook = await receiver(0);
  h = await startAdminHarness({
    adminYaml: `  webhooks:\n    - { url: "${hook.url}", format: json, secret: ${WEBHOOK_SECRET} }`,
    policyYaml: `    approval:\n      mode: hold\n      timeout: 5m\n      webhook: ${policyHook.url}`,
    webhooks: { retryBaseMs: 50 },
  });
});

afterAll(async () => {
  await h?.close();
  hook?.server.close();
  policyHook?.server.close();
});

// First: the receiver counts its failures from the first delivery of this file.
describe('webhooks', () => {
  it('retries a failing receiver with back-off and signs every delivery', async () => {
    const request = h.gateway.control.approvals.request(statementRequest('ci-bot'));
    await waitFor(() => hook.deliveries.some((each) => each.status === 200));
    expect(hook.deliveries.map((each) => each.status)).toEqual([503, 503, 200]);
    for (const delivery of hook.deliveries) {
      const expected = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(delivery.body).digest('hex')}`;
      expect(delivery.signature).toBe(expected);
    }
    const event = JSON.parse(hook.deliveries[2]!.body);
    expect(event).toMatchObject({ type: 'approval', action: 'requested', request: { id: request.id } });
    await waitFor(() => policyHook.deliveries.length > 0);
    expect(policyHook.deliveries[0]!.signature).toBeUndefined();
    expect(JSON.parse(policyHook.deliveries[0]!.body).request.id).toBe(request.id);
  });
});

describe('grants', () => {
  it('creates, lists and revokes a grant; only admins may', async () => {
    const body = {
      identity: 'ci-bot',
      connection: 'orders',
      allow: ['write'],
      for: '30m',
      reason: 'backfill',
    };
    const auditor = `Bearer ${await h.jwt('carol', ['audit'])}`;
    expect((await h.api('POST', '/api/grants', { auth: auditor, body })).status).toBe(403);
    const created = await h.api('POST', '/api/grants', { body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ identity: 'ci-bot', allow: ['write'], state: 'active' });
    expect(h.gateway.control.grants.activeFor({ name: 'ci-bot', groups: [] }, 'orders')).toHaveLength(1);
    const listed = await h.api('GET', '/api/grants', { auth: auditor });
    expect(listed.body.map((grant: { id: string }) => grant.id)).toEqual([created.body.id]);
    const revoked = await h.api('POST', `/api/grants/${created.body.id}/revoke`, { body: {} });
    expect(revoked.body).toMatchObject({ state: 'revoked', revoked_by: 'admin-token' });
    expect((await h.api('GET', '/api/grants')).body).toEqual([]);
    expect((await h.api('GET', '/api/grants?all=true')).body).toHaveLength(1);
    expect((await h.api('POST', `/api/grants/${created.body.id}/revoke`, { body: {} })).status).toBe(409);
  });

  it('refuses a bad grant with 400', async () => {
    const base = { identity: 'ci-bot', connection: 'orders', allow: ['write'], for: '30m', reason: 'x' };
    for (const body of [
      { ...base, connection: 'nowhere' },
      { ...base, for: 'soon' },
      { ...base, allow: ['everything'] },
      { ...base, group: 'ci' },
    ]) {
      const reply = await h.api('POST', '/api/grants', { body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error).toMatch(/^sluice: /);
    }
  });

  it('lets a service account request a grant for itself, which takes effect once approved', async () => {
    const basic = `Basic ${Buffer.from(`${h.agent.name}:${h.agent.secret}`).toString('base64')}`;
    const wrong = `Basic ${Buffer.from(`${h.agent.name}:wrong`).toString('base64')}`;
    const body = { connection: 'orders', allow: ['write'], for: '10m', reason: 'fix a row' };
    expect((await h.api('POST', '/api/grants/requests', { auth: wrong, body })).status).toBe(401);
    const requested = await h.api('POST', '/api/grants/requests', { auth: basic, body });
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({
      identity: 'ci-bot',
      subject: { kind: 'grant' },
      state: 'pending',
    });
    expect((await h.api('GET', '/api/grants', { auth: basic })).status).toBe(403);
    const own = await h.api('GET', `/api/approvals/${requested.body.id}`, { auth: basic });
    expect(own.status).toBe(200);
    const approver = `Bearer ${await h.jwt('bob', ['dba'])}`;
    await h.api('POST', `/api/approvals/${requested.body.id}/approve`, { auth: approver, body: {} });
    const grants = (await h.api('GET', '/api/grants')).body;
    expect(grants).toContainEqual(
      expect.objectContaining({ identity: 'ci-bot', request: requested.body.id, created_by: 'bob' }),
    );
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
