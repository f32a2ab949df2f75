import { describe, expect, it } from 'vitest';
import { type Dialect, defaultLexerState, lex } from '../src/index.js';
import { whereAlwaysTrue } from '../src/where.js';

function alwaysTrue(condition: string, dialect: Dialect = 'postgres'): boolean {
  const { tokens, error } = lex(`DELETE FROM t WHERE ${condition}`, defaultLexerState(dialect));
  expect(error).toBeNull();
  return whereAlwaysTrue(tokens, 3, dialect);
}

describe('constant-true WHERE', () => {
  it.each([
    '1=1',
    'true',
    "'a'='a'",
    '2>1',
    '1<>2',
    'x = x',
    't.x = t.x',
    'NOT false',
    'x OR true',
    'x = 5 OR 1=1',
    'true AND true',
    '1 IS NOT NULL',
    'NULL IS NULL',
    "'a' LIKE '%'",
    "name LIKE '%%'",
    'id IS NULL OR id IS NOT NULL',
    '(1 = 1)',
    '((true))',
    '1 + 1 = 2',
    '10 / 2 = 5',
    "'ab' = 'a' || 'b'",
    '5 BETWEEN 1 AND 10',
    '3 BETWEEN SYMMETRIC 5 AND 1',
    '2 IN (1, 2, 3)',
    "'t'::boolean",
    "'yes'::bool",
    'CAST(1 AS boolean)',
    "'1' = 1",
    '1 IS DISTINCT FROM 2',
    'NULL IS NOT DISTINCT FROM NULL',
    'true IS TRUE',
    'EXISTS (SELECT 1)',
    'x = 1 OR NOT (2 < 1)',
    '$1 = $1',
    '-1 < 0',
    '1 = 1 RETURNING *',
    '(SELECT true)',
    '(SELECT 1) = 1',
    'coalesce(true, false)',
    'coalesce(NULL, 1) = 1',
  ])('Postgres: %s', (condition) => {
    expect(alwaysTrue(condition)).toBe(true);
  });

  it.each([
    'id = 1',
    'x = y',
    '1 = 2',
    'false',
    'x = 5 AND 1 = 1',
    'NULL = NULL',
    '1 = NULL',
    'x IS NULL',
    "'a' LIKE 'b%'",
    "name LIKE 'a%'",
    "'abc' = 1",
    '$1 = $2',
    'id IN (SELECT id FROM u)',
    'EXISTS (SELECT 1 FROM u)',
    'CURRENT OF c',
    'f(1) = f(1) AND g(x)',
    '1 BETWEEN 2 AND 3',
    'x IS NULL OR y IS NOT NULL',
    'NOT (1 = 1)',
    "'maybe'::boolean",
    '1 = 1 garbage',
    '(SELECT 1 FROM u) = 1',
    '(SELECT 1, 2)',
    'coalesce(x, 1) = 1',
  ])('Postgres, not always true: %s', (condition) => {
    expect(alwaysTrue(condition)).toBe(false);
  });

  it.each([
    '1',
    'ifnull(NULL, 1)',
    "'a' = 'A'",
    "'a ' = 'a'",
    "'1abc' = 1",
    'true || x = 1',
    '1 && 1',
    'NOT 0',
    '! 0',
    'x <=> x',
    '7 DIV 2 = 3',
    '7 MOD 2 = 1',
  ])('MySQL: %s', (condition) => {
    expect(alwaysTrue(condition, 'mysql')).toBe(true);
  });

  it.each(["'abc'", '0', "'a' = 'b'", 'x = 1 && 1', 'NULL <=> 1'])(
    'MySQL, not always true: %s',
    (condition) => {
      expect(alwaysTrue(condition, 'mysql')).toBe(false);
    },
  );

  it('stays bounded on a pathological LIKE pattern', () => {
    const text = 'a'.repeat(2000);
    const pattern = `${'%a'.repeat(400)}b`;
    const start = performance.now();
    expect(alwaysTrue(`'${text}' LIKE '${pattern}'`)).toBe(false);
    expect(performance.now() - start).toBeLessThan(500);
  });
});
