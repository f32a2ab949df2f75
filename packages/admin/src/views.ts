import type { ApprovalRequest, Control, Grant, LiveSessionInfo } from '@sluice/control';
import { grantRecord, grantState } from '@sluice/control';
import type { Account } from '@sluice/journal';
import type { AccountJson, ApprovalJson, GrantInputJson, GrantJson, SessionJson } from './api-types.js';

/** The view of requests as this gateway lists them: each with the gateway holding it. */
export function approvalViewOf(control: Control): (request: ApprovalRequest) => ApprovalJson {
  return (request) => approvalView(request, control.approvals.ownerOf(request.id) ?? control.gatewayId);
}

/**
 * The admin API's JSON: snake_case, times as ISO 8601, like the journal's export. `gateway` is
 * the gateway holding the request, when gateways share a store.
 */
export function approvalView(request: ApprovalRequest, gateway: string | null = null): ApprovalJson {
  const { subject } = request;
  return {
    id: request.id,
    mode: request.mode,
    state: request.state,
    requested_at: request.requestedAt.toISOString(),
    deadline: request.deadline.toISOString(),
    identity: request.identity,
    groups: request.groups,
    session: request.sessionId,
    connection: request.connection,
    protocol: request.protocol,
    subject:
      subject.kind === 'statement'
        ? {
            kind: 'statement',
            statement: subject.statement,
            parameters: subject.parameters,
            statement_kind: subject.statementKind,
            tables: subject.tables,
            estimated_rows: subject.estimatedRows,
          }
        : {
            kind: 'grant',
            grant: {
              identity: subject.grant.identity,
              group: subject.grant.group,
              connection: subject.grant.connection,
              allow: subject.grant.allow,
              tables: subject.grant.tables,
              duration_ms: subject.grant.durationMs,
              reason: subject.grant.reason,
            } satisfies GrantInputJson,
          },
    rule: request.rule,
    reason: request.reason,
    min_approvals: request.minApprovals,
    approvers: { identities: request.approvers.identities, groups: request.approvers.groups },
    recent_statements: request.recentStatements,
    approvals: request.approvals.map((approval) => ({ by: approval.by, at: approval.at.toISOString() })),
    denial: request.denial && { ...request.denial, at: request.denial.at.toISOString() },
    decided_at: request.decidedAt?.toISOString() ?? null,
    ticket_expires_at: request.ticketExpiresAt?.toISOString() ?? null,
    used_at: request.usedAt?.toISOString() ?? null,
    end_reason: request.endReason,
    gateway,
  };
}

export function grantView(grant: Grant): GrantJson {
  return { ...grantRecord(grant), state: grantState(grant) };
}

/** `localGateway`: this gateway's name in a shared store, for its own sessions. */
export function sessionView(session: LiveSessionInfo, localGateway: string | null = null): SessionJson {
  return {
    id: session.id,
    identity: session.identity,
    groups: session.groups,
    connection: session.connection,
    protocol: session.protocol,
    client_address: session.clientAddress,
    started_at: session.startedAt.toISOString(),
    statements: session.statements,
    state: session.state,
    current: session.current && { text: session.current.text, since: session.current.since.toISOString() },
    held_by: session.heldBy,
    gateway: session.gateway ?? localGateway,
  };
}

export function accountView(account: Account): AccountJson {
  return {
    name: account.name,
    groups: account.groups,
    status: account.status,
    created_at: account.createdAt.toISOString(),
    expires_at: account.expiresAt?.toISOString() ?? null,
  };
}
