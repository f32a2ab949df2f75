import type { Control } from '@sluice/control';

export const PENDING_APPROVALS_RULE = 'pending-approvals-limit';

/**
 * `limits.max_pending_approvals_per_identity`: the reason a new approval request of `identity`
 * is refused, or null when it may be filed. Each request is a card in every approver's inbox
 * and a webhook call, so one caller must not be able to flood them.
 */
export function pendingApprovalsRefusal(
  control: Control,
  identity: string,
  max: number | null,
): string | null {
  if (max === null) return null;
  let pending = 0;
  for (const request of control.approvals.list({ state: 'pending' })) {
    if (request.identity === identity) pending += 1;
  }
  if (pending < max) return null;
  return `${pending} approval requests of this identity are pending; limits.max_pending_approvals_per_identity is ${max}`;
}
