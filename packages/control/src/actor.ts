import { type Audience, includes, type Someone } from './audience.js';

/** What a person (or the admin token) may do through the admin API. */
export type Role = 'admin' | 'approver' | 'auditor';

export const ROLES: readonly Role[] = ['admin', 'approver', 'auditor'];

/** Someone calling the admin API, authenticated, with the roles config gives them. */
export interface Actor extends Someone {
  /** How they signed in: the admin token, an OIDC token, a service account, the admin socket. */
  readonly via: 'token' | 'oidc' | 'service-account' | 'local';
  readonly roles: readonly Role[];
}

export interface RoleAudiences {
  readonly admins: Audience;
  readonly approvers: Audience;
  readonly auditors: Audience;
}

/** The roles config gives someone; an admin may also do what approvers and auditors do. */
export function rolesOf(someone: Someone, audiences: RoleAudiences): Role[] {
  const roles: Role[] = [];
  if (includes(audiences.admins, someone)) roles.push('admin');
  if (includes(audiences.approvers, someone)) roles.push('approver');
  if (includes(audiences.auditors, someone)) roles.push('auditor');
  return roles;
}

export function hasRole(actor: Actor, role: Role): boolean {
  return actor.roles.includes('admin') || actor.roles.includes(role);
}

/** The admin token's holder. (The CLI acts as `local:<user>`, on the admin socket or the file.) */
export const TOKEN_ACTOR: Actor = { name: 'admin-token', groups: [], via: 'token', roles: ['admin'] };
