import { describe, expect, it } from 'vitest';
import { globMatches } from '../src/index.js';

describe('globMatches', () => {
  it.each([
    ['payroll.*', 'payroll.salaries'],
    ['payroll.*', 'payroll.'],
    ['*.users', 'public.users'],
    ['audit_*', 'audit_2024'],
    ['ci-?', 'ci-1'],
    ['*', ''],
    ['PUBLIC.Users', 'public.USERS'],
    ['a*b*c', 'aXXbYYc'],
    ['*@example.com', 'alice@example.com'],
    ['pg_*_file', 'pg_read_binary_file'],
  ])('%s matches %s', (pattern, value) => {
    expect(globMatches(pattern, value)).toBe(true);
  });

  it.each([
    ['payroll.*', 'public.payroll'],
    ['users', 'users2'],
    ['users', 'public.users'],
    ['ci-?', 'ci-10'],
    ['ci-?', 'ci-'],
    ['a*b*c', 'aXXbYY'],
    ['', 'x'],
    ['*@example.com', 'alice@example.com.evil'],
  ])('%s does not match %s', (pattern, value) => {
    expect(globMatches(pattern, value)).toBe(false);
  });

  it('treats regular-expression characters literally', () => {
    expect(globMatches('a.b', 'aXb')).toBe(false);
    expect(globMatches('a+(b)', 'a+(b)')).toBe(true);
    expect(globMatches('[ab]', 'a')).toBe(false);
  });

  it('stays fast on patterns that make backtracking matchers explode', () => {
    const started = performance.now();
    expect(globMatches(`${'*a'.repeat(30)}*b`, 'a'.repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
