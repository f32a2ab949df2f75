import {
  type ApprovalRequest,
  activeGrantsFromRecords,
  type Control,
  type ControlEvent,
  grantRecord,
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
  for (const grant of activeGrantsFromRecords(journal.records.ofType('grant'))) control.grants.restore(grant);
}

function refOf(event: ControlEvent): string {
  return event.type === 'approval' ? event.request.id : event.grant.id;
}

function payloadOf(event: ControlEvent): Readonly<Record<string, unknown>> {
  if (event.type === 'grant')
    return { action: event.action, actor: event.actor, ...grantRecord(event.grant) };
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
