import type { PolicyConfig } from '@sluice/config';
import type { StatementAnalysis } from '@sluice/sql';
import { grantAllowing, wideningFor } from './grants.js';
import { guardrailFor } from './guardrails.js';
import { firstMatchingRule } from './rules.js';
import { lexerStateAfter } from './settings.js';
import type { Decision, DecisionContext, GrantScope } from './types.js';

/**
 * Judges one statement: guardrails first, then the caller's grants, then the rules in order,
 * then the policy's default. A `ddl` grant also lifts strict's `ddl` guardrail (and only that
 * one); an `approve-free` grant turns an `approve` of the rules or the default into `allow`.
 */
export function decide(
  policy: PolicyConfig,
  statement: StatementAnalysis,
  context: DecisionContext,
): Decision {
  const guardrail = guardrailFor(policy.guardrails, statement, context.lexerState, context.ownsProcess);
  if (guardrail !== undefined) {
    const lifted = guardrail.id === 'ddl' ? grantAllowing('ddl', statement, context) : undefined;
    if (lifted) return byGrant(lifted, 'ddl');
    return {
      action: 'block',
      rule: `guardrail:${guardrail.id}`,
      reason: guardrail.reason,
      statementIndex: 0,
    };
  }
  const widening = wideningFor(statement);
  const widened = widening && grantAllowing(widening, statement, context);
  if (widened) return byGrant(widened, widening);
  const matching = firstMatchingRule(policy.rules, statement, context);
  const decision: Decision = matching
    ? {
        action: matching.rule.action,
        rule: matching.rule.name,
        reason: `rule ${matching.rule.name} matches ${matching.matched}`,
        statementIndex: 0,
      }
    : {
        action: policy.default,
        rule: 'default',
        reason: `no rule matches; the policy's default is ${policy.default}`,
        statementIndex: 0,
      };
  if (decision.action !== 'approve') return decision;
  const approvalFree = grantAllowing('approve-free', statement, context);
  return approvalFree ? byGrant(approvalFree, 'approve-free') : decision;
}

function byGrant(grant: GrantScope, allowance: string): Decision {
  return {
    action: 'allow',
    rule: `grant:${grant.id}`,
    reason: `grant ${grant.id} allows ${allowance}`,
    statementIndex: 0,
    grant: grant.id,
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
