import type { PolicyConfig } from '@sluice/config';
import type { Dialect } from '@sluice/sql';
import { defaultLexerState, SqlAnalyzer } from '@sluice/sql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Decision, decideAll, STRICT_ONLY_GUARDRAILS } from '../src/index.js';
import type { BlockCase } from './corpus/cases.js';
import { MYSQL_ALLOW } from './corpus/mysql-allow.js';
import { MYSQL_BLOCK } from './corpus/mysql-block.js';
import { POSTGRES_ALLOW } from './corpus/postgres-allow.js';
import { POSTGRES_BLOCK } from './corpus/postgres-block.js';
import { context, policy } from './support/statements.js';

interface DialectCorpus {
  readonly dialect: Dialect;
  readonly defaultSchema: string;
  readonly block: readonly BlockCase[];
  readonly allow: readonly string[];
}

const CORPORA: readonly DialectCorpus[] = [
  { dialect: 'postgres', defaultSchema: 'public', block: POSTGRES_BLOCK, allow: POSTGRES_ALLOW },
  { dialect: 'mysql', defaultSchema: 'billing', block: MYSQL_BLOCK, allow: MYSQL_ALLOW },
];

const STANDARD_POLICY = policy({ guardrails: 'standard' });

/** One line per statement in test names; the full text is in the failure diff. */
const title = (sql: string): string => JSON.stringify(sql).slice(0, 120);

describe.each(CORPORA)('$dialect corpus', ({ dialect, defaultSchema, block, allow }) => {
  const analyzer = new SqlAnalyzer();
  const lexerState = defaultLexerState(dialect);
  const judge = (policyConfig: PolicyConfig, sql: string): Decision & { readonly sql: string } => ({
    sql,
    ...decideAll(policyConfig, analyzer.analyze(sql, lexerState), context({ defaultSchema, lexerState })),
  });

  it('holds at least 150 statements to block and 150 to allow', () => {
    expect(block.length).toBeGreaterThanOrEqual(150);
    expect(allow.length).toBeGreaterThanOrEqual(150);
  });

  describe('strict blocks', () => {
    it.for(block.map((entry) => [title(entry.sql), entry] as const))('%s', ([, { sql, guardrail }]) => {
      expect(judge(DEFAULT_POLICY, sql)).toMatchObject({
        sql,
        action: 'block',
        rule: `guardrail:${guardrail}`,
      });
    });
  });

  describe('standard blocks all but what only strict refuses', () => {
    it.for(block.map((entry) => [title(entry.sql), entry] as const))('%s', ([, { sql, guardrail }]) => {
      const expected = STRICT_ONLY_GUARDRAILS.includes(guardrail)
        ? { action: 'allow' }
        : { action: 'block', rule: `guardrail:${guardrail}` };
      expect(judge(STANDARD_POLICY, sql)).toMatchObject({ sql, ...expected });
    });
  });

  describe('strict allows', () => {
    it.for(allow.map((sql) => [title(sql), sql] as const))('%s', ([, sql]) => {
      expect(judge(DEFAULT_POLICY, sql)).toMatchObject({ sql, action: 'allow' });
    });
  });
});
