import { type Actor, ControlError } from '@sluice/control';
import type { StoreAddress } from '@sluice/journal';
import { type ScratchPostgres, startPostgres } from '@sluice/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeGrant } from '../src/index.js';
import {
  alice,
  createStore,
  heldStatement,
  liveSession,
  type Member,
  member,
  RecordingSessions,
  STORE_DATABASE,
} from './support/cluster.js';

let server: ScratchPostgres;
let store: StoreAddress;
let a: Member;
let b: Member;

/** What the issue promises: a change through any gateway reaches every gateway within a second. */
const WITHIN = { timeout: 1000, interval: 20 };

beforeAll(async () => {
  server = await startPostgres();
  store = await createStore(server);
});

afterAll(async () => {
  await server?.stop();
});

async function pair(sessionsA = new RecordingSessions(), sessionsB = new RecordingSessions()) {
  a = await member(store, 'gw-a', sessionsA);
  b = await member(store, 'gw-b', sessionsB);
}

afterEach(async () => {
  for (const each of [a, b]) {
    each?.control.close('the test ended');
    await each?.link.close();
  }
});

describe('approvals across gateways', () => {
  it('lists a request held on A on B, and an approval through B releases the statement on A', async () => {
    await pair();
    const request = a.control.approvals.request(heldStatement());
    const outcome = a.control.approvals.outcome(request.id);
    await vi.waitFor(() => expect(b.control.approvals.get(request.id)?.state).toBe('pending'), WITHIN);
    expect(b.control.approvals.get(request.id)).toEqual(request);
    expect(b.control.approvals.ownerOf(request.id)).toBe('gw-a');
    expect(b.control.approvals.list({ state: 'pending' }).map((each) => each.id)).toContain(request.id);
    // Only the holder counts it as waiting here (each gateway's /metrics).
    expect(b.control.approvals.pendingCount).toBe(0);

    const started = Date.now();
    const approved = await b.control.approve(request.id, alice);
    expect(approved).toMatchObject({ id: request.id, state: 'approved', approvals: [{ by: 'alice' }] });
    await expect(outcome).resolves.toMatchObject({ kind: 'approved', approvers: ['alice'] });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(b.control.approvals.get(request.id)?.state).toBe('approved');
    // The holder journals the decision; the gateway it was made through does not journal it twice.
    expect(a.journalled.map((event) => event.action)).toEqual(['requested', 'approved']);
    expect(b.journalled).toEqual([]);
  });

  it('denies through B with the reason, and the client on A reads it', async () => {
    await pair();
    const request = a.control.approvals.request(heldStatement());
    const outcome = a.control.approvals.outcome(request.id);
    await vi.waitFor(() => expect(b.control.approvals.get(request.id)).toBeDefined(), WITHIN);
    const denied = await b.control.deny(request.id, alice, 'not during the freeze');
    expect(denied.denial).toMatchObject({ by: 'alice', reason: 'not during the freeze' });
    await expect(outcome).resolves.toMatchObject({
      kind: 'denied',
      by: 'alice',
      reason: 'not during the freeze',
    });
  });

  it('refuses self-approval through B with the holder’s error', async () => {
    await pair();
    const request = a.control.approvals.request(heldStatement());
    await vi.waitFor(() => expect(b.control.approvals.get(request.id)).toBeDefined(), WITHIN);
    const requester: Actor = { name: 'ci-bot', groups: ['ci'], via: 'service-account', roles: ['admin'] };
    const refused = await b.control.approve(request.id, requester).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ControlError);
    expect(refused).toMatchObject({ code: 'self-approval', message: 'nobody approves their own request' });
    expect(a.control.approvals.get(request.id)?.state).toBe('pending');
    await b.control.approve(request.id, alice);
    const again = await b.control
      .approve(request.id, { ...alice, name: 'bob' })
      .catch((error: unknown) => error);
    expect(again).toMatchObject({ code: 'not-pending' });
  });

  it('shows the pending requests of a gateway that stopped as expired', async () => {
    await pair();
    const request = a.control.approvals.request(heldStatement());
    await vi.waitFor(() => expect(b.control.approvals.get(request.id)).toBeDefined(), WITHIN);
    // A goes away without expiring its requests (a crash): only its silence tells.
    await a.link.close();
    await vi.waitFor(
      () =>
        expect(b.control.approvals.get(request.id)).toMatchObject({
          state: 'expired',
          endReason: 'gateway gw-a stopped',
        }),
      { timeout: 3000, interval: 50 },
    );
    const started = Date.now();
    await expect(b.control.approve(request.id, alice)).rejects.toMatchObject({ code: 'not-pending' });
    expect(Date.now() - started).toBeLessThan(100);
  });
});

describe('the periodic re-read', () => {
  it('applies changes whose notice was missed', async () => {
    await pair();
    const request = a.control.approvals.request(heldStatement());
    await vi.waitFor(() => expect(b.control.approvals.get(request.id)).toBeDefined(), WITHIN);
    await server.psql(
      `UPDATE approvals SET request = jsonb_set(request, '{reason}', '"rewritten"'), updated_at = now()
        WHERE id = '${request.id}'`,
      { database: STORE_DATABASE },
    );
    const grant = {
      id: 'grt-unannounced',
      identity: 'report-bot',
      group: null,
      connection: 'orders',
      allow: ['write' as const],
      tables: null,
      reason: 'written without a notice',
      createdBy: 'alice',
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 60_000),
      revokedAt: null,
      revokedBy: null,
      requestId: null,
    };
    await server.psql(
      `INSERT INTO grants (id, grant_record) VALUES ('${grant.id}', '${JSON.stringify(encodeGrant(grant, 'gw-c'))}')`,
      { database: STORE_DATABASE },
    );
    await vi.waitFor(
      () => {
        expect(b.control.approvals.get(request.id)?.reason).toBe('rewritten');
        expect(b.control.grants.get(grant.id)).toEqual(grant);
      },
      { timeout: 3500, interval: 50 },
    );
    // The holder's own row is its own business: it does not take it back from the store.
    expect(a.control.approvals.get(request.id)?.reason).toBe(request.reason);
  });
});

