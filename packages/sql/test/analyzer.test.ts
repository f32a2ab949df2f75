import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultLexerState, LARGE_STATEMENT_BYTES, SqlAnalyzer } from '../src/index.js';

const postgres = defaultLexerState('postgres');
const mysql = defaultLexerState('mysql');

describe('SqlAnalyzer cache', () => {
  it('serves statements that differ only in literals from one entry, each with its own text', () => {
    const analyzer = new SqlAnalyzer();
    const first = analyzer.analyze("SELECT * FROM users WHERE id = 1 AND name = 'a'", postgres);
    const second = analyzer.analyze(
      "SELECT * FROM users WHERE id = 2 AND name = 'b'; SELECT * FROM users WHERE id = 3 AND name = 'c'",
      postgres,
    );
    expect(first.map((result) => result.text)).toEqual(["SELECT * FROM users WHERE id = 1 AND name = 'a'"]);
    expect(second.map((result) => result.text)).toEqual([
      "SELECT * FROM users WHERE id = 2 AND name = 'b'",
      "SELECT * FROM users WHERE id = 3 AND name = 'c'",
    ]);
    expect(second[0]?.fingerprint).toBe(first[0]?.fingerprint);
    expect(analyzer.cacheStats).toEqual({ hits: 2, misses: 1, size: 1 });
  });

  it('judges the WHERE of each statement, not of the one that filled the cache', () => {
    const analyzer = new SqlAnalyzer();
    const [restricted] = analyzer.analyze('DELETE FROM users WHERE 1 = 2', postgres);
    const [everything] = analyzer.analyze('DELETE FROM users WHERE 1 = 1', postgres);
    expect(analyzer.cacheStats.hits).toBe(1);
    expect(restricted?.dml).toEqual([
      { kind: 'delete', table: 'users', hasWhere: true, whereAlwaysTrue: false },
    ]);
    expect(everything?.dml).toEqual([
      { kind: 'delete', table: 'users', hasWhere: true, whereAlwaysTrue: true },
    ]);
  });

  it.each([
    ['postgres', "'LITERAL'"],
    ['postgres', "SELECT 'LITERAL' FROM t"],
    ['postgres', "WITH x AS ('LITERAL') SELECT 1"],
    ['postgres', "DO 'LITERAL'"],
    ['postgres', "COPY t FROM 'LITERAL'"],
    ['postgres', "SELECT pg_read_file('LITERAL')"],
    ['postgres', "SELECT * FROM t WHERE a = 'LITERAL' OR b = 42"],
    ['postgres', "SELECT 'LITERAL'::text AS c, $$LITERAL$$ FROM t"],
    ['postgres', "SET application_name = 'LITERAL'"],
    ['mysql', "SELECT email AS 'LITERAL' FROM t"],
    ['mysql', "PREPARE s FROM 'LITERAL'"],
    ['mysql', 'SELECT "LITERAL" FROM t WHERE x = 42'],
  ] as const)(
    '%s: a cached analysis of %s carries no literal into the next statement',
    (dialect, template) => {
      const analyzer = new SqlAnalyzer();
      const state = defaultLexerState(dialect);
      analyzer.analyze(template.replaceAll('LITERAL', 'first_secret').replaceAll('42', '1'), state);
      const [second] = analyzer.analyze(
        template.replaceAll('LITERAL', 'second_value').replaceAll('42', '7'),
        state,
      );
      expect(analyzer.cacheStats.hits).toBe(1);
      expect(JSON.stringify(second)).not.toContain('first_secret');
    },
  );

  it('stays within its size, forgetting the least recently used entry', () => {
    const analyzer = new SqlAnalyzer({ cacheSize: 2 });
    analyzer.analyze('SELECT a FROM t', postgres);
    analyzer.analyze('SELECT b FROM t', postgres);
    analyzer.analyze('SELECT c FROM t', postgres);
    expect(analyzer.cacheStats.size).toBe(2);
    analyzer.analyze('SELECT c FROM t', postgres);
    analyzer.analyze('SELECT a FROM t', postgres);
    expect(analyzer.cacheStats).toEqual({ hits: 1, misses: 4, size: 2 });
  });

  it('serves a text seen before whole, as analysed the first time', () => {
    const analyzer = new SqlAnalyzer();
    const text = 'SELECT abalance FROM pgbench_accounts WHERE aid = 42; DELETE FROM t WHERE 1 = 1';
    analyzer.analyze(text, postgres);
    const second = analyzer.analyze(text, postgres);
    const third = analyzer.analyze(text, postgres);
    expect(third).toEqual(second);
    expect(third).not.toBe(second);
    // Not lexed again: the very analyses of the second time, which policy's memos are keyed by.
    expect(third[0]).toBe(second[0]);
    expect(third[1]?.dml[0]?.whereAlwaysTrue).toBe(true);
    expect(analyzer.cacheStats).toEqual({ hits: 4, misses: 2, size: 2 });
  });

  it('reads a text seen before anew when the lexer state differs', () => {
    const analyzer = new SqlAnalyzer();
    // With standard_conforming_strings off, the backslash escapes the quote: one string, no DELETE.
    const text = "SELECT 'a\\'; DELETE FROM users; --'";
    const standard = analyzer.analyze(text, postgres);
    const escaping = analyzer.analyze(text, { ...postgres, standardConformingStrings: false });
    expect(standard.map((result) => result.kind)).toEqual(['select', 'delete']);
    expect(escaping.map((result) => result.kind)).toEqual(['select']);
    expect(analyzer.analyze(text, postgres).map((result) => result.kind)).toEqual(['select', 'delete']);
    expect(analyzer.analyze(text, { ...postgres, standardConformingStrings: false })).toHaveLength(1);
    expect(analyzer.analyze(text, postgres)).toHaveLength(2);
  });

  it('evicts in batches and stays within its size', () => {
    const analyzer = new SqlAnalyzer({ cacheSize: 64 });
    for (let id = 0; id < 1000; id += 1) analyzer.analyze(`SELECT c${id} FROM t`, postgres);
    expect(analyzer.cacheStats.size).toBeLessThanOrEqual(64);
    expect(analyzer.cacheStats.size).toBeGreaterThanOrEqual(60);
  });

  it('does not keep a text whose analysis depends on more than the text', () => {
    const analyzer = new SqlAnalyzer();
    const text = 'DELETE FROM users WHERE 1=1 /*!80000 AND id = 5 */';
    for (let time = 0; time < 3; time += 1) analyzer.analyze(text, mysql);
    expect(analyzer.cacheStats.hits).toBe(0);
  });

  it("keeps a caller changing its result out of the next caller's", () => {
    const analyzer = new SqlAnalyzer();
    analyzer.analyze('SELECT 1', postgres);
    const second = analyzer.analyze('SELECT 1', postgres);
    second.length = 0;
    expect(analyzer.analyze('SELECT 1', postgres)).toHaveLength(1);
  });

  it('keeps dialects apart', () => {
    const analyzer = new SqlAnalyzer();
    const [postgresResult] = analyzer.analyze('SELECT "x" FROM t', postgres);
    const [mysqlResult] = analyzer.analyze('SELECT "x" FROM t', mysql);
    expect(postgresResult?.outputColumns?.[0]?.sources).toEqual([{ table: 't', column: 'x' }]);
    expect(mysqlResult?.outputColumns?.[0]?.sources).toEqual([]);
  });
});

