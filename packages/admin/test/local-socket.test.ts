import { existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, type ApprovalEventJson, socketFetch, startAdmin } from '../src/index.js';
import {
  type AdminHarness,
  adminRecords,
  startAdminHarness,
  statementRequest,
} from './support/admin-harness.js';

const LOCAL = `local:${userInfo().username}`;
let h: AdminHarness;
let socket: string;
let local: AdminClient;

beforeAll(async () => {
  h = await startAdminHarness({ socket: true });
  socket = h.admin.socketPath ?? '';
  local = new AdminClient({ url: 'http://localhost', fetch: socketFetch(socket), label: socket });
});
afterAll(() => h?.close());

describe('the admin socket', () => {
  it('is owner-only, and its callers are the local owner with the admin role, without a token', async () => {
    expect(socket).toBe(`${h.config.journal.path}.sock`);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    const whoami = await socketFetch(socket)('http://localhost/api/whoami', { method: 'GET' });
    expect(await whoami.json()).toMatchObject({ name: LOCAL, via: 'local', roles: ['admin'] });
    const added = await local.addAgent({ name: 'socket-bot' });
    expect(added).toMatchObject({ name: 'socket-bot', status: 'active' });
    expect(adminRecords(h).at(-1)).toMatchObject({
      actor: LOCAL,
      via: 'local',
      path: '/api/agents',
      status: 201,
    });
  });

  it('trusts no caller on the TCP port as local: without a token it is refused', async () => {
    expect((await h.api('GET', '/api/whoami', { auth: null })).status).toBe(401);
    expect((await h.api('POST', '/api/agents', { auth: null, body: { name: 'tcp-bot' } })).status).toBe(401);
  });

  it('streams approval events, and a decision made on it releases the request', async () => {
    const stop = new AbortController();
    const events: ApprovalEventJson[] = [];
    const watching = local.watchApprovals((event) => events.push(event), stop.signal);
    const request = h.gateway.control.approvals.request(statementRequest('ci-bot'));
    const approved = await local.approve(request.id);
    expect(approved).toMatchObject({ state: 'approved', approvals: [{ by: LOCAL }] });
    const deadline = Date.now() + 5000;
    while (!events.some((event) => event.action === 'approved') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    stop.abort();
    await watching;
    const seen = events.filter((event) => event.request.id === request.id).map((event) => event.action);
    // A stream that opens after the request sees it as `pending` in its opening list.
    expect([
      ['requested', 'approved'],
      ['pending', 'approved'],
    ]).toContainEqual(seen);
  });

  it('is not taken over by a second gateway while the first answers on it', async () => {
    const second = startAdmin({
      config: { ...h.config, admin: undefined },
      control: h.gateway.control,
      journal: h.gateway.journal,
      log: pino({ level: 'silent' }),
      socketPath: socket,
    });
    await expect(second).rejects.toThrow(
      `another gateway answers on ${socket}: it is writing this journal already`,
    );
    expect((await local.listAgents()).map((agent) => agent.name)).toContain('socket-bot');
  });

  it('is removed when the admin API closes', async () => {
    await h.admin.close();
    expect(existsSync(socket)).toBe(false);
  });
});
