import type { PolicyConfig } from '@sluice/config';
import type { StatementAnalysis } from '@sluice/sql';
import { guardrailFor } from './guardrails.js';
import { firstMatchingRule } from './rules.js';
import { lexerStateAfter } from './settings.js';
import type { Decision, DecisionContext } from './types.js';

/** Judges one statement: guardrails first, then the rules in order, then the policy's default. */
export function decide(
  policy: PolicyConfig,
  statement: StatementAnalysis,
  context: DecisionContext,
): Decision {
  const guardrail = guardrailFor(policy.guardrails, statement, context.lexerState, context.ownsProcess);
  if (guardrail !== undefined)
    return {
      action: 'block',
      rule: `guardrail:${guardrail.id}`,
      reason: guardrail.reason,
      statementIndex: 0,
    };
  const matching = firstMatchingRule(policy.rules, statement, context);
  if (matching !== undefined) {
    const { rule, matched } = matching;
    return {
      action: rule.action,
      rule: rule.name,
      reason: `rule ${rule.name} matches ${matched}`,
      statementIndex: 0,
    };
  }
  return {
    action: policy.default,
    rule: 'default',
    reason: `no rule matches; the policy's default is ${policy.default}`,
    statementIndex: 0,
  };
}

/**
 * Judges every statement of a multi-statement string, each with the lexer state the statements
 * before it leave. The string's decision is its first block, else its first approve, else allow:
 * the gateway runs none of it when any statement is blocked.
 */
export function decideAll(
  policy: PolicyConfig,
  statements: readonly StatementAnalysis[],
  context: DecisionContext,
): Decision {
  let lexerState = context.lexerState;
  let firstApprove: Decision | undefined;
  let firstAllow: Decision | undefined;
  for (const [statementIndex, statement] of statements.entries()) {
    const decision = { ...decide(policy, statement, { ...context, lexerState }), statementIndex };
    if (decision.action === 'block') return decision;
    if (decision.action === 'approve') firstApprove ??= decision;
    else firstAllow ??= decision;
    lexerState = lexerStateAfter(lexerState, statement);
  }
  return (
    firstApprove ??
    firstAllow ?? {
      action: 'allow',
      rule: 'default',
      reason: 'the query string holds no statement',
      statementIndex: 0,
    }
  );
}
