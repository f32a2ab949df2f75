import type { ApprovalOutcome, ApprovalRequest } from './approval-types.js';
import type { ApprovalAction } from './events.js';

export function sameStatement(
  request: ApprovalRequest,
  identity: string,
  connection: string,
  statement: string,
  parameters: string,
): boolean {
  const { subject } = request;
  return (
    subject.kind === 'statement' &&
    request.identity === identity &&
    request.connection === connection &&
    subject.statement === statement &&
    JSON.stringify(subject.parameters) === parameters
  );
}

export function outcomeOf(request: ApprovalRequest): ApprovalOutcome | undefined {
  const waitedMs = (request.decidedAt?.getTime() ?? Date.now()) - request.requestedAt.getTime();
  switch (request.state) {
    case 'pending':
      return undefined;
    case 'approved':
      return { kind: 'approved', approvers: request.approvals.map((approval) => approval.by), waitedMs };
    case 'denied':
      return {
        kind: 'denied',
        by: request.denial?.by ?? 'unknown',
        reason: request.denial?.reason ?? '',
        waitedMs,
      };
    case 'expired':
      return { kind: 'expired', waitedMs, reason: request.endReason };
    case 'withdrawn':
      return { kind: 'withdrawn', reason: request.endReason ?? 'withdrawn', waitedMs };
  }
}

/** The action a mirrored change stands for, read from the request before and after it. */
export function mirroredAction(
  before: ApprovalRequest | undefined,
  after: ApprovalRequest,
): { readonly action: ApprovalAction; readonly actor: string | null } {
  if (!before) return { action: 'requested', actor: null };
  if (after.state !== before.state) {
    if (after.state === 'approved') return { action: 'approved', actor: after.approvals.at(-1)?.by ?? null };
    if (after.state === 'denied') return { action: 'denied', actor: after.denial?.by ?? null };
    if (after.state !== 'pending') return { action: after.state, actor: null };
  }
  if (after.approvals.length > before.approvals.length)
    return { action: 'approval', actor: after.approvals.at(-1)?.by ?? null };
  if (after.usedAt && !before.usedAt) return { action: 'used', actor: null };
  return { action: 'estimated', actor: null };
}