describe('SqlAnalyzer across statements', () => {
  it('reads later MySQL statements with the sql_mode an earlier one set', () => {
    const analyzer = new SqlAnalyzer();
    const results = analyzer.analyze(
      "SET sql_mode = 'NO_BACKSLASH_ESCAPES'; SELECT 'a\\'; DROP TABLE t; -- '",
      mysql,
    );
    expect(results.map((result) => result.command)).toEqual(['SET', 'SELECT', 'DROP TABLE']);
    const plain = analyzer.analyze("SELECT 'a\\'; DROP TABLE t; -- '", mysql);
    expect(plain.map((result) => result.command)).toEqual(['SELECT']);
  });

  it('stays linear when a MySQL string keeps changing its quoting rules', () => {
    const flip = "SET sql_mode = 'ANSI_QUOTES'; SET sql_mode = ''; ".repeat(5000);
    const start = performance.now();
    const results = new SqlAnalyzer().analyze(`${flip}SELECT 1`, mysql);
    expect(performance.now() - start).toBeLessThan(2000);
    expect(results.at(-1)).toMatchObject({
      understood: false,
      problem: 'too many changes of how SQL is read in one string',
    });
  });

  it('stops at a MySQL setting the lexer cannot follow', () => {
    const results = new SqlAnalyzer().analyze('SET NAMES sjis; SELECT 1; DROP TABLE t', mysql);
    expect(results).toHaveLength(2);
    expect(results[1]).toMatchObject({ text: 'SELECT 1; DROP TABLE t', understood: false });
    expect(results[1]?.problem).toContain('sjis');
  });

  it('reads a whole Postgres query string with the settings it started with, as the server does', () => {
    const results = new SqlAnalyzer().analyze(
      "SET standard_conforming_strings = off; SELECT '\\'; DROP TABLE t; --'",
      postgres,
    );
    expect(results.map((result) => result.command)).toEqual(['SET', 'SELECT', 'DROP TABLE']);
  });

  it('analyses what precedes text it cannot lex and reports the rest', () => {
    const results = new SqlAnalyzer().analyze("SELECT 1; DELETE FROM t WHERE a = 'open", postgres);
    expect(results.map((result) => [result.text, result.understood])).toEqual([
      ['SELECT 1', true],
      ["DELETE FROM t WHERE a = 'open", false],
    ]);
    expect(results[1]?.problem).toBe('unterminated string literal');
  });

  it('cannot judge a statement whose meaning depends on which server runs a versioned comment', () => {
    const analyzer = new SqlAnalyzer();
    const [narrowed] = analyzer.analyze('DELETE FROM users WHERE 1=1 /*!80000 AND id = 5 */', mysql);
    expect(narrowed).toMatchObject({ understood: false });
    expect(narrowed?.problem).toContain('executable comment');
    const [either] = analyzer.analyze('DELETE FROM users WHERE 1=2 /*!80000 AND id = 5 */', mysql);
    expect(either).toMatchObject({ understood: true });
    const [again] = analyzer.analyze('DELETE FROM users WHERE 1=1 /*!80000 AND id = 5 */', mysql);
    expect(again).toMatchObject({ understood: false });
  });

  it('returns nothing for text without statements', () => {
    expect(new SqlAnalyzer().analyze(' ; -- nothing\n/* here */ ;', postgres)).toEqual([]);
  });

  it('never throws, and every result is a statement of the text', () => {
    const analyzer = new SqlAnalyzer({ cacheSize: 50 });
    const pieces = fc.oneof(
      fc.constantFrom(
        'SELECT',
        'DELETE',
        'FROM',
        'WHERE',
        'WITH',
        'AS',
        '(',
        ')',
        ';',
        "'",
        '"',
        '`',
        '$$',
        '/*!',
        '*/',
        '--',
        '\n',
        ',',
        '1=1',
        'users',
        'UPDATE',
        'SET',
        'INTO',
        'COPY',
        'EXPLAIN',
        'ANALYZE',
        'BEGIN',
        'END',
        'CASE',
        'DROP',
        'TABLE',
        ' ',
      ),
      fc.string({ maxLength: 5 }),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 25 }), fc.constantFrom(postgres, mysql), (parts, state) => {
        const sql = parts.join(' ');
        const results = analyzer.analyze(sql, state);
        return results.every(
          (result) => sql.includes(result.text) && (result.understood || result.problem !== null),
        );
      }),
      { numRuns: 400 },
    );
  });
});