describe('grants across gateways', () => {
  it('applies a grant made on A on B, and a revocation on B removes it on A', async () => {
    await pair();
    const grant = a.control.grants.add(
      {
        identity: 'ci-bot',
        group: null,
        connection: 'orders',
        allow: ['write'],
        tables: null,
        durationMs: 60_000,
        reason: 'hotfix INC-42',
      },
      'alice',
    );
    const caller = { name: 'ci-bot', groups: ['ci'] };
    await vi.waitFor(() => expect(b.control.grants.activeFor(caller, 'orders')).toEqual([grant]), WITHIN);
    b.control.grants.revoke(grant.id, 'bob');
    await vi.waitFor(() => expect(a.control.grants.activeFor(caller, 'orders')).toEqual([]), WITHIN);
    expect(a.control.grants.get(grant.id)?.revokedBy).toBe('bob');
    // Each change is journalled once, by the gateway it was made on.
    expect(a.journalled.map((event) => `${event.type} ${event.action}`)).toEqual(['grant created']);
    expect(b.journalled.map((event) => `${event.type} ${event.action}`)).toEqual(['grant revoked']);
  });

  it('ends a grant everywhere at its expiry; only the gateway that made it journals the expiry', async () => {
    await pair();
    const grant = a.control.grants.add(
      {
        identity: 'batch-bot',
        group: null,
        connection: 'orders',
        allow: ['write'],
        tables: null,
        durationMs: 1200,
        reason: 'a short window',
      },
      'alice',
    );
    const caller = { name: 'batch-bot', groups: [] };
    await vi.waitFor(() => expect(b.control.grants.activeFor(caller, 'orders')).toHaveLength(1), WITHIN);
    await vi.waitFor(
      () => {
        expect(a.control.grants.activeFor(caller, 'orders')).toEqual([]);
        expect(b.control.grants.activeFor(caller, 'orders')).toEqual([]);
      },
      { timeout: 2000, interval: 20 },
    );
    await vi.waitFor(() => expect(a.journalled.map((event) => event.action)).toEqual(['created', 'expired']));
    expect(a.journalled.at(-1)).toMatchObject({ type: 'grant', grant: { id: grant.id } });
    expect(b.journalled).toEqual([]);
  });

  it('loads the active grants from the store at start', async () => {
    await pair();
    const grant = a.control.grants.add(
      {
        identity: null,
        group: 'ci',
        connection: 'orders',
        allow: ['ddl'],
        tables: ['public.*'],
        durationMs: 60_000,
        reason: 'migration window',
      },
      'alice',
    );
    await vi.waitFor(() => expect(b.control.grants.get(grant.id)).toBeDefined(), WITHIN);
    const late = await member(store, 'gw-c');
    try {
      expect(late.control.grants.activeFor({ name: 'x', groups: ['ci'] }, 'orders')).toEqual([grant]);
    } finally {
      await late.link.close();
    }
  });
});

describe('sessions and revocations across gateways', () => {
  it('ends a revoked account’s sessions on every gateway within a second', async () => {
    await pair();
    await server.psql(`NOTIFY sluice_control, '{"kind":"account","name":"ci-bot","status":"revoked"}'`, {
      database: STORE_DATABASE,
    });
    for (const each of [a, b]) {
      await vi.waitFor(
        () =>
          expect(each.sessions.terminated).toEqual([
            { identity: 'ci-bot', reason: 'service account "ci-bot" was revoked' },
          ]),
        WITHIN,
      );
    }
  });

  it('ends them too when the notice was missed, from the accounts table', async () => {
    await pair();
    await server.psql(
      `INSERT INTO accounts (name, groups, status, created_at, updated_at, expires_at, verifiers)
       VALUES ('etl-bot', '[]', 'revoked', '2026-12-07T00:00:00.000Z', '${new Date().toISOString()}', NULL, '{}')`,
      { database: STORE_DATABASE },
    );
    await vi.waitFor(() => expect(b.sessions.terminated.map((each) => each.identity)).toEqual(['etl-bot']), {
      timeout: 3500,
      interval: 50,
    });
  });

  it('lists A’s sessions on B and kills one through B', async () => {
    await pair(new RecordingSessions([liveSession('s-a1', 'ci-bot')]));
    await vi.waitFor(
      () =>
        expect(b.control.sessions.list()).toEqual([{ ...liveSession('s-a1', 'ci-bot'), gateway: 'gw-a' }]),
      { timeout: 2000, interval: 50 },
    );
    await expect(b.control.killSession('s-a1', 'session terminated by alice: runaway')).resolves.toBe(true);
    expect(a.sessions.killed).toEqual([{ id: 's-a1', reason: 'session terminated by alice: runaway' }]);
    await expect(b.control.killSession('s-zz', 'no such')).resolves.toBe(false);
  });
});
