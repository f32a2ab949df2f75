import { describe, expect, it } from 'vitest';
import { type Dialect, defaultLexerState, type OutputColumn, SqlAnalyzer } from '../src/index.js';

const analyzer = new SqlAnalyzer();

function columns(sql: string, dialect: Dialect = 'postgres'): readonly OutputColumn[] | null {
  const [result] = analyzer.analyze(sql, defaultLexerState(dialect));
  return result?.outputColumns ?? null;
}

function source(table: string | null, column: string) {
  return { table, column };
}

describe('output column lineage', () => {
  it('follows an alias and resolves a table alias to its table', () => {
    expect(columns('SELECT u.email AS contact FROM users u')).toEqual([
      { name: 'contact', sources: [source('users', 'email')], direct: true, star: false, opaque: false },
    ]);
  });

  it('resolves qualified columns through joins with aliases', () => {
    const result = columns(
      'SELECT u.email, o.total FROM public.users AS u JOIN orders o ON o.user_id = u.id',
    );
    expect(result?.map((column) => column.sources)).toEqual([
      [source('public.users', 'email')],
      [source('orders', 'total')],
    ]);
  });

  it('marks expressions over a column as not direct', () => {
    expect(columns('SELECT upper(email) AS e FROM users')).toEqual([
      { name: 'e', sources: [source('users', 'email')], direct: false, star: false, opaque: false },
    ]);
    expect(columns('SELECT email::text FROM users')?.[0]).toMatchObject({
      name: 'email',
      direct: false,
      sources: [source('users', 'email')],
    });
  });

  it('collects every source of concatenation, COALESCE and CASE', () => {
    expect(columns("SELECT first || ' ' || last FROM people")?.[0]?.sources).toEqual([
      source('people', 'first'),
      source('people', 'last'),
    ]);
    expect(columns('SELECT COALESCE(phone, email) AS reach FROM users')?.[0]?.sources).toEqual([
      source('users', 'phone'),
      source('users', 'email'),
    ]);
    expect(columns("SELECT CASE WHEN vip THEN ssn ELSE 'n/a' END FROM users")?.[0]).toMatchObject({
      name: 'case',
      sources: [source('users', 'vip'), source('users', 'ssn')],
      direct: false,
    });
  });

  it('follows CTEs and derived tables to the base column', () => {
    expect(columns('WITH c AS (SELECT email AS mail FROM users) SELECT mail FROM c')).toEqual([
      { name: 'mail', sources: [source('users', 'email')], direct: true, star: false, opaque: false },
    ]);
    expect(columns('SELECT s.e FROM (SELECT lower(email) AS e FROM users) s')?.[0]).toMatchObject({
      sources: [source('users', 'email')],
      direct: false,
    });
    expect(columns('WITH c (mail) AS (SELECT email FROM users) SELECT mail FROM c')?.[0]?.sources).toEqual([
      source('users', 'email'),
    ]);
  });

  it('merges UNION branches position by position', () => {
    expect(columns('SELECT email FROM users UNION SELECT contact FROM leads')).toEqual([
      {
        name: 'email',
        sources: [source('users', 'email'), source('leads', 'contact')],
        direct: true,
        star: false,
        opaque: false,
      },
    ]);
  });

  it('reports SELECT * and t.* as star columns of their tables', () => {
    expect(columns('SELECT * FROM users u JOIN orders o ON o.user_id = u.id')).toEqual([
      { name: '*', sources: [source('users', '*')], direct: true, star: true, opaque: false },
      { name: '*', sources: [source('orders', '*')], direct: true, star: true, opaque: false },
    ]);
    expect(
      columns('SELECT o.*, u.email FROM orders o, users u')?.map((column) => [column.star, column.sources]),
    ).toEqual([
      [true, [source('orders', '*')]],
      [false, [source('users', 'email')]],
    ]);
  });

  it('expands a star over a derived table into its known columns', () => {
    expect(columns('SELECT * FROM (SELECT email AS e, id FROM users) s')).toEqual([
      { name: 'e', sources: [source('users', 'email')], direct: true, star: false, opaque: false },
      { name: 'id', sources: [source('users', 'id')], direct: true, star: false, opaque: false },
    ]);
    expect(columns('SELECT s.email FROM (SELECT * FROM users) s')?.[0]?.sources).toEqual([
      source('users', 'email'),
    ]);
  });

  it('follows scalar subqueries', () => {
    expect(columns('SELECT id, (SELECT max(ssn) FROM users) AS top FROM orders')?.[1]).toMatchObject({
      name: 'top',
      sources: [source('users', 'ssn')],
      direct: false,
    });
  });

  it('marks whole rows turned into values as opaque', () => {
    expect(columns('SELECT row_to_json(u) FROM users u')).toEqual([
      { name: 'row_to_json', sources: [source('users', '*')], direct: false, star: false, opaque: true },
    ]);
    expect(columns('SELECT json_agg(t) FROM users t')?.[0]).toMatchObject({
      opaque: true,
      sources: [source('users', '*')],
    });
    expect(columns('SELECT to_jsonb(u.*) FROM users u')?.[0]).toMatchObject({
      opaque: true,
      sources: [source('users', '*')],
    });
  });

  it('leaves an unqualified column of several tables without a table', () => {
    expect(columns('SELECT email FROM users, leads')?.[0]?.sources).toEqual([source(null, 'email')]);
  });

  it('names columns the way Postgres does when there is no alias', () => {
    expect(columns('SELECT count(*), 1, lower(name) FROM users')?.map((column) => column.name)).toEqual([
      'count',
      '?column?',
      'lower',
    ]);
  });

  it('covers RETURNING and COPY TO', () => {
    expect(
      columns('INSERT INTO users (email) VALUES ($1) RETURNING id, email')?.map((column) => column.sources),
    ).toEqual([[source('users', 'id')], [source('users', 'email')]]);
    expect(columns('COPY users (id, email) TO STDOUT')?.map((column) => column.sources)).toEqual([
      [source('users', 'id')],
      [source('users', 'email')],
    ]);
    expect(columns('COPY users TO STDOUT')?.[0]).toMatchObject({
      star: true,
      sources: [source('users', '*')],
    });
    expect(columns('COPY (SELECT email FROM users) TO STDOUT')?.[0]?.sources).toEqual([
      source('users', 'email'),
    ]);
  });

  it('reads MySQL charset introducers as part of their literal', () => {
    expect(columns("SELECT _utf8mb4'x' AS a FROM t", 'mysql')).toEqual([
      { name: 'a', sources: [], direct: false, star: false, opaque: false },
    ]);
  });

  it('follows a MySQL column through BINARY, byte-string casts and conversions', () => {
    for (const sql of [
      'SELECT BINARY email FROM users',
      'SELECT BINARY email AS e FROM users',
      'SELECT id, BINARY u.email, name FROM users u',
      'SELECT BINARY BINARY email FROM users',
      'SELECT BINARY(email) FROM users',
      'SELECT CAST(email AS BINARY) FROM users',
      'SELECT CAST(email AS BINARY(40)) FROM users',
      'SELECT CONVERT(email USING binary) FROM users',
      'SELECT CONVERT(email, BINARY) FROM users',
      'SELECT CAST(email AS UNSIGNED) FROM users',
      'SELECT -email FROM users',
      'SELECT email COLLATE utf8mb4_bin FROM users',
    ]) {
      const found = columns(sql, 'mysql')?.flatMap((output) => output.sources) ?? null;
      expect({ sql, found }).toEqual({ sql, found: expect.arrayContaining([source('users', 'email')]) });
      expect({ sql, binary: found?.some((each) => each.column === 'binary') }).toEqual({
        sql,
        binary: false,
      });
    }
  });

  it('follows a PostgreSQL column through unary operators, casts and conversions', () => {
    for (const sql of [
      'SELECT -u.email FROM users u',
      'SELECT @ email FROM users',
      'SELECT |/ email AS r FROM users',
      'SELECT ||/ email FROM users',
      'SELECT ~email FROM users',
      'SELECT NOT email FROM users',
      'SELECT email::bytea FROM users',
      'SELECT CAST(email AS numeric) FROM users',
      "SELECT convert_to(email, 'UTF8') FROM users",
      'SELECT email COLLATE "C" FROM users',
    ]) {
      const found = columns(sql)?.flatMap((output) => output.sources) ?? null;
      expect({ sql, found }).toEqual({ sql, found: [source('users', 'email')] });
    }
  });

  it('follows MySQL JSON_OBJECT arguments', () => {
    expect(columns("SELECT JSON_OBJECT('e', email) AS j FROM users", 'mysql')?.[0]?.sources).toEqual([
      source('users', 'email'),
    ]);
  });

  it('follows statements the parser reads only without locking clauses and parameter casts', () => {
    const [result] = analyzer.analyze(
      'SELECT u.email FROM users u WHERE u.id = ANY($1::int[]) FOR UPDATE SKIP LOCKED',
      defaultLexerState('postgres'),
    );
    expect(result).toMatchObject({ parsed: false, understood: true });
    expect(result?.outputColumns).toEqual([
      { name: 'email', sources: [source('users', 'email')], direct: true, star: false, opaque: false },
    ]);
    expect(columns('SELECT c.oid::pg_catalog.regclass FROM pg_catalog.pg_class c')?.[0]).toMatchObject({
      sources: [source('pg_catalog.pg_class', 'oid')],
      direct: false,
    });
  });

  it('is null for statements that return no rows or that no parse can follow', () => {
    expect(columns('UPDATE users SET email = NULL WHERE id = 1')).toBeNull();
    expect(columns('SET search_path TO a')).toBeNull();
    expect(columns('WITH d AS (DELETE FROM users RETURNING *) SELECT * FROM d')).toBeNull();
  });

  it('reports RETURNING * as whole rows of the target', () => {
    expect(columns('DELETE FROM users RETURNING *')).toEqual([
      { name: '*', sources: [source('users', '*')], direct: true, star: true, opaque: false },
    ]);
  });
});
