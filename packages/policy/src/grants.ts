import type { StatementAnalysis } from '@sluice/sql';
import { tablePatternMatches, tablesTouched } from './tables.js';
import type { DecisionContext, GrantScope } from './types.js';

/** Statement kinds a `write` grant lets through. */
const WRITE_KINDS: ReadonlySet<string> = new Set(['insert', 'update', 'delete', 'merge', 'copy']);

/**
 * The first of the caller's grants that allows this statement in the way asked (`write` for
 * writes, `ddl` for DDL, `approve-free` for a statement that would wait for approval), and whose
 * tables, if it names any, cover every table the statement touches.
 */
export function grantAllowing(
  allowance: GrantScope['allow'][number],
  statement: StatementAnalysis,
  context: DecisionContext,
): GrantScope | undefined {
  const grants = context.grants;
  if (!grants || grants.length === 0) return undefined;
  return grants.find((grant) => grant.allow.includes(allowance) && coversTables(grant, statement, context));
}

/** The allowance a statement of this kind needs from a grant to skip the rules, if any. */
export function wideningFor(statement: StatementAnalysis): 'write' | 'ddl' | undefined {
  if (statement.kind === 'ddl') return 'ddl';
  return WRITE_KINDS.has(statement.kind) ? 'write' : undefined;
}

function coversTables(grant: GrantScope, statement: StatementAnalysis, context: DecisionContext): boolean {
  const patterns = grant.tables;
  if (patterns === null || patterns.length === 0) return true;
  return tablesTouched(statement).every((table) =>
    patterns.some((pattern) => tablePatternMatches(pattern, table, context.defaultSchema)),
  );
}
