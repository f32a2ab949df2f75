import type { Approval, Me } from './api-types.js';

/** The approval board's own rule (control's `mayDecide`), so the console offers only what the API accepts. */
export function mayDecide(me: Me, request: Approval): boolean {
  if (request.state !== 'pending') return false;
  if (me.name === request.identity) return false;
  if (request.approvals.some((approval) => approval.by === me.name)) return false;
  if (me.roles.includes('admin')) return true;
  const { identities, groups } = request.approvers;
  if (identities.length === 0 && groups.length === 0) return me.roles.includes('approver');
  return identities.includes(me.name) || me.groups.some((group) => groups.includes(group));
}
