import type { RuleConfig, RuleMatch } from '@sluice/config';
import type { StatementAnalysis } from '@sluice/sql';
import { globMatches } from './glob.js';
import { functionPatternMatches, tablePatternMatches, tablesTouched } from './tables.js';
import type { DecisionContext } from './types.js';

export interface RuleMatchResult {
  readonly rule: RuleConfig;
  /** What matched, for the reason: `table payroll.salaries and kind delete`. */
  readonly matched: string;
}

/** What a single `match` field matched, `undefined` when it did not match. */
type FieldMatcher = (
  patterns: readonly string[],
  statement: StatementAnalysis,
  context: DecisionContext,
) => string | undefined;

const identities: FieldMatcher = (patterns, _statement, context) =>
  patterns.some((pattern) => globMatches(pattern, context.identity.name))
    ? `identity ${context.identity.name}`
    : undefined;

const groups: FieldMatcher = (patterns, _statement, context) => {
  const group = context.identity.groups.find((name) =>
    patterns.some((pattern) => globMatches(pattern, name)),
  );
  return group === undefined ? undefined : `group ${group}`;
};

const connections: FieldMatcher = (patterns, _statement, context) =>
  patterns.some((pattern) => globMatches(pattern, context.connection))
    ? `connection ${context.connection}`
    : undefined;

const kinds: FieldMatcher = (kinds, statement) =>
  kinds.includes(statement.kind) ? `kind ${statement.kind}` : undefined;

const tables: FieldMatcher = (patterns, statement, context) => {
  const table = tablesTouched(statement).find((name) =>
    patterns.some((pattern) => tablePatternMatches(pattern, name, context.defaultSchema)),
  );
  return table === undefined ? undefined : `table ${table}`;
};

const functions: FieldMatcher = (patterns, statement, context) => {
  const called = statement.functions.find((name) =>
    patterns.some((pattern) => functionPatternMatches(pattern, name, context.defaultSchema)),
  );
  return called === undefined ? undefined : `function ${called}`;
};

/** In the order their matches are named in a reason: what the statement touches first. */
const FIELD_MATCHERS: readonly (readonly [keyof RuleMatch, FieldMatcher])[] = [
  ['tables', tables],
  ['functions', functions],
  ['kind', kinds],
  ['identities', identities],
  ['groups', groups],
  ['connections', connections],
];

/**
 * What `match` matched in the statement and its context, or `undefined` when some field does
 * not match. Fields are ANDed, the items of a field ORed; an empty list matches nothing and an
 * empty `match` matches everything.
 */
export function ruleMatches(
  match: RuleMatch,
  statement: StatementAnalysis,
  context: DecisionContext,
): string | undefined {
  const matched: string[] = [];
  for (const [field, matcher] of FIELD_MATCHERS) {
    const patterns = match[field];
    if (patterns === undefined) continue;
    const found = matcher(patterns, statement, context);
    if (found === undefined) return undefined;
    matched.push(found);
  }
  return matched.length === 0 ? 'every statement' : matched.join(' and ');
}

/** The first rule, in order, whose `match` matches. */
export function firstMatchingRule(
  rules: readonly RuleConfig[],
  statement: StatementAnalysis,
  context: DecisionContext,
): RuleMatchResult | undefined {
  for (const rule of rules) {
    const matched = ruleMatches(rule.match, statement, context);
    if (matched !== undefined) return { rule, matched };
  }
  return undefined;
}
