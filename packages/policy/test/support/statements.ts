import type { PolicyConfig, RuleConfig } from '@sluice/config';
import type { LexerState, StatementAnalysis } from '@sluice/sql';
import { NO_REACH } from '@sluice/sql';
import type { DecisionContext } from '../../src/index.js';

export const POSTGRES_STATE: LexerState = {
  dialect: 'postgres',
  standardConformingStrings: true,
  ansiQuotes: false,
  noBackslashEscapes: false,
};

/** A hand-built analysis: a harmless SELECT unless `overrides` say otherwise. */
export function analysis(overrides: Partial<StatementAnalysis> = {}): StatementAnalysis {
  return {
    text: 'SELECT 1',
    fingerprint: 'SELECT ?',
    dialect: 'postgres',
    kind: 'select',
    command: 'SELECT',
    parsed: true,
    understood: true,
    problem: null,
    tablesRead: [],
    tablesWritten: [],
    functions: [],
    dml: [],
    nestedDml: false,
    dynamicSql: false,
    copy: null,
    fileAccess: false,
    settingChange: null,
    settingChanges: [],
    outputColumns: null,
    reach: NO_REACH,
    ...overrides,
  };
}

export function context(overrides: Partial<DecisionContext> = {}): DecisionContext {
  return {
    identity: { name: 'ci-bot', groups: ['ci'] },
    connection: 'orders',
    defaultSchema: 'public',
    lexerState: POSTGRES_STATE,
    ...overrides,
  };
}

export function policy(overrides: Partial<PolicyConfig> = {}): PolicyConfig {
  return {
    name: 'agents',
    guardrails: 'off',
    maxStatementTimeMs: null,
    rules: [],
    default: 'allow',
    masking: undefined,
    approval: undefined,
    ...overrides,
  };
}

export function rule(
  name: string,
  match: RuleConfig['match'],
  action: RuleConfig['action'] = 'block',
): RuleConfig {
  return { name, match, action };
}
