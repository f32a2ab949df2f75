import { sqlModeAfter } from './sql-mode.js';
import type { Dialect, LexerState, SettingChange } from './types.js';

export function defaultLexerState(dialect: Dialect): LexerState {
  return { dialect, standardConformingStrings: true, ansiQuotes: false, noBackslashEscapes: false };
}

/**
 * Client encodings in which the second byte of a character can be 0x5C (a backslash) or 0x27: a
 * lexer reading the bytes as UTF-8 would end or escape strings where the server does not.
 */
const UNFOLLOWABLE_ENCODINGS = new Set([
  'sjis',
  'shiftjis',
  'shiftjis2004',
  'cp932',
  'mskanji',
  'win932',
  'windows932',
  'big5',
  'cp950',
  'win950',
  'windows950',
  'big5hkscs',
  'gbk',
  'cp936',
  'win936',
  'windows936',
  'gb18030',
  'johab',
  'ucs2',
  'utf16',
  'utf16le',
  'utf32',
]);
const POSTGRES_TRUE = new Set(['on', 'true', 'yes', '1', 't', 'y']);
const POSTGRES_FALSE = new Set(['off', 'false', 'no', '0', 'f', 'n']);
const SETTING_NAME = /^@?[a-z_][a-z0-9_$]*(\.[a-z_][a-z0-9_$]*)*$/;

export type NextLexerState = { readonly state: LexerState } | { readonly unsupported: string };

function encodingChange(state: LexerState, value: string | null): NextLexerState {
  if (value === null) return { state };
  const encoding = value.trim().toLowerCase();
  if (UNFOLLOWABLE_ENCODINGS.has(encoding.replaceAll('_', '').replaceAll('-', ''))) {
    return {
      unsupported: `client encoding ${value} can hide quotes and backslashes inside multi-byte characters`,
    };
  }
  if (!/^[a-z0-9_-]+$/.test(encoding))
    return { unsupported: `client encoding ${value} is not a plain encoding name` };
  return { state };
}

function sqlModeChange(state: LexerState, value: string | null): NextLexerState {
  if (value === null) return { state: { ...state, ansiQuotes: false, noBackslashEscapes: false } };
  const modes = sqlModeAfter(state, value);
  if (modes === null) {
    return { unsupported: `sql_mode ${value} cannot be read; the quoting rules it sets cannot be told` };
  }
  return { state: { ...state, ansiQuotes: modes.ansiQuotes, noBackslashEscapes: modes.noBackslashEscapes } };
}

function standardStringsChange(state: LexerState, value: string | null): NextLexerState {
  if (value === null) return { state: { ...state, standardConformingStrings: true } };
  const setting = value.trim().toLowerCase();
  if (POSTGRES_TRUE.has(setting)) return { state: { ...state, standardConformingStrings: true } };
  if (POSTGRES_FALSE.has(setting)) return { state: { ...state, standardConformingStrings: false } };
  return { unsupported: `standard_conforming_strings ${value} is not a boolean the analyser can read` };
}

/**
 * The lexer state after a setting change, or why the lexer cannot follow it. Global changes do not
 * affect the current session. RESET / DEFAULT returns to the defaults of `defaultLexerState` (the
 * server's configured default is not known here); a LOCAL change lasts until the transaction ends,
 * which the caller tracks.
 */
export function nextLexerState(state: LexerState, change: SettingChange): NextLexerState {
  if (change.scope === 'global') return { state };
  const name = change.name.toLowerCase();
  if (!SETTING_NAME.test(name))
    return { unsupported: `a setting named by ${change.name} cannot be followed` };
  if (state.dialect === 'postgres') {
    if (name === 'standard_conforming_strings') return standardStringsChange(state, change.value);
    if (name === 'client_encoding' || name === 'names') return encodingChange(state, change.value);
    if (name === 'all') return { state: { ...state, standardConformingStrings: true } };
    return { state };
  }
  if (name === 'sql_mode') return sqlModeChange(state, change.value);
  if (name === 'names' || name === 'character_set_client' || name === 'charset') {
    return encodingChange(state, change.value);
  }
  return { state };
}
