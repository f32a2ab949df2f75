import { type Actor, hasRole } from './actor.js';
import type { ApprovalRequest } from './approval-types.js';
import { includes, isEmptyAudience } from './audience.js';
import { ControlError } from './errors.js';

/** Why `actor` may not decide this request; null when they may. */
export function whyNotDecider(actor: Actor, request: ApprovalRequest): string | null {
  if (actor.name === request.identity) return 'nobody approves their own request';
  if (actor.roles.includes('admin')) return null;
  const allowed = isEmptyAudience(request.approvers)
    ? hasRole(actor, 'approver')
    : includes(request.approvers, actor);
  return allowed ? null : `${actor.name} is not an approver of this request`;
}

export function checkDecider(actor: Actor, request: ApprovalRequest): void {
  const why = whyNotDecider(actor, request);
  if (why === null) return;
  throw new ControlError(actor.name === request.identity ? 'self-approval' : 'forbidden', why);
}
