import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type Actor,
  Control,
  ControlError,
  type ControlEvent,
  type NewApprovalRequest,
} from '../src/index.js';

const dba = (name: string): Actor => ({ name, groups: ['dba'], via: 'oidc', roles: ['approver'] });
const agent: Actor = { name: 'ci-bot', groups: ['ci'], via: 'service-account', roles: [] };

function statementRequest(overrides: Partial<NewApprovalRequest> = {}): NewApprovalRequest {
  return {
    mode: 'hold',
    identity: 'ci-bot',
    groups: ['ci'],
    sessionId: 's-1',
    connection: 'orders',
    protocol: 'postgres',
    subject: {
      kind: 'statement',
      statement: 'UPDATE orders SET status = $1 WHERE id = $2',
      parameters: ['paid', '7'],
      statementKind: 'update',
      tables: ['public.orders'],
      estimatedRows: 1,
    },
    rule: 'writes-need-approval',
    reason: 'rule writes-need-approval matches kind update',
    minApprovals: 1,
    approvers: { identities: [], groups: [] },
    recentStatements: ['SELECT 1'],
    timeoutMs: 60_000,
    ticketTtlMs: 3_600_000,
    ...overrides,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('approval requests', () => {
  it('releases a held statement once enough different approvers say yes', async () => {
    const control = new Control();
    const request = control.approvals.request(statementRequest({ minApprovals: 2 }));
    const outcome = control.approvals.outcome(request.id);
    control.approvals.approve(request.id, dba('alice'));
    expect(control.approvals.get(request.id)?.state).toBe('pending');
    expect(() => control.approvals.approve(request.id, dba('alice'))).toThrow(/already approved/);
    control.approvals.approve(request.id, dba('bob'));
    await expect(outcome).resolves.toMatchObject({ kind: 'approved', approvers: ['alice', 'bob'] });
  });

  it('refuses self-approval, outsiders, and a denial without a reason', () => {
    const control = new Control();
    const request = control.approvals.request(statementRequest());
    const self: Actor = { ...agent, roles: ['admin'] };
    expect(() => control.approvals.approve(request.id, self)).toThrow(
      expect.objectContaining({ code: 'self-approval' }),
    );
    const outsider: Actor = { name: 'eve', groups: ['sales'], via: 'oidc', roles: ['auditor'] };
    expect(() => control.approvals.approve(request.id, outsider)).toThrow(ControlError);
    expect(() => control.approvals.deny(request.id, dba('alice'), '  ')).toThrow(/needs a reason/);
    expect(control.approvals.get(request.id)?.state).toBe('pending');
  });

  it('lets only the approvers a rule names decide its requests, besides admins', () => {
    const control = new Control();
    const request = control.approvals.request(
      statementRequest({ approvers: { identities: ['carol'], groups: [] } }),
    );
    expect(() => control.approvals.approve(request.id, dba('alice'))).toThrow(/not an approver/);
    const carol: Actor = { name: 'carol', groups: [], via: 'oidc', roles: [] };
    expect(control.approvals.approve(request.id, carol).state).toBe('approved');
  });

  it('tells the holder of a denied request who denied it and why', async () => {
    const control = new Control();
    const request = control.approvals.request(statementRequest());
    const outcome = control.approvals.outcome(request.id);
    control.approvals.deny(request.id, dba('alice'), 'not during the freeze');
    await expect(outcome).resolves.toMatchObject({
      kind: 'denied',
      by: 'alice',
      reason: 'not during the freeze',
    });
  });

  it('expires a request at its deadline with one timer, and journals every step as an event', async () => {
    vi.useFakeTimers();
    const control = new Control();
    const events: ControlEvent[] = [];
    control.events.on((event) => events.push(event));
    const request = control.approvals.request(statementRequest({ timeoutMs: 5_000 }));
    const outcome = control.approvals.outcome(request.id);
    vi.advanceTimersByTime(4_999);
    expect(control.approvals.pendingCount).toBe(1);
    vi.advanceTimersByTime(1);
    await expect(outcome).resolves.toMatchObject({ kind: 'expired' });
    expect(events.map((event) => event.type === 'approval' && event.action)).toEqual([
      'requested',
      'expired',
    ]);
    expect(() => control.approvals.approve(request.id, dba('alice'))).toThrow(/expired, not pending/);
  });

  it('withdraws a request whose client went away', async () => {
    const control = new Control();
    const request = control.approvals.request(statementRequest());
    const outcome = control.approvals.outcome(request.id);
    control.approvals.withdraw(request.id, 'client disconnected');
    await expect(outcome).resolves.toMatchObject({ kind: 'withdrawn', reason: 'client disconnected' });
  });
});

describe('tickets', () => {
  it('runs an approved ticket once, for the identical statement only, within its time to live', () => {
    vi.useFakeTimers();
    const control = new Control();
    const request = control.approvals.request(statementRequest({ mode: 'ticket', ticketTtlMs: 60_000 }));
    const text = 'UPDATE orders SET status = $1 WHERE id = $2';
    const parameters = JSON.stringify(['paid', '7']);
    expect(control.approvals.pendingTicket('ci-bot', 'orders', text, parameters)?.id).toBe(request.id);
    expect(control.approvals.useTicket('ci-bot', 'orders', text, parameters)).toBeUndefined();
    control.approvals.approve(request.id, dba('alice'));
    expect(
      control.approvals.useTicket('ci-bot', 'orders', text, JSON.stringify(['paid', '8'])),
    ).toBeUndefined();
    expect(control.approvals.useTicket('other', 'orders', text, parameters)).toBeUndefined();
    expect(control.approvals.useTicket('ci-bot', 'orders', text, parameters)?.id).toBe(request.id);
    expect(control.approvals.useTicket('ci-bot', 'orders', text, parameters)).toBeUndefined();

    const second = control.approvals.request(statementRequest({ mode: 'ticket', ticketTtlMs: 60_000 }));
    control.approvals.approve(second.id, dba('alice'));
    vi.advanceTimersByTime(60_001);
    expect(control.approvals.useTicket('ci-bot', 'orders', text, parameters)).toBeUndefined();
  });
});

describe('grants', () => {
  it('applies a grant to its identity or group on its connection until it expires', () => {
    vi.useFakeTimers();
    const control = new Control();
    const events: string[] = [];
    control.events.on((event) => {
      if (event.type === 'grant') events.push(event.action);
    });
    const grant = control.grants.add(
      {
        identity: null,
        group: 'ci',
        connection: 'orders',
        allow: ['write'],
        tables: null,
        durationMs: 1_000,
        reason: 'backfill',
      },
      'alice',
    );
    expect(control.grants.activeFor({ name: 'ci-bot', groups: ['ci'] }, 'orders')).toEqual([grant]);
    expect(control.grants.activeFor({ name: 'ci-bot', groups: ['ci'] }, 'billing')).toEqual([]);
    expect(control.grants.activeFor({ name: 'other', groups: [] }, 'orders')).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(control.grants.activeFor({ name: 'ci-bot', groups: ['ci'] }, 'orders')).toEqual([]);
    expect(events).toEqual(['created', 'expired']);
  });

  it('turns an approved grant request into the grant it asked for', () => {
    const control = new Control();
    const request = control.requestGrant(
      {
        identity: 'ci-bot',
        group: null,
        connection: 'orders',
        allow: ['ddl'],
        tables: ['public.*'],
        durationMs: 60_000,
        reason: 'migration',
      },
      agent,
      { approvers: { identities: [], groups: [] }, minApprovals: 1, timeoutMs: 60_000 },
    );
    control.approvals.approve(request.id, dba('alice'));
    const [grant] = control.grants.list();
    expect(grant).toMatchObject({
      identity: 'ci-bot',
      allow: ['ddl'],
      createdBy: 'alice',
      requestId: request.id,
    });
  });

  it('refuses a grant without a reason or naming both an identity and a group', () => {
    const control = new Control();
    const base = {
      identity: 'ci-bot',
      group: null,
      connection: 'orders',
      allow: ['write'] as const,
      tables: null,
      durationMs: 1_000,
    };
    expect(() => control.grants.add({ ...base, reason: '' }, 'alice')).toThrow(/needs a reason/);
    expect(() => control.grants.add({ ...base, group: 'ci', reason: 'x' }, 'alice')).toThrow(/exactly one/);
  });
});
