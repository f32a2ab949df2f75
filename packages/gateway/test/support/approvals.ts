import type { Actor, ApprovalRequest, Control } from '@sluice/control';

export const approver = (name: string, roles: Actor['roles'] = ['approver']): Actor => ({
  name,
  groups: ['dba'],
  via: 'oidc',
  roles,
});

/** Waits (bounded) until a request matching `text` is pending, and returns it. */
export async function pendingRequest(
  control: Control,
  text: RegExp,
  timeoutMs = 5000,
): Promise<ApprovalRequest> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = control.approvals
      .list({ state: 'pending' })
      .find((request) => request.subject.kind === 'statement' && text.test(request.subject.statement));
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`no pending approval request for ${text} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether a promise is still unsettled after `ms`. */
export async function stillPending(promise: Promise<unknown>, ms = 200): Promise<boolean> {
  const marker = Symbol('pending');
  const result = await Promise.race([
    promise.then(
      () => 'settled',
      () => 'settled',
    ),
    new Promise((resolve) => setTimeout(() => resolve(marker), ms)),
  ]);
  return result === marker;
}
