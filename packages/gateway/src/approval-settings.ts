import type { AudienceConfig, PolicyConfig } from '@sluice/config';

/** How a statement that needs approval waits, from its rule's settings over its policy's. */
export interface ApprovalSettings {
  readonly mode: 'hold' | 'ticket';
  readonly timeoutMs: number;
  readonly ticketTtlMs: number;
  readonly minApprovals: number;
  /** Empty: `admin.approvers` decide. */
  readonly approvers: AudienceConfig;
}

const DEFAULTS: ApprovalSettings = {
  mode: 'hold',
  timeoutMs: 5 * 60_000,
  ticketTtlMs: 60 * 60_000,
  minApprovals: 1,
  approvers: { identities: [], groups: [] },
};

/** `ruleName` is the decision's rule: a rule's name, or `default`. */
export function approvalSettingsFor(policy: PolicyConfig, ruleName: string): ApprovalSettings {
  const own = policy.rules.find((rule) => rule.name === ruleName)?.approval;
  const shared = policy.approval;
  return {
    mode: own?.mode ?? shared?.mode ?? DEFAULTS.mode,
    timeoutMs: own?.timeoutMs ?? shared?.timeoutMs ?? DEFAULTS.timeoutMs,
    ticketTtlMs: own?.ticketTtlMs ?? shared?.ticketTtlMs ?? DEFAULTS.ticketTtlMs,
    minApprovals: Math.max(1, own?.minApprovals ?? shared?.minApprovals ?? DEFAULTS.minApprovals),
    approvers: own?.approvers ?? shared?.approvers ?? DEFAULTS.approvers,
  };
}
