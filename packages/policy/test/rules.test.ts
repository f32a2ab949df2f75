import { describe, expect, it } from 'vitest';
import { decide } from '../src/index.js';
import { analysis, context, policy, rule } from './support/statements.js';

const payrollRead = analysis({ tablesRead: ['payroll.salaries'] });

describe('rules', () => {
  it('the first matching rule decides, in order', () => {
    const rules = [
      rule('ci-may-insert', { groups: ['ci'], kind: ['insert'] }, 'allow'),
      rule('writes-need-approval', { kind: ['insert', 'update', 'delete'] }, 'approve'),
    ];
    const insert = analysis({ kind: 'insert', command: 'INSERT', tablesWritten: ['orders'] });
    expect(decide(policy({ rules }), insert, context())).toEqual({
      action: 'allow',
      rule: 'ci-may-insert',
      reason: 'rule ci-may-insert matches kind insert and group ci',
      statementIndex: 0,
    });
    const stranger = context({ identity: { name: 'alice', groups: ['analysts'] } });
    expect(decide(policy({ rules }), insert, stranger)).toMatchObject({
      action: 'approve',
      rule: 'writes-need-approval',
    });
  });

  it('falls back to the default when no rule matches', () => {
    const decision = decide(
      policy({ default: 'approve', rules: [rule('no-payroll', { tables: ['payroll.*'] })] }),
      analysis(),
      context(),
    );
    expect(decision).toEqual({
      action: 'approve',
      rule: 'default',
      reason: "no rule matches; the policy's default is approve",
      statementIndex: 0,
    });
  });

  it('an empty match matches every statement', () => {
    expect(decide(policy({ rules: [rule('lockdown', {})] }), analysis(), context())).toMatchObject({
      action: 'block',
      rule: 'lockdown',
      reason: 'rule lockdown matches every statement',
    });
  });

  it('an empty list matches nothing', () => {
    expect(decide(policy({ rules: [rule('nobody', { groups: [] })] }), analysis(), context()).rule).toBe(
      'default',
    );
  });

  it('ANDs the fields of a match', () => {
    const rules = [rule('ci-payroll', { groups: ['ci'], tables: ['payroll.*'] })];
    expect(decide(policy({ rules }), payrollRead, context()).rule).toBe('ci-payroll');
    const dba = context({ identity: { name: 'dana', groups: ['dba'] } });
    expect(decide(policy({ rules }), payrollRead, dba).rule).toBe('default');
    expect(decide(policy({ rules }), analysis({ tablesRead: ['orders'] }), context()).rule).toBe('default');
  });

  describe('identities', () => {
    const rules = [rule('bots', { identities: ['*-bot', 'alice@example.com'] })];
    it.each([
      ['ci-bot', 'bots'],
      ['CI-BOT', 'bots'],
      ['alice@example.com', 'bots'],
      ['bob@example.com', 'default'],
      ['robot', 'default'],
    ])('%s → %s', (name, expected) => {
      expect(decide(policy({ rules }), analysis(), context({ identity: { name, groups: [] } })).rule).toBe(
        expected,
      );
    });
  });

  describe('groups', () => {
    const rules = [rule('data-team', { groups: ['dba', 'analyst-*'] }, 'allow')];
    it.each([
      [['ci', 'dba'], 'data-team'],
      [['analyst-eu'], 'data-team'],
      [['ci'], 'default'],
      [[], 'default'],
    ])('%j → %s', (groups, expected) => {
      const decision = decide(
        policy({ default: 'block', rules }),
        analysis(),
        context({ identity: { name: 'x', groups } }),
      );
      expect(decision.rule).toBe(expected);
    });

    it('names the group that matched', () => {
      const decision = decide(
        policy({ rules }),
        analysis(),
        context({ identity: { name: 'x', groups: ['ci', 'dba'] } }),
      );
      expect(decision.reason).toBe('rule data-team matches group dba');
    });
  });

  describe('connections', () => {
    const rules = [rule('orders-only', { connections: ['orders'] }, 'approve')];
    it.each([
      ['orders', 'orders-only'],
      ['billing', 'default'],
    ])('%s → %s', (connection, expected) => {
      expect(decide(policy({ rules }), analysis(), context({ connection })).rule).toBe(expected);
    });
  });

  describe('kind', () => {
    const rules = [rule('no-writes', { kind: ['insert', 'update', 'delete', 'merge'] })];
    it.each([
      ['insert', 'no-writes'],
      ['merge', 'no-writes'],
      ['select', 'default'],
      ['ddl', 'default'],
    ] as const)('%s → %s', (kind, expected) => {
      expect(decide(policy({ rules }), analysis({ kind }), context()).rule).toBe(expected);
    });
  });

  describe('tables', () => {
    const decideTables = (
      patterns: string[],
      tables: Parameters<typeof analysis>[0],
      defaultSchema = 'public',
    ) =>
      decide(
        policy({ rules: [rule('r', { tables: patterns })] }),
        analysis(tables),
        context({ defaultSchema }),
      ).rule;

    it('matches schema-qualified names with a dotted pattern', () => {
      expect(decideTables(['payroll.*'], { tablesRead: ['payroll.salaries'] })).toBe('r');
      expect(decideTables(['payroll.*'], { tablesRead: ['public.salaries'] })).toBe('default');
    });

    it('treats an unqualified name as a table of the default schema', () => {
      expect(decideTables(['public.users'], { tablesRead: ['users'] })).toBe('r');
      expect(decideTables(['public.*'], { tablesWritten: ['users'] })).toBe('r');
      expect(decideTables(['payroll.*'], { tablesRead: ['salaries'] })).toBe('default');
      expect(decideTables(['payroll.*'], { tablesRead: ['salaries'] }, 'payroll')).toBe('r');
      expect(decideTables(['billing.invoices'], { tablesRead: ['invoices'] }, 'billing')).toBe('r');
    });

    it('matches a pattern without a dot against the table name in any schema', () => {
      expect(decideTables(['users'], { tablesRead: ['users'] })).toBe('r');
      expect(decideTables(['users'], { tablesRead: ['crm.users'] })).toBe('r');
      expect(decideTables(['audit_*'], { tablesWritten: ['logs.audit_2024'] })).toBe('r');
      expect(decideTables(['users'], { tablesRead: ['users_archive'] })).toBe('default');
    });

    it('is case-insensitive and ignores identifier quotes', () => {
      expect(decideTables(['payroll.*'], { tablesRead: ['PAYROLL.Salaries'] })).toBe('r');
      expect(decideTables(['payroll.salaries'], { tablesRead: ['"payroll"."salaries"'] })).toBe('r');
    });

    it('reads a three-part name as catalog.schema.table', () => {
      expect(decideTables(['payroll.*'], { tablesRead: ['orders.payroll.salaries'] })).toBe('r');
    });

    it('looks at every table read or written, DML targets and COPY tables', () => {
      expect(decideTables(['payroll.*'], { tablesRead: ['orders', 'payroll.salaries'] })).toBe('r');
      expect(
        decideTables(['payroll.*'], {
          dml: [{ kind: 'delete', table: 'payroll.salaries', hasWhere: true, whereAlwaysTrue: false }],
        }),
      ).toBe('r');
      expect(
        decideTables(['payroll.*'], {
          copy: { direction: 'to', target: 'stdio', table: 'payroll.salaries' },
        }),
      ).toBe('r');
      expect(decideTables(['payroll.*'], {})).toBe('default');
    });

    it('names the table that matched', () => {
      const rules = [rule('no-payroll', { tables: ['payroll.*'] })];
      expect(decide(policy({ rules }), payrollRead, context())).toEqual({
        action: 'block',
        rule: 'no-payroll',
        reason: 'rule no-payroll matches table payroll.salaries',
        statementIndex: 0,
      });
    });
  });

  describe('functions', () => {
    const rules = [rule('no-sleep', { functions: ['pg_sleep*', 'pg_catalog.pg_terminate_backend'] })];
    it.each([
      [['pg_sleep'], 'no-sleep'],
      [['PG_SLEEP_FOR'], 'no-sleep'],
      [['pg_catalog.pg_sleep'], 'no-sleep'],
      [['pg_catalog.pg_terminate_backend'], 'no-sleep'],
      [['pg_terminate_backend'], 'no-sleep'],
      [['admin.pg_terminate_backend'], 'default'],
      [['now', 'count'], 'default'],
    ])('%j → %s', (functions, expected) => {
      expect(decide(policy({ rules }), analysis({ functions }), context()).rule).toBe(expected);
    });
  });

  it('guardrails run before rules, which cannot lift them', () => {
    const rules = [rule('allow-everything', {}, 'allow')];
    const drop = analysis({ kind: 'ddl', command: 'DROP TABLE' });
    expect(decide(policy({ guardrails: 'strict', rules }), drop, context())).toEqual({
      action: 'block',
      rule: 'guardrail:ddl',
      reason: 'DROP TABLE is not allowed under strict guardrails',
      statementIndex: 0,
    });
    expect(decide(policy({ guardrails: 'standard', rules }), drop, context()).rule).toBe('allow-everything');
  });
});
