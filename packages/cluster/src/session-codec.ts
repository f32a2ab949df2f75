import type { LiveSessionInfo } from '@sluice/control';
import { type Json, list, nullableDate, nullableText, object, oneOf, text } from './json.js';

const PROTOCOLS = ['postgres', 'mysql', 'mcp'] as const;
const STATES = ['idle', 'running', 'held', 'in-transaction'] as const;

/** A live session as the store's `gateways.sessions` lists it. */
export function encodeSession(session: LiveSessionInfo): Json {
  return {
    id: session.id,
    identity: session.identity,
    groups: [...session.groups],
    connection: session.connection,
    protocol: session.protocol,
    clientAddress: session.clientAddress,
    startedAt: session.startedAt.toISOString(),
    statements: session.statements,
    state: session.state,
    current: session.current && { text: session.current.text, since: session.current.since.toISOString() },
    heldBy: session.heldBy,
  };
}

/** Sessions another gateway serves; entries this Sluice cannot read are left out. */
export function decodeSessions(json: unknown, gateway: string): LiveSessionInfo[] {
  if (!Array.isArray(json)) return [];
  const sessions: LiveSessionInfo[] = [];
  for (const each of json) {
    try {
      sessions.push(decodeSession(each, gateway));
    } catch {
      // A newer gateway's extra kinds of session: not listed here rather than listed wrongly.
    }
  }
  return sessions;
}

function decodeSession(json: unknown, gateway: string): LiveSessionInfo {
  const o = object(json, 'session');
  const current = o.current === null ? null : object(o.current, 'current');
  const startedAt = nullableDate(o.startedAt, 'startedAt');
  const since = current && nullableDate(current.since, 'current.since');
  if (!startedAt || (current && !since)) throw new TypeError('a session needs its times');
  return {
    id: text(o.id, 'id'),
    identity: text(o.identity, 'identity'),
    groups: list(o.groups, 'groups').map((group) => text(group, 'groups')),
    connection: text(o.connection, 'connection'),
    protocol: oneOf(o.protocol, PROTOCOLS, 'protocol'),
    clientAddress: text(o.clientAddress, 'clientAddress'),
    startedAt,
    statements: typeof o.statements === 'number' ? o.statements : 0,
    state: oneOf(o.state, STATES, 'state'),
    current: current && since ? { text: text(current.text, 'current.text'), since } : null,
    heldBy: nullableText(o.heldBy, 'heldBy'),
    gateway,
  };
}
