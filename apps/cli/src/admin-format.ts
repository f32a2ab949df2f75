import type { ApprovalEventJson, ApprovalJson, GrantJson, SessionJson } from '@sluice/admin';
import { table } from './output.js';

/** What a request asks for, on one line. */
export function subjectLine(request: ApprovalJson): string {
  const { subject } = request;
  if (subject.kind === 'statement') return oneLine(subject.statement);
  const { grant } = subject;
  return `grant ${grant.allow.join('+')} on ${grant.connection} for ${minutes(grant.duration_ms)}`;
}

export function approvalsTable(requests: readonly ApprovalJson[]): string {
  if (requests.length === 0) return 'no approval requests';
  return table(
    ['ID', 'STATE', 'IDENTITY', 'CONNECTION', 'REQUESTED', 'WHAT'],
    requests.map((request) => [
      request.id,
      request.state,
      request.identity,
      request.connection,
      request.requested_at,
      clip(subjectLine(request), 60),
    ]),
  );
}

export function approvalDetails(request: ApprovalJson): string {
  const lines = [
    `${request.id}  ${request.state} (${request.mode})`,
    `identity:   ${request.identity}${request.groups.length ? ` (groups: ${request.groups.join(', ')})` : ''}`,
    `connection: ${request.connection} (${request.protocol})${request.session ? `, session ${request.session}` : ''}`,
    `rule:       ${request.rule}: ${request.reason}`,
    `asks for:   ${subjectLine(request)}`,
  ];
  if (request.subject.kind === 'statement' && request.subject.tables.length > 0) {
    lines.push(`tables:     ${request.subject.tables.join(', ')}`);
  }
  lines.push(`requested:  ${request.requested_at}, deadline ${request.deadline}`);
  lines.push(
    `approvals:  ${request.approvals.length} of ${request.min_approvals}${
      request.approvals.length ? ` (${request.approvals.map((each) => each.by).join(', ')})` : ''
    }`,
  );
  if (request.denial) lines.push(`denied by:  ${request.denial.by}: ${request.denial.reason}`);
  if (request.end_reason) lines.push(`ended:      ${request.end_reason}`);
  for (const statement of request.recent_statements) lines.push(`  before:   ${oneLine(statement)}`);
  return lines.join('\n');
}

export function decisionLine(request: ApprovalJson): string {
  if (request.state === 'approved') {
    return `approved ${request.id} (${request.approvals.map((each) => each.by).join(', ')})`;
  }
  if (request.state === 'denied') return `denied ${request.id}: ${request.denial?.reason ?? ''}`;
  return `recorded an approval of ${request.id}: ${request.approvals.length} of ${request.min_approvals}`;
}

export function eventLine(event: ApprovalEventJson): string {
  const { request } = event;
  const by = event.actor ? ` by ${event.actor}` : '';
  return `${new Date().toISOString()}  ${event.action}${by}  ${request.id}  ${request.identity}@${request.connection}  ${clip(subjectLine(request), 80)}`;
}

export function grantsTable(grants: readonly GrantJson[]): string {
  if (grants.length === 0) return 'no grants';
  return table(
    ['ID', 'STATE', 'WHO', 'CONNECTION', 'ALLOW', 'TABLES', 'EXPIRES', 'BY', 'REASON'],
    grants.map((grant) => [
      grant.id,
      grant.state,
      grant.identity ?? `group:${grant.group}`,
      grant.connection,
      grant.allow.join(','),
      grant.tables?.join(',') ?? '*',
      grant.expires_at,
      grant.created_by,
      clip(grant.reason, 40),
    ]),
  );
}

export function sessionsTable(sessions: readonly SessionJson[]): string {
  if (sessions.length === 0) return 'no live sessions';
  return table(
    ['ID', 'IDENTITY', 'CONNECTION', 'PROTOCOL', 'CLIENT', 'STARTED', 'STATEMENTS', 'STATE', 'CURRENT'],
    sessions.map((session) => [
      session.id,
      session.identity,
      session.connection,
      session.protocol,
      session.client_address,
      session.started_at,
      String(session.statements),
      session.held_by ? `held (${session.held_by})` : session.state,
      session.current ? clip(oneLine(session.current.text), 50) : '-',
    ]),
  );
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function minutes(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${Math.round(ms / 60_000)}m`;
}
