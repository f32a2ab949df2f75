import type { ApprovalRequest, ApprovalSubject } from '@sluice/control';
import { type Json, list, nullableDate, nullableText, object, oneOf, text } from './json.js';

/**
 * An approval request as the store's `approvals.request` holds it: the request's own fields,
 * dates as ISO 8601. `decodeApproval(encodeApproval(r))` equals `r`.
 */
export function encodeApproval(request: ApprovalRequest): Json {
  return {
    id: request.id,
    mode: request.mode,
    state: request.state,
    requestedAt: request.requestedAt.toISOString(),
    deadline: request.deadline.toISOString(),
    identity: request.identity,
    groups: [...request.groups],
    sessionId: request.sessionId,
    connection: request.connection,
    protocol: request.protocol,
    subject: encodeSubject(request.subject),
    rule: request.rule,
    reason: request.reason,
    minApprovals: request.minApprovals,
    approvers: { identities: [...request.approvers.identities], groups: [...request.approvers.groups] },
    recentStatements: [...request.recentStatements],
    approvals: request.approvals.map((approval) => ({ by: approval.by, at: approval.at.toISOString() })),
    denial: request.denial && { ...request.denial, at: request.denial.at.toISOString() },
    decidedAt: request.decidedAt?.toISOString() ?? null,
    ticketExpiresAt: request.ticketExpiresAt?.toISOString() ?? null,
    usedAt: request.usedAt?.toISOString() ?? null,
    endReason: request.endReason,
  };
}

/** Throws a TypeError naming the field when the JSON is not a request this Sluice wrote. */
export function decodeApproval(json: unknown): ApprovalRequest {
  const o = object(json, 'request');
  const approvers = object(o.approvers, 'approvers');
  const denial = o.denial === null ? null : object(o.denial, 'denial');
  return {
    id: text(o.id, 'id'),
    mode: oneOf(o.mode, ['hold', 'ticket'] as const, 'mode'),
    state: oneOf(o.state, ['pending', 'approved', 'denied', 'expired', 'withdrawn'] as const, 'state'),
    requestedAt: date(o.requestedAt, 'requestedAt'),
    deadline: date(o.deadline, 'deadline'),
    identity: text(o.identity, 'identity'),
    groups: list(o.groups, 'groups').map((group) => text(group, 'groups')),
    sessionId: nullableText(o.sessionId, 'sessionId'),
    connection: text(o.connection, 'connection'),
    protocol: text(o.protocol, 'protocol'),
    subject: decodeSubject(o.subject),
    rule: text(o.rule, 'rule'),
    reason: text(o.reason, 'reason'),
    minApprovals: number(o.minApprovals, 'minApprovals'),
    approvers: {
      identities: list(approvers.identities, 'approvers').map((name) => text(name, 'approvers')),
      groups: list(approvers.groups, 'approvers').map((group) => text(group, 'approvers')),
    },
    recentStatements: list(o.recentStatements, 'recentStatements').map((each) =>
      text(each, 'recentStatements'),
    ),
    approvals: list(o.approvals, 'approvals').map((each) => {
      const approval = object(each, 'approvals');
      return { by: text(approval.by, 'approvals'), at: date(approval.at, 'approvals') };
    }),
    denial: denial && {
      by: text(denial.by, 'denial'),
      at: date(denial.at, 'denial'),
      reason: text(denial.reason, 'denial'),
    },
    decidedAt: nullableDate(o.decidedAt, 'decidedAt'),
    ticketExpiresAt: nullableDate(o.ticketExpiresAt, 'ticketExpiresAt'),
    usedAt: nullableDate(o.usedAt, 'usedAt'),
    endReason: nullableText(o.endReason, 'endReason'),
  };
}

function encodeSubject(subject: ApprovalSubject): Json {
  if (subject.kind === 'grant') {
    const { grant } = subject;
    return {
      kind: 'grant',
      grant: {
        identity: grant.identity,
        group: grant.group,
        connection: grant.connection,
        allow: [...grant.allow],
        tables: grant.tables && [...grant.tables],
        durationMs: grant.durationMs,
        reason: grant.reason,
      },
    };
  }
  return {
    kind: 'statement',
    statement: subject.statement,
    parameters: subject.parameters && [...subject.parameters],
    statementKind: subject.statementKind,
    tables: [...subject.tables],
    estimatedRows: subject.estimatedRows,
  };
}

function decodeSubject(json: unknown): ApprovalSubject {
  const o = object(json, 'subject');
  if (o.kind === 'grant') {
    const grant = object(o.grant, 'subject.grant');
    return {
      kind: 'grant',
      grant: {
        identity: nullableText(grant.identity, 'subject.grant.identity'),
        group: nullableText(grant.group, 'subject.grant.group'),
        connection: text(grant.connection, 'subject.grant.connection'),
        allow: list(grant.allow, 'subject.grant.allow').map((each) =>
          oneOf(each, ['write', 'ddl', 'approve-free'] as const, 'subject.grant.allow'),
        ),
        tables:
          grant.tables === null
            ? null
            : list(grant.tables, 'subject.grant.tables').map((each) => text(each, 'subject.grant.tables')),
        durationMs: number(grant.durationMs, 'subject.grant.durationMs'),
        reason: text(grant.reason, 'subject.grant.reason'),
      },
    };
  }
  if (o.kind !== 'statement') throw new TypeError('subject.kind is neither statement nor grant');
  return {
    kind: 'statement',
    statement: text(o.statement, 'subject.statement'),
    parameters:
      o.parameters === null
        ? null
        : list(o.parameters, 'subject.parameters').map((each) => nullableText(each, 'subject.parameters')),
    statementKind: nullableText(o.statementKind, 'subject.statementKind'),
    tables: list(o.tables, 'subject.tables').map((each) => text(each, 'subject.tables')),
    estimatedRows: o.estimatedRows === null ? null : number(o.estimatedRows, 'subject.estimatedRows'),
  };
}

function date(value: unknown, field: string): Date {
  const found = nullableDate(value, field);
  if (!found) throw new TypeError(`${field} is not a time`);
  return found;
}

function number(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${field} is not a number`);
  return value;
}
