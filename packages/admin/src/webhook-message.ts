import type { ApprovalAction, ApprovalRequest } from '@sluice/control';
import { approvalView } from './views.js';

/** The approval changes a webhook hears about; `used` (a ticket ran) and `estimated` are journalled only. */
export const WEBHOOK_ACTIONS: readonly ApprovalAction[] = [
  'requested',
  'approval',
  'approved',
  'denied',
  'expired',
  'withdrawn',
];

export interface ApprovalNotice {
  readonly action: ApprovalAction;
  readonly actor: string | null;
  readonly request: ApprovalRequest;
}

/** `format: json`: the same event the SSE stream sends. */
export function jsonMessage(notice: ApprovalNotice): Record<string, unknown> {
  return {
    type: 'approval',
    action: notice.action,
    actor: notice.actor,
    at: new Date().toISOString(),
    request: approvalView(notice.request),
  };
}

/** `format: slack`: one line of text for an incoming-webhook channel. */
export function slackMessage(notice: ApprovalNotice): { text: string } {
  const { request, actor } = notice;
  const what =
    request.subject.kind === 'statement'
      ? `\`${clip(request.subject.statement)}\``
      : `a grant (${request.subject.grant.allow.join(', ')} for ${request.subject.grant.durationMs / 60_000} min)`;
  const where = `${request.identity} on ${request.connection}`;
  const lines: Record<ApprovalAction, string> = {
    requested: `Approval needed: ${where} asks to run ${what} (rule ${request.rule}). Request ${request.id}; \`sluice approvals approve ${request.id}\``,
    approval: `${actor ?? 'someone'} approved ${request.id} (${request.approvals.length} of ${request.minApprovals})`,
    approved: `Approved by ${request.approvals.map((each) => each.by).join(', ')}: ${request.id}, ${where}`,
    denied: `Denied by ${request.denial?.by ?? actor ?? 'someone'}: ${request.id}, ${where}: ${request.denial?.reason ?? ''}`,
    expired: `Expired without a decision: ${request.id}, ${where}`,
    withdrawn: `Withdrawn: ${request.id}, ${where} (${request.endReason ?? 'no reason'})`,
    used: `Ticket used: ${request.id}`,
    estimated: `Estimate for ${request.id}: ${request.subject.kind === 'statement' ? request.subject.estimatedRows : null} rows`,
  };
  return { text: lines[notice.action] };
}

function clip(statement: string): string {
  const oneLine = statement.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 197)}...` : oneLine;
}
