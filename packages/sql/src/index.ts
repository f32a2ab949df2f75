export { LARGE_STATEMENT_BYTES, SqlAnalyzer } from './analyzer.js';
export { fingerprint } from './fingerprint.js';
export { lex } from './lexer.js';
export { defaultLexerState, type NextLexerState, nextLexerState } from './lexer-state.js';
export { NO_REACH } from './reach.js';
export { splitStatements } from './split.js';
export type { LexError, LexErrorCode, LexResult, Token, TokenKind } from './tokens.js';
export type {
  AnalyzerOptions,
  ColumnSource,
  CopyFacts,
  Dialect,
  DmlTarget,
  LexerState,
  OutputColumn,
  SessionReach,
  SessionSignal,
  SettingChange,
  StatementAnalysis,
  StatementKind,
  StatementPiece,
} from './types.js';
