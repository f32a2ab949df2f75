import {
  type Actor,
  Control,
  type ControlEvent,
  type LiveSessionInfo,
  type NewApprovalRequest,
  type SessionDirectory,
} from '@sluice/control';
import { migrateStore, type StoreAddress } from '@sluice/journal';
import type { ScratchPostgres } from '@sluice/testkit';
import pg from 'pg';
import { ControlLink } from '../../src/index.js';

export const STORE_DATABASE = 'sluice_store';

/** The store database's address on the scratch server, as its superuser. */
export function storeAddress(server: ScratchPostgres): StoreAddress {
  return {
    host: server.host,
    port: server.port,
    user: server.superuser.user,
    database: STORE_DATABASE,
    password: server.superuser.password,
    sslMode: 'disable',
    sslRootCert: undefined,
  };
}

/** Creates the store database on the scratch server and migrates it; returns its address. */
export async function createStore(server: ScratchPostgres): Promise<StoreAddress> {
  await server.psql(`CREATE DATABASE ${STORE_DATABASE}`);
  const address = storeAddress(server);
  const client = new pg.Client({ ...address, password: address.password, ssl: false });
  await client.connect();
  try {
    await migrateStore(client);
  } finally {
    await client.end();
  }
  return address;
}

/** A gateway's sessions in a test: it records what was asked of it. */
export class RecordingSessions implements SessionDirectory {
  readonly killed: { id: string; reason: string }[] = [];
  readonly terminated: { identity: string; reason: string }[] = [];

  constructor(public sessions: LiveSessionInfo[] = []) {}

  list(): LiveSessionInfo[] {
    return this.sessions;
  }

  kill(id: string, reason: string): boolean {
    const found = this.sessions.some((session) => session.id === id);
    if (found) {
      this.killed.push({ id, reason });
      this.sessions = this.sessions.filter((session) => session.id !== id);
    }
    return found;
  }

  terminateIdentity(identity: string, reason: string): number {
    this.terminated.push({ identity, reason });
    return this.sessions.filter((session) => session.identity === identity).length;
  }
}

/** One gateway's control state, linked to the store. */
export interface Member {
  readonly control: Control;
  readonly link: ControlLink;
  readonly sessions: RecordingSessions;
  /** Local control events (what the gateway journals). */
  readonly journalled: ControlEvent[];
}

export async function member(store: StoreAddress, gatewayId: string, sessions = new RecordingSessions()) {
  const control = new Control();
  control.sessions = sessions;
  const journalled: ControlEvent[] = [];
  control.events.on((event) => journalled.push(event));
  const link = await ControlLink.start(control, { store, gatewayId });
  return { control, link, sessions, journalled } satisfies Member;
}

export const alice: Actor = { name: 'alice', groups: ['dba'], via: 'oidc', roles: ['approver'] };

export function heldStatement(overrides: Partial<NewApprovalRequest> = {}): NewApprovalRequest {
  return {
    mode: 'hold',
    identity: 'ci-bot',
    groups: ['ci'],
    sessionId: 's-a1',
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

export function liveSession(id: string, identity: string): LiveSessionInfo {
  return {
    id,
    identity,
    groups: ['ci'],
    connection: 'orders',
    protocol: 'postgres',
    clientAddress: '127.0.0.1:50000',
    startedAt: new Date('2026-12-07T06:00:00.000Z'),
    statements: 3,
    state: 'idle',
    current: null,
    heldBy: null,
  };
}
