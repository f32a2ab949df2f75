import { describe, expect, it } from 'vitest';
import { defaultLexerState, type LexerState, lex } from '../src/index.js';

const postgres = defaultLexerState('postgres');
const mysql = defaultLexerState('mysql');

function tokens(sql: string, state: LexerState): string[] {
  const result = lex(sql, state);
  expect(result.error).toBeNull();
  return result.tokens.map((token) => `${token.kind}:${token.value}`);
}

describe('lexer: Postgres', () => {
  it('reads words lower-cased, numbers, parameters, operators and punctuation', () => {
    expect(tokens('SELECT a.b, 1.5e3, $1::int[] FROM t WHERE x <> -2;', postgres)).toEqual([
      'word:select',
      'word:a',
      'punctuation:.',
      'word:b',
      'punctuation:,',
      'number:1.5e3',
      'punctuation:,',
      'parameter:$1',
      'operator:::',
      'word:int',
      'punctuation:[',
      'punctuation:]',
      'word:from',
      'word:t',
      'word:where',
      'word:x',
      'operator:<>',
      'operator:-',
      'number:2',
      'semicolon:;',
    ]);
  });

  it('reads standard strings with doubled quotes and keeps backslashes', () => {
    expect(tokens("SELECT 'it''s', 'a\\b'", postgres)).toEqual([
      'word:select',
      "string:it's",
      'punctuation:,',
      'string:a\\b',
    ]);
  });

  it('reads E-strings with backslash escapes', () => {
    expect(tokens("SELECT E'a\\'b\\n'", postgres)).toEqual(['word:select', "string:a'b\n"]);
  });

  it('reads backslash escapes in plain strings only when standard_conforming_strings is off', () => {
    const off = { ...postgres, standardConformingStrings: false };
    expect(tokens("SELECT 'a\\'b'", off)).toEqual(['word:select', "string:a'b"]);
    expect(lex("SELECT 'a\\'b'", postgres).error?.code).toBe('unterminated-string');
  });

  it('reads double quotes as identifiers keeping case and doubled quotes', () => {
    expect(tokens('SELECT "Mixed ""Case"""', postgres)).toEqual([
      'word:select',
      'quoted-identifier:Mixed "Case"',
    ]);
  });

  it('reads dollar quotes, tagged or not, without looking inside', () => {
    expect(tokens("SELECT $$it's; -- here$$, $fn$ $$ $fn$", postgres)).toEqual([
      'word:select',
      "string:it's; -- here",
      'punctuation:,',
      'string: $$ ',
    ]);
  });

  it('reads prefixed strings: N, X, B and U&', () => {
    expect(tokens("SELECT N'n', X'1F', B'101', U&'d\\0061t'", postgres)).toEqual([
      'word:select',
      'string:n',
      'punctuation:,',
      'string:1F',
      'punctuation:,',
      'string:101',
      'punctuation:,',
      'string:dat',
    ]);
  });

  it('decodes Unicode escapes in U& identifiers and strings, also with UESCAPE', () => {
    expect(
      tokens(
        "SELECT U&\"\\0070g_read_file\", U&'\\+01F600!', U&\"d!0061ta\" UESCAPE '!', U&'a\\\\b'",
        postgres,
      ),
    ).toEqual([
      'word:select',
      'quoted-identifier:pg_read_file',
      'punctuation:,',
      'string:\u{1F600}!',
      'punctuation:,',
      'quoted-identifier:data',
      'punctuation:,',
      'string:a\\b',
    ]);
  });

  it('drops line comments and nested block comments', () => {
    expect(tokens('SELECT /* a /* b */ still comment */ 1 -- rest\n+ 2', postgres)).toEqual([
      'word:select',
      'number:1',
      'operator:+',
      'number:2',
    ]);
  });

  it('treats MySQL executable comments as ordinary comments', () => {
    expect(tokens('SELECT 1 /*! DROP TABLE t */', postgres)).toEqual(['word:select', 'number:1']);
  });

  it('reads `?` as an operator (jsonb), not a parameter', () => {
    expect(tokens("SELECT d ? 'k'", postgres)).toEqual(['word:select', 'word:d', 'operator:?', 'string:k']);
  });

  it('keeps a comment start out of an operator', () => {
    expect(tokens('SELECT 1 +-- c\n2', postgres)).toEqual([
      'word:select',
      'number:1',
      'operator:+',
      'number:2',
    ]);
  });

  it('reads named parameters but not array slices', () => {
    expect(tokens('SELECT :name, a[1:n]', postgres)).toEqual([
      'word:select',
      'parameter::name',
      'punctuation:,',
      'word:a',
      'punctuation:[',
      'number:1',
      'punctuation::',
      'word:n',
      'punctuation:]',
    ]);
  });

  it('reports unterminated strings, identifiers, dollar quotes and comments', () => {
    expect(lex("SELECT 'x", postgres).error?.code).toBe('unterminated-string');
    expect(lex('SELECT "x', postgres).error?.code).toBe('unterminated-quoted-identifier');
    expect(lex('SELECT $a$ x $b$', postgres).error?.code).toBe('unterminated-dollar-quote');
    expect(lex('SELECT /* /* */', postgres).error).toMatchObject({
      code: 'unterminated-comment',
      position: 7,
    });
  });

  it('gives offsets into the text', () => {
    const [, second] = lex('SELECT  "x"', postgres).tokens;
    expect(second).toMatchObject({ start: 8, end: 11 });
  });
});

