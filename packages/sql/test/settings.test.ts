import { describe, expect, it } from 'vitest';
import {
  type Dialect,
  defaultLexerState,
  nextLexerState,
  type SettingChange,
  SqlAnalyzer,
} from '../src/index.js';

const analyzer = new SqlAnalyzer();

function changes(sql: string, dialect: Dialect): readonly SettingChange[] {
  const [result] = analyzer.analyze(sql, defaultLexerState(dialect));
  return result?.settingChanges ?? [];
}

describe('setting changes', () => {
  it.each<[string, SettingChange]>([
    [
      'SET standard_conforming_strings = off',
      { name: 'standard_conforming_strings', value: 'off', scope: 'session' },
    ],
    [
      "SET SESSION standard_conforming_strings TO 'on'",
      { name: 'standard_conforming_strings', value: 'on', scope: 'session' },
    ],
    ['SET LOCAL client_encoding = SJIS', { name: 'client_encoding', value: 'SJIS', scope: 'local' }],
    ["SET NAMES 'BIG5'", { name: 'client_encoding', value: 'BIG5', scope: 'session' }],
    [
      'SET search_path TO "$user", public, "Other"',
      { name: 'search_path', value: '$user, public, Other', scope: 'session' },
    ],
    ['SET search_path TO DEFAULT', { name: 'search_path', value: null, scope: 'session' }],
    ['SET myapp.tenant_id = 7', { name: 'myapp.tenant_id', value: '7', scope: 'session' }],
    ['SET ROLE NONE', { name: 'role', value: null, scope: 'session' }],
    ['RESET client_encoding', { name: 'client_encoding', value: null, scope: 'session' }],
    [
      "SELECT pg_catalog.set_config('standard_conforming_strings', 'off', false)",
      { name: 'standard_conforming_strings', value: 'off', scope: 'session' },
    ],
    ['SELECT set_config($1, $2, false)', { name: '$1', value: '$2', scope: 'session' }],
  ])('Postgres: %s', (sql, expected) => {
    expect(changes(sql, 'postgres')).toEqual([expected]);
  });

  it.each<[string, SettingChange[]]>([
    [
      "SET sql_mode = 'ANSI_QUOTES,STRICT_TRANS_TABLES'",
      [{ name: 'sql_mode', value: 'ANSI_QUOTES,STRICT_TRANS_TABLES', scope: 'session' }],
    ],
    ['SET @@SESSION.sql_mode := ANSI', [{ name: 'sql_mode', value: 'ANSI', scope: 'session' }]],
    ["SET GLOBAL sql_mode = ''", [{ name: 'sql_mode', value: '', scope: 'global' }]],
    ['SET @@persist.max_connections = 500', [{ name: 'max_connections', value: '500', scope: 'global' }]],
    ['SET sql_mode = DEFAULT', [{ name: 'sql_mode', value: null, scope: 'session' }]],
    ['SET NAMES DEFAULT', [{ name: 'names', value: null, scope: 'session' }]],
    ["SET NAMES 'sjis'", [{ name: 'names', value: 'sjis', scope: 'session' }]],
    ['SET CHARSET latin1', [{ name: 'names', value: 'latin1', scope: 'session' }]],
    ['SET character_set_client = gbk', [{ name: 'character_set_client', value: 'gbk', scope: 'session' }]],
    [
      "SET autocommit = 0, sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')",
      [
        { name: 'autocommit', value: '0', scope: 'session' },
        { name: 'sql_mode', value: "CONCAT(@@sql_mode, ',ANSI_QUOTES')", scope: 'session' },
      ],
    ],
  ])('MySQL: %s', (sql, expected) => {
    expect(changes(sql, 'mysql')).toEqual(expected);
  });

  it('reports the change that affects reading SQL first when a SET changes several', () => {
    const [result] = analyzer.analyze(
      "SET autocommit = 1, sql_mode = 'ANSI_QUOTES'",
      defaultLexerState('mysql'),
    );
    expect(result?.settingChange).toEqual({ name: 'sql_mode', value: 'ANSI_QUOTES', scope: 'session' });
  });

  it('reads the values of each statement, not of the cached first one', () => {
    expect(changes('SET standard_conforming_strings = on', 'postgres')[0]?.value).toBe('on');
    expect(changes('SET standard_conforming_strings = off', 'postgres')[0]?.value).toBe('off');
    expect(changes("SET sql_mode = 'ANSI_QUOTES'", 'mysql')[0]?.value).toBe('ANSI_QUOTES');
    expect(changes("SET sql_mode = 'TRADITIONAL'", 'mysql')[0]?.value).toBe('TRADITIONAL');
  });
});

