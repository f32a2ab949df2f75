import { type Actor, type Control, ControlError } from '@sluice/control';
import { encodeApproval } from './approval-codec.js';
import type { CommandResult } from './commands.js';
import { object, oneOf, text } from './json.js';

/**
 * Runs a command another gateway sent: this gateway holds the request or the session, so its
 * own checks (self-approval, approver audience, already decided) decide, with no race.
 */
export function runCommand(control: Control, local: Control['sessions'], json: unknown): CommandResult {
  try {
    const command = object(json, 'command');
    if (command.kind === 'kill') {
      return { killed: local.kill(text(command.session, 'session'), text(command.reason, 'reason')) };
    }
    if (command.kind !== 'decide') throw new TypeError('an unknown kind of command');
    const id = text(command.id, 'id');
    const actor = actorOf(command.actor);
    const request =
      oneOf(command.action, ['approve', 'deny'] as const, 'action') === 'approve'
        ? control.approvals.approve(id, actor)
        : control.approvals.deny(id, actor, typeof command.reason === 'string' ? command.reason : '');
    return { request: encodeApproval(request) };
  } catch (error) {
    if (error instanceof ControlError) return { error: { code: error.code, message: error.message } };
    const why = error instanceof Error ? error.message : String(error);
    return { error: { code: 'invalid', message: `a command this gateway cannot read: ${why}` } };
  }
}

function actorOf(json: unknown): Actor {
  const o = object(json, 'actor');
  const list = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((each): each is string => typeof each === 'string') : [];
  return {
    name: text(o.name, 'actor.name'),
    groups: list(o.groups),
    roles: list(o.roles).filter((role): role is Actor['roles'][number] =>
      ['admin', 'approver', 'auditor'].includes(role),
    ),
    via: oneOf(o.via, ['token', 'oidc', 'service-account', 'local'] as const, 'actor.via'),
  };
}
