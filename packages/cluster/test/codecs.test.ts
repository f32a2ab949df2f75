import type { ApprovalRequest, Grant } from '@sluice/control';
import { describe, expect, it } from 'vitest';
import {
  decodeApproval,
  decodeGrant,
  decodeSessions,
  encodeApproval,
  encodeGrant,
  encodeSession,
} from '../src/index.js';
import { liveSession } from './support/cluster.js';

/** What the store's jsonb column gives back: the JSON text, parsed. */
const throughStore = (json: unknown): unknown => JSON.parse(JSON.stringify(json));

const decided: ApprovalRequest = {
  id: 'apr-7fk2m9qd',
  mode: 'ticket',
  state: 'denied',
  requestedAt: new Date('2026-12-07T06:00:00.123Z'),
  deadline: new Date('2026-12-07T06:30:00.123Z'),
  identity: 'ci-bot',
  groups: ['ci', 'deploy'],
  sessionId: null,
  connection: 'orders',
  protocol: 'mysql',
  subject: {
    kind: 'statement',
    statement: "DELETE FROM orders WHERE note = 'ünïcode ✓'",
    parameters: ['1', null],
    statementKind: 'delete',
    tables: ['shop.orders'],
    estimatedRows: null,
  },
  rule: 'deletes-need-two',
  reason: 'rule deletes-need-two matches kind delete',
  minApprovals: 2,
  approvers: { identities: ['carol'], groups: ['dba'] },
  recentStatements: ['SELECT 1', 'BEGIN'],
  approvals: [{ by: 'alice', at: new Date('2026-12-07T06:01:00.000Z') }],
  denial: { by: 'bob', at: new Date('2026-12-07T06:02:00.000Z'), reason: 'not now' },
  decidedAt: new Date('2026-12-07T06:02:00.000Z'),
  ticketExpiresAt: new Date('2026-12-07T07:02:00.000Z'),
  usedAt: new Date('2026-12-07T06:03:00.000Z'),
  endReason: 'kept for the test',
};

describe('the store’s codecs', () => {
  it('round-trips an approval request exactly, for both kinds of subject', () => {
    expect(decodeApproval(throughStore(encodeApproval(decided)))).toEqual(decided);
    const grantRequest: ApprovalRequest = {
      ...decided,
      subject: {
        kind: 'grant',
        grant: {
          identity: 'ci-bot',
          group: null,
          connection: 'orders',
          allow: ['write', 'approve-free'],
          tables: null,
          durationMs: 1_800_000,
          reason: 'backfill',
        },
      },
      denial: null,
      decidedAt: null,
      ticketExpiresAt: null,
      usedAt: null,
      endReason: null,
    };
    expect(decodeApproval(throughStore(encodeApproval(grantRequest)))).toEqual(grantRequest);
  });

  it('refuses a request it cannot read, naming the field', () => {
    const broken = { ...(throughStore(encodeApproval(decided)) as object), deadline: 'soon' };
    expect(() => decodeApproval(broken)).toThrow(/deadline is not a time/);
  });

  it('round-trips a revoked grant with the gateway that created it', () => {
    const grant: Grant = {
      id: 'grt-abc',
      identity: null,
      group: 'ci',
      connection: 'orders',
      allow: ['ddl'],
      tables: ['public.*'],
      reason: 'migration',
      createdBy: 'alice',
      createdAt: new Date('2026-12-07T06:00:00.000Z'),
      expiresAt: new Date('2026-12-07T07:00:00.000Z'),
      revokedAt: new Date('2026-12-07T06:10:00.000Z'),
      revokedBy: 'bob',
      requestId: 'apr-x',
    };
    expect(decodeGrant(throughStore(encodeGrant(grant, 'gw-a')))).toEqual({ grant, creator: 'gw-a' });
  });

  it('round-trips live sessions, each marked with its gateway', () => {
    const running = {
      ...liveSession('s-1', 'ci-bot'),
      state: 'running' as const,
      current: { text: 'SELECT pg_sleep(5)', since: new Date('2026-12-07T06:05:00.000Z') },
    };
    expect(decodeSessions(throughStore([encodeSession(running), { id: 7 }]), 'gw-a')).toEqual([
      { ...running, gateway: 'gw-a' },
    ]);
  });
});