describe('SqlAnalyzer with large statements', () => {
  it('exports the size above which the parser is not used', () => {
    expect(LARGE_STATEMENT_BYTES).toBe(64 * 1024);
  });

  it('analyses a 1,000-row INSERT quickly, parsing it as one collapsed row', () => {
    const rows = Array.from({ length: 1000 }, (_, index) => `(${index}, 'user${index}@example.com', now())`);
    const start = performance.now();
    const [result] = new SqlAnalyzer().analyze(
      `INSERT INTO users (id, email, created_at) VALUES ${rows.join(', ')}`,
      postgres,
    );
    const elapsed = performance.now() - start;
    expect(result).toMatchObject({
      kind: 'insert',
      parsed: true,
      understood: true,
      tablesWritten: ['users'],
    });
    expect(elapsed).toBeLessThan(250);
  });

  it('judges a statement over the limit from its tokens alone', () => {
    const values = Array.from({ length: 12_000 }, (_, index) => String(index)).join(', ');
    const sql = `DELETE FROM users WHERE id IN (${values})`;
    expect(sql.length).toBeGreaterThan(LARGE_STATEMENT_BYTES);
    const analyzer = new SqlAnalyzer();
    const start = performance.now();
    const [result] = analyzer.analyze(sql, postgres);
    expect(performance.now() - start).toBeLessThan(250);
    expect(result).toMatchObject({
      kind: 'delete',
      parsed: false,
      understood: true,
      tablesWritten: ['users'],
    });
    expect(result?.dml).toEqual([{ kind: 'delete', table: 'users', hasWhere: true, whereAlwaysTrue: false }]);
    const [tautology] = analyzer.analyze(`DELETE FROM users WHERE 1 = 1 OR id IN (${values})`, postgres);
    expect(tautology?.dml[0]?.whereAlwaysTrue).toBe(true);
  });

  it('bounds the time spent parsing a string of many new statements', () => {
    const statements = Array.from(
      { length: 400 },
      (_, index) => `SELECT c${index} FROM t${index} WHERE id = 1`,
    );
    const analyzer = new SqlAnalyzer();
    const start = performance.now();
    const results = analyzer.analyze(statements.join('; '), postgres);
    expect(performance.now() - start).toBeLessThan(400);
    expect(results).toHaveLength(400);
    expect(results.every((result) => result.understood && result.kind === 'select')).toBe(true);
    expect(results.at(-1)).toMatchObject({ parsed: false, tablesRead: ['t399'] });
    // What was not parsed is not cached: alone, it is parsed.
    expect(analyzer.analyze(statements.at(-1) ?? '', postgres)[0]).toMatchObject({ parsed: true });
  });

  it('does not let a large statement through unjudged when the tokens make no sense', () => {
    const filler = 'x, '.repeat(30_000);
    const [result] = new SqlAnalyzer().analyze(`SELECT ${filler} FROM (users`, postgres);
    expect(result).toMatchObject({ parsed: false, understood: false });
  });
});
