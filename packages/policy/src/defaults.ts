import type { PolicyConfig } from '@sluice/config';

/** A connection without a policy gets this: strict guardrails, no rules, default allow. */
export const DEFAULT_POLICY: PolicyConfig = Object.freeze({
  name: 'default',
  guardrails: 'strict',
  rules: Object.freeze([]),
  default: 'allow',
  masking: undefined,
  approval: undefined,
});