describe('nextLexerState', () => {
  const postgres = defaultLexerState('postgres');
  const mysql = defaultLexerState('mysql');
  const change = (
    name: string,
    value: string | null,
    scope: SettingChange['scope'] = 'session',
  ): SettingChange => ({ name, value, scope });

  it('follows standard_conforming_strings', () => {
    expect(nextLexerState(postgres, change('standard_conforming_strings', 'off'))).toEqual({
      state: { ...postgres, standardConformingStrings: false },
    });
    const off = { ...postgres, standardConformingStrings: false };
    expect(nextLexerState(off, change('standard_conforming_strings', 'TRUE'))).toEqual({ state: postgres });
    expect(nextLexerState(off, change('standard_conforming_strings', null))).toEqual({ state: postgres });
    expect(nextLexerState(off, change('all', null))).toEqual({ state: postgres });
    expect(nextLexerState(postgres, change('standard_conforming_strings', 'sometimes'))).toHaveProperty(
      'unsupported',
    );
  });

  it('refuses client encodings whose multi-byte characters can hide a backslash or quote', () => {
    for (const encoding of ['SJIS', 'big5', 'GBK', 'GB18030', 'Shift_JIS', 'cp932', 'JOHAB']) {
      expect(nextLexerState(postgres, change('client_encoding', encoding))).toHaveProperty('unsupported');
    }
    for (const encoding of ['sjis', 'gbk', 'big5', 'utf16']) {
      expect(nextLexerState(mysql, change('names', encoding))).toHaveProperty('unsupported');
      expect(nextLexerState(mysql, change('character_set_client', encoding))).toHaveProperty('unsupported');
    }
    expect(nextLexerState(postgres, change('client_encoding', 'UTF8'))).toEqual({ state: postgres });
    expect(nextLexerState(postgres, change('client_encoding', 'LATIN1'))).toEqual({ state: postgres });
    expect(nextLexerState(mysql, change('names', 'utf8mb4'))).toEqual({ state: mysql });
  });

  it('reads ANSI_QUOTES, ANSI and NO_BACKSLASH_ESCAPES from sql_mode', () => {
    expect(nextLexerState(mysql, change('sql_mode', 'STRICT_TRANS_TABLES,ANSI_QUOTES'))).toEqual({
      state: { ...mysql, ansiQuotes: true },
    });
    expect(nextLexerState(mysql, change('sql_mode', 'ansi'))).toEqual({
      state: { ...mysql, ansiQuotes: true },
    });
    expect(nextLexerState(mysql, change('sql_mode', 'NO_BACKSLASH_ESCAPES'))).toEqual({
      state: { ...mysql, noBackslashEscapes: true },
    });
    const both = { ...mysql, ansiQuotes: true, noBackslashEscapes: true };
    expect(nextLexerState(both, change('sql_mode', ''))).toEqual({ state: mysql });
    expect(nextLexerState(both, change('sql_mode', null))).toEqual({ state: mysql });
  });

  it('follows the sql_mode expressions drivers send', () => {
    const strict = "CONCAT(CONCAT(@@sql_mode, ',STRICT_ALL_TABLES'), ',NO_AUTO_VALUE_ON_ZERO')";
    expect(nextLexerState(mysql, change('sql_mode', strict))).toEqual({ state: mysql });
    const quoted = { ...mysql, ansiQuotes: true };
    expect(nextLexerState(quoted, change('sql_mode', strict))).toEqual({ state: quoted });
    expect(nextLexerState(mysql, change('sql_mode', "concat(@@session.sql_mode, ',ANSI_QUOTES')"))).toEqual({
      state: quoted,
    });
    expect(
      nextLexerState(quoted, change('sql_mode', "REPLACE(@@sql_mode, 'ONLY_FULL_GROUP_BY', '')")),
    ).toEqual({
      state: quoted,
    });
  });

  it('refuses a sql_mode it cannot read', () => {
    expect(nextLexerState(mysql, change('sql_mode', "CONCAT(@@sql_mode, 'ANSI_QUOTES')"))).toHaveProperty(
      'unsupported',
    );
    expect(
      nextLexerState(mysql, change('sql_mode', "REPLACE(@@sql_mode, 'ANSI_QUOTES', '')")),
    ).toHaveProperty('unsupported');
    expect(nextLexerState(mysql, change('sql_mode', "REPLACE(@@sql_mode, 'NO_', '')"))).toHaveProperty(
      'unsupported',
    );
    expect(nextLexerState(mysql, change('sql_mode', "CONCAT(@@global.sql_mode, ',X')"))).toHaveProperty(
      'unsupported',
    );
    expect(nextLexerState(mysql, change('sql_mode', 'STRICT_TRANS_TABLES,NOT_A_MODE'))).toHaveProperty(
      'unsupported',
    );
    expect(nextLexerState(mysql, change('sql_mode', '@saved'))).toHaveProperty('unsupported');
    expect(nextLexerState(mysql, change('sql_mode', '4'))).toHaveProperty('unsupported');
  });

  it('ignores global changes and settings that do not affect reading', () => {
    expect(nextLexerState(mysql, change('sql_mode', 'ANSI_QUOTES', 'global'))).toEqual({ state: mysql });
    expect(nextLexerState(postgres, change('search_path', 'a, b'))).toEqual({ state: postgres });
    expect(nextLexerState(postgres, change('role', 'admin'))).toEqual({ state: postgres });
  });

  it('refuses a setting whose name is only known at run time', () => {
    expect(nextLexerState(postgres, change('$1', '$2'))).toHaveProperty('unsupported');
  });
});
