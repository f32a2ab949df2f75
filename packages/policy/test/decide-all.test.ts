import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, decideAll } from '../src/index.js';
import { analysis, context, policy, rule } from './support/statements.js';

const select = analysis({ tablesRead: ['orders'] });
const insert = analysis({ kind: 'insert', command: 'INSERT', tablesWritten: ['orders'] });
const drop = analysis({ kind: 'ddl', command: 'DROP TABLE', tablesWritten: ['orders'] });
const writesNeedApproval = policy({
  guardrails: 'strict',
  rules: [rule('writes-need-approval', { kind: ['insert', 'update', 'delete'] }, 'approve')],
});

describe('decideAll', () => {
  it('is blocked by any blocked statement, naming which one', () => {
    expect(decideAll(writesNeedApproval, [select, insert, drop, select], context())).toEqual({
      action: 'block',
      rule: 'guardrail:ddl',
      reason: 'DROP TABLE is not allowed under strict guardrails',
      statementIndex: 2,
    });
  });

  it('needs approval when a statement does and none is blocked', () => {
    expect(decideAll(writesNeedApproval, [select, insert, insert], context())).toEqual({
      action: 'approve',
      rule: 'writes-need-approval',
      reason: 'rule writes-need-approval matches kind insert',
      statementIndex: 1,
    });
  });

  it('is allowed when every statement is, reporting the first', () => {
    expect(decideAll(writesNeedApproval, [select, select], context())).toMatchObject({
      action: 'allow',
      rule: 'default',
      statementIndex: 0,
    });
  });

  it('allows an empty query string, which runs nothing', () => {
    expect(decideAll(policy({ default: 'block' }), [], context())).toMatchObject({
      action: 'allow',
      statementIndex: 0,
    });
  });

  it('judges a single statement like decide', () => {
    expect(decideAll(DEFAULT_POLICY, [drop], context())).toMatchObject({
      action: 'block',
      rule: 'guardrail:ddl',
    });
  });
});

describe('DEFAULT_POLICY', () => {
  it('is strict guardrails, no rules, default allow', () => {
    expect(DEFAULT_POLICY).toMatchObject({ guardrails: 'strict', rules: [], default: 'allow' });
    expect(decideAll(DEFAULT_POLICY, [select, insert], context()).action).toBe('allow');
    expect(Object.isFrozen(DEFAULT_POLICY)).toBe(true);
  });
});
