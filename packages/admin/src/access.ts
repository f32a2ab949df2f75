import type { Actor } from '@sluice/control';
import { AdminError } from './errors.js';

/**
 * Who may call a route: `admin` changes things; `decide` is for approvers (the approval board
 * then checks the request's own approvers); `read` is any role; `caller` is anyone
 * authenticated, including service accounts and people with no role (their own requests only).
 */
export type Access = 'admin' | 'decide' | 'read' | 'caller';

export function permits(actor: Actor, access: Access): boolean {
  switch (access) {
    case 'admin':
      return actor.roles.includes('admin');
    case 'decide':
      return actor.roles.includes('admin') || actor.roles.includes('approver');
    case 'read':
      return actor.roles.length > 0;
    case 'caller':
      return true;
  }
}

export function demand(actor: Actor, access: Access): void {
  if (permits(actor, access)) return;
  throw new AdminError(403, `${actor.name} may not do this (needs ${NEEDS[access]})`);
}

/** Whether the actor sees everyone's approval requests or only their own. */
export function seesAll(actor: Actor): boolean {
  return permits(actor, 'read');
}

const NEEDS: Record<Access, string> = {
  admin: 'the admin role',
  decide: 'the approver or admin role',
  read: 'the auditor, approver or admin role',
  caller: 'authentication',
};
