import { type PolicyConfig, STRICT_MAX_STATEMENT_MS } from '@sluice/config';

/** A connection without a policy gets this: strict guardrails, no rules, default allow. */
export const DEFAULT_POLICY: PolicyConfig = Object.freeze({
  name: 'default',
  guardrails: 'strict',
  maxStatementTimeMs: STRICT_MAX_STATEMENT_MS,
  rules: Object.freeze([]),
  default: 'allow',
  masking: undefined,
  approval: undefined,
});
