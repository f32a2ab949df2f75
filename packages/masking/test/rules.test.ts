import { describe, expect, it } from 'vitest';
import { columnMatches, columnPatternProblem } from '../src/index.js';

const users = (column: string, schema: string | null = 'public') => ({ schema, table: 'users', column });

describe('columnMatches', () => {
  it.each([
    ['*.email', users('email'), true],
    ['*.email', { table: 'customers', column: 'EMAIL' }, true],
    ['*.email', users('email_verified'), false],
    ['*.email*', users('email_verified'), true],
    ['users.ssn', users('ssn'), true],
    ['users.ssn', users('ssn', 'audit'), true],
    ['users.ssn', { table: 'Users', column: 'SSN' }, true],
    ['users.ssn', { table: 'customers', column: 'ssn' }, false],
    ['public.users.ssn', users('ssn'), true],
    ['public.users.ssn', users('ssn', 'audit'), false],
    ['public.users.ssn', users('ssn', 'PUBLIC'), true],
    ['*.card_*', { table: 'orders', column: 'card_number' }, true],
    ['*.card_*', { table: 'orders', column: 'cardholder' }, false],
    ['*.card_?', { table: 'orders', column: 'card_1' }, true],
    ['*.*', users('anything'), true],
    ['ssn', users('ssn'), true],
    ['user.ssn', users('ssn'), false],
    ['us.rs.ssn', users('ssn'), false],
    ['users.e.mail', users('e.mail'), false],
  ])('%s against %j → %s', (pattern, source, expected) => {
    expect(columnMatches(pattern, source)).toBe(expected);
  });

  it('treats a dot in a pattern part literally, not as any character', () => {
    expect(columnMatches('*.e_mail', users('e_mail'))).toBe(true);
    expect(columnMatches('*.e_mail', users('eXmail'))).toBe(false);
  });

  it('escapes regular-expression characters in patterns', () => {
    expect(columnMatches('*.col(1)', users('col(1)'))).toBe(true);
    expect(columnMatches('*.a+b', users('aab'))).toBe(false);
  });

  it('matches an unknown schema or table, so a partly known origin is masked', () => {
    expect(columnMatches('public.users.ssn', users('ssn', null))).toBe(true);
    expect(columnMatches('public.users.ssn', { table: 'users', column: 'ssn' })).toBe(true);
    expect(columnMatches('users.ssn', { table: null, column: 'ssn' })).toBe(true);
    expect(columnMatches('users.ssn', { table: null, column: 'name' })).toBe(false);
  });

  it('reads a schema-qualified table name as the analysis writes it', () => {
    expect(columnMatches('public.users.ssn', { table: 'public.users', column: 'ssn' })).toBe(true);
    expect(columnMatches('public.users.ssn', { table: 'audit.users', column: 'ssn' })).toBe(false);
    expect(columnMatches('users.ssn', { table: 'audit.users', column: 'ssn' })).toBe(true);
  });

  it('reads a faulty pattern so that it masks more, never less', () => {
    expect(columnMatches('users.', users('anything'))).toBe(true);
    expect(columnMatches('orders.public.users.ssn', users('ssn'))).toBe(true);
  });
});

describe('columnPatternProblem', () => {
  it('accepts one to three parts', () => {
    expect(columnPatternProblem('ssn')).toBeNull();
    expect(columnPatternProblem('*.email')).toBeNull();
    expect(columnPatternProblem('public.users.ssn')).toBeNull();
  });

  it('reports empty parts and too many parts', () => {
    expect(columnPatternProblem('users.')).toBe('"users." has an empty part; use * for any');
    expect(columnPatternProblem('a.b.c.d')).toBe(
      '"a.b.c.d" has 4 parts; expected table.column or schema.table.column',
    );
  });
});