describe('lexer: MySQL', () => {
  it('reads backslash escapes in single and double quoted strings', () => {
    expect(tokens('SELECT \'a\\\'b\', "c\\"d"', mysql)).toEqual([
      'word:select',
      "string:a'b",
      'punctuation:,',
      'string:c"d',
    ]);
  });

  it('reads backslashes literally under NO_BACKSLASH_ESCAPES', () => {
    const state = { ...mysql, noBackslashEscapes: true };
    expect(tokens("SELECT 'a\\', 'b'", state)).toEqual([
      'word:select',
      'string:a\\',
      'punctuation:,',
      'string:b',
    ]);
  });

  it('reads double quotes as strings, or as identifiers under ANSI_QUOTES', () => {
    expect(tokens('SELECT "x"', mysql)).toEqual(['word:select', 'string:x']);
    expect(tokens('SELECT "x"', { ...mysql, ansiQuotes: true })).toEqual([
      'word:select',
      'quoted-identifier:x',
    ]);
  });

  it('reads backtick identifiers with doubled backticks', () => {
    expect(tokens('SELECT `a``b` FROM `My Table`', mysql)).toEqual([
      'word:select',
      'quoted-identifier:a`b',
      'word:from',
      'quoted-identifier:My Table',
    ]);
  });

  it('lexes executable comments as code and drops their version', () => {
    expect(tokens('/*!50000 DROP TABLE t */', mysql)).toEqual(['word:drop', 'word:table', 'word:t']);
    expect(tokens('SELECT 1 /*! , 2 */', mysql)).toEqual([
      'word:select',
      'number:1',
      'punctuation:,',
      'number:2',
    ]);
  });

  it('marks versions a server may not reach, and MariaDB-only comments, as conditional', () => {
    const conditional = (sql: string) => lex(sql, mysql).tokens.map((token) => token.conditional);
    expect(conditional('/*!40101 SET x = 1 */')).toEqual([false, false, false, false]);
    expect(conditional('/*!80000 SET x = 1 */')).toEqual([true, true, true, true]);
    expect(conditional('/*M!100100 SET x = 1 */ SELECT 1')).toEqual([true, true, true, true, false, false]);
  });

  it('treats optimizer hints as comments', () => {
    expect(tokens('SELECT /*+ MAX_EXECUTION_TIME(1000) */ 1', mysql)).toEqual(['word:select', 'number:1']);
  });

  it('needs whitespace after -- for a comment and treats # as a comment', () => {
    expect(tokens('SELECT 1--1', mysql)).toEqual([
      'word:select',
      'number:1',
      'operator:-',
      'operator:-',
      'number:1',
    ]);
    expect(tokens('SELECT 1 -- c\n, 2 # c\n', mysql)).toEqual([
      'word:select',
      'number:1',
      'punctuation:,',
      'number:2',
    ]);
  });

  it('does not nest block comments', () => {
    expect(tokens('SELECT /* /* */ 1', mysql)).toEqual(['word:select', 'number:1']);
  });

  it('reads ? parameters, variables and identifiers starting with digits', () => {
    expect(tokens('SELECT ?, @v, @@session.sql_mode FROM 2fa', mysql)).toEqual([
      'word:select',
      'parameter:?',
      'punctuation:,',
      'variable:@v',
      'punctuation:,',
      'variable:@@session.sql_mode',
      'word:from',
      'word:2fa',
    ]);
  });

  it('reports an unterminated executable comment', () => {
    expect(lex('/*!50000 DROP TABLE t', mysql).error?.code).toBe('unterminated-comment');
  });
});
