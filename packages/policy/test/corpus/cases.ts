import type { GuardrailId } from '../../src/index.js';

/** A statement strict guardrails must block, and the guardrail that must catch it first. */
export interface BlockCase {
  readonly sql: string;
  readonly guardrail: GuardrailId;
}

export const blockedBy = (guardrail: GuardrailId, statements: readonly string[]): readonly BlockCase[] =>
  statements.map((sql) => ({ sql, guardrail }));
