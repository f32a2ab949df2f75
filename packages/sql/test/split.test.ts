import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultLexerState, type StatementPiece, splitStatements } from '../src/index.js';

const postgres = defaultLexerState('postgres');
const mysql = defaultLexerState('mysql');

function texts(result: StatementPiece[] | { error: string }): string[] {
  if (!Array.isArray(result)) throw new Error(result.error);
  return result.map((piece) => piece.text);
}

describe('splitStatements', () => {
  it('splits at top-level semicolons, trims whitespace and drops empty statements', () => {
    expect(texts(splitStatements('  SELECT 1 ;\n;  SELECT 2;;  ', postgres))).toEqual([
      'SELECT 1',
      'SELECT 2',
    ]);
  });

  it('keeps exact text and offsets', () => {
    const sql = 'SELECT 1;  select  2 ';
    const result = splitStatements(sql, postgres);
    expect(result).toEqual([
      { text: 'SELECT 1', start: 0, end: 8 },
      { text: 'select  2', start: 11, end: 20 },
    ]);
  });

  it('never splits inside strings, quoted identifiers, comments or dollar quotes', () => {
    const sql = `SELECT 'a;b', "c;d" /* ; */ -- ;\n, $$;$$, $t$ ; $t$; SELECT 2`;
    expect(texts(splitStatements(sql, postgres))).toHaveLength(2);
  });

  it("splits E'\\\\';' differently from a standard string", () => {
    expect(texts(splitStatements("SELECT E'\\\\'; SELECT 2", postgres))).toEqual([
      "SELECT E'\\\\'",
      'SELECT 2',
    ]);
    expect(texts(splitStatements("SELECT E'\\';'; SELECT 2", postgres))).toEqual([
      "SELECT E'\\';'",
      'SELECT 2',
    ]);
    expect(texts(splitStatements("SELECT '\\'; SELECT 2", postgres))).toEqual(["SELECT '\\'", 'SELECT 2']);
  });

  it("keeps '\\'; DROP TABLE t; --' one statement when standard_conforming_strings is off", () => {
    const sql = "SELECT '\\'; DROP TABLE t; --'";
    expect(texts(splitStatements(sql, { ...postgres, standardConformingStrings: false }))).toEqual([sql]);
    expect(texts(splitStatements(sql, postgres))).toEqual(["SELECT '\\'", 'DROP TABLE t']);
  });

  it('follows MySQL backslash escapes and NO_BACKSLASH_ESCAPES', () => {
    const sql = "SELECT 'a\\'; DROP TABLE t; -- '";
    expect(texts(splitStatements(sql, mysql))).toEqual([sql]);
    expect(texts(splitStatements(sql, { ...mysql, noBackslashEscapes: true }))).toEqual([
      "SELECT 'a\\'",
      'DROP TABLE t',
    ]);
  });

  it('follows ANSI_QUOTES: a double-quoted run is an identifier, still never split', () => {
    const sql = 'SELECT "a;b" FROM t; SELECT 2';
    expect(texts(splitStatements(sql, mysql))).toEqual(['SELECT "a;b" FROM t', 'SELECT 2']);
    expect(texts(splitStatements(sql, { ...mysql, ansiQuotes: true }))).toEqual([
      'SELECT "a;b" FROM t',
      'SELECT 2',
    ]);
  });

  it('splits inside a MySQL executable comment, whose content is code', () => {
    expect(texts(splitStatements('/*!40101 SET a = 1 */; SELECT 2', mysql))).toEqual([
      '/*!40101 SET a = 1 */',
      'SELECT 2',
    ]);
  });

  it('keeps a Postgres BEGIN ATOMIC … END body in one statement', () => {
    const body =
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END';
    expect(texts(splitStatements(`${body}; SELECT 3`, postgres))).toEqual([body, 'SELECT 3']);
  });

  it('keeps a MySQL procedure body in one statement', () => {
    const body = 'CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END IF; SELECT 2; END';
    expect(texts(splitStatements(`${body}; SELECT 3`, mysql))).toEqual([body, 'SELECT 3']);
  });

  it('does not take a column named begin for a body', () => {
    expect(texts(splitStatements('CREATE TABLE t (begin int); DROP TABLE x', mysql))).toHaveLength(2);
  });

  it('reports what it cannot split', () => {
    expect(splitStatements("SELECT 'open; SELECT 2", postgres)).toEqual({
      error: 'unterminated string literal at offset 7',
    });
  });

  it('never throws, and every piece is the text at its offsets', () => {
    const pieces = fc.oneof(
      fc.constantFrom(
        ';',
        "'",
        '"',
        '`',
        '$$',
        '$a$',
        '--',
        '\n',
        '/*',
        '*/',
        '/*!',
        '#',
        '\\',
        'E',
        ' ',
        'begin',
        'atomic',
        'end',
        'create',
      ),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(
        fc.array(pieces, { maxLength: 30 }),
        fc.constantFrom(postgres, mysql),
        fc.boolean(),
        (parts, state, flag) => {
          const sql = parts.join('');
          const variant =
            state.dialect === 'mysql'
              ? { ...state, ansiQuotes: flag }
              : { ...state, standardConformingStrings: flag };
          const result = splitStatements(sql, variant);
          if (!Array.isArray(result)) return typeof result.error === 'string';
          return result.every(
            (piece) => piece.text.length > 0 && sql.slice(piece.start, piece.end) === piece.text,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
