import {
  type ApprovalRequest,
  type Control,
  type ControlEvent,
  GRANT_ALLOWANCES,
  type Grant,
  type GrantAllowance,
} from '@sluice/control';
import type { Journal } from '@sluice/journal';
import type { Logger } from 'pino';

/**
 * Journals every control event (AC-2, AU-6): approval requests and decisions, grants created,
 * used, expired and revoked. A record that cannot be written is logged: the decision itself has
 * been made, and the statement it concerns is journalled on its own path.
 */
export function journalControlEvents(control: Control, journal: Journal, log: Logger): () => void {
  return control.events.on((event) => {
    try {
      journal.recordEvent(event.type, refOf(event), payloadOf(event));
    } catch (error) {
      log.error({ err: error, event: event.type, action: event.action }, 'cannot journal a control event');
    }
  });
}

/** Grants still active when the gateway last stopped take effect again. */
export function restoreGrants(control: Control, journal: Journal): void {
  const latest = new Map<string, Readonly<Record<string, unknown>>>();
  for (const entry of journal.entriesOfType('grant')) {
    const id = entry.ref;
    if (id === null) continue;
    if (entry.payload.action === 'created') latest.set(id, entry.payload);
    else if (entry.payload.action === 'revoked') latest.delete(id);
  }
  for (const payload of latest.values()) {
    const grant = grantFromPayload(payload);
    if (grant) control.grants.restore(grant);
  }
}

function refOf(event: ControlEvent): string {
  return event.type === 'approval' ? event.request.id : event.grant.id;
}

function payloadOf(event: ControlEvent): Readonly<Record<string, unknown>> {
  if (event.type === 'grant')
    return { action: event.action, actor: event.actor, ...grantPayload(event.grant) };
  return { action: event.action, actor: event.actor, ...approvalPayload(event.request) };
}

export function approvalPayload(request: ApprovalRequest): Readonly<Record<string, unknown>> {
  const { subject } = request;
  return {
    mode: request.mode,
    state: request.state,
    identity: request.identity,
    groups: request.groups,
    session: request.sessionId,
    connection: request.connection,
    protocol: request.protocol,
    subject: subject.kind,
    ...(subject.kind === 'statement'
      ? {
          statement: subject.statement,
          parameters: subject.parameters,
          kind: subject.statementKind,
          tables: subject.tables,
        }
      : { grant: { ...subject.grant } }),
    rule: request.rule,
    reason: request.reason,
    min_approvals: request.minApprovals,
    approvals: request.approvals.map((approval) => ({ by: approval.by, at: approval.at.toISOString() })),
    denial: request.denial && { ...request.denial, at: request.denial.at.toISOString() },
    requested_at: request.requestedAt.toISOString(),
    decided_at: request.decidedAt?.toISOString() ?? null,
    end_reason: request.endReason,
  };
}

export function grantPayload(grant: Grant): Readonly<Record<string, unknown>> {
  return {
    id: grant.id,
    identity: grant.identity,
    group: grant.group,
    connection: grant.connection,
    allow: grant.allow,
    tables: grant.tables,
    reason: grant.reason,
    created_by: grant.createdBy,
    created_at: grant.createdAt.toISOString(),
    expires_at: grant.expiresAt.toISOString(),
    revoked_at: grant.revokedAt?.toISOString() ?? null,
    revoked_by: grant.revokedBy,
    request: grant.requestId,
  };
}

function grantFromPayload(payload: Readonly<Record<string, unknown>>): Grant | undefined {
  const text = (key: string): string | null =>
    typeof payload[key] === 'string' ? (payload[key] as string) : null;
  const list = (key: string): string[] | null =>
    Array.isArray(payload[key])
      ? (payload[key] as unknown[]).filter((item): item is string => typeof item === 'string')
      : null;
  const id = text('id');
  const connection = text('connection');
  const created = text('created_at');
  const expires = text('expires_at');
  if (!id || !connection || !created || !expires) return undefined;
  return {
    id,
    identity: text('identity'),
    group: text('group'),
    connection,
    allow: (list('allow') ?? []).filter((each): each is GrantAllowance =>
      (GRANT_ALLOWANCES as readonly string[]).includes(each),
    ),
    tables: list('tables'),
    reason: text('reason') ?? '',
    createdBy: text('created_by') ?? 'unknown',
    createdAt: new Date(created),
    expiresAt: new Date(expires),
    revokedAt: null,
    revokedBy: null,
    requestId: text('request'),
  };
}
