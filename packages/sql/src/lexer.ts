import {
  CHARACTER,
  identifierEnd,
  isDigit,
  isIdentifierPart,
  isIdentifierStart,
  isWhitespace,
  nestedCommentEnd,
  numberEnd,
  operatorAt,
} from './characters.js';
import { KEYWORDS } from './keywords.js';
import {
  isScanFailure,
  type ScanFailure,
  type Scanned,
  scanDollarQuote,
  scanQuoted,
  scanUnicodeEscaped,
  scanVariable,
} from './literals.js';
import {
  LEX_ERROR_MESSAGES,
  type LexError,
  type LexErrorCode,
  type LexResult,
  type Token,
  type TokenKind,
} from './tokens.js';
import type { LexerState } from './types.js';

/** Executable comments with a version at or above this may not run on every supported server. */
const UNCONDITIONAL_VERSION_BELOW = 50700;

const PUNCTUATION = new Map([...'(),.[]{}'].map((character) => [character.charCodeAt(0), character]));

/**
 * Splits SQL text into tokens in one pass, from offset `start`; comments are dropped, MySQL
 * executable comments are lexed as code. Token offsets are offsets into `sql`.
 */
export function lex(sql: string, state: LexerState, start = 0): LexResult {
  return new Lexer(sql, state, start).run();
}

class Lexer {
  private readonly tokens: Token[] = [];
  private position = 0;
  private inExecutableComment = false;
  private conditional = false;
  private readonly mysql: boolean;

  constructor(
    private readonly sql: string,
    private readonly state: LexerState,
    start: number,
  ) {
    this.mysql = state.dialect === 'mysql';
    this.position = start;
  }

  run(): LexResult {
    const { sql } = this;
    const length = sql.length;
    while (this.position < length) {
      const character = sql.charCodeAt(this.position);
      if (isWhitespace(character)) {
        this.position += 1;
        continue;
      }
      const failure = isIdentifierStart(character) ? this.word(this.position) : this.next(character);
      if (failure !== null) return { tokens: this.tokens, error: failure };
    }
    if (this.inExecutableComment)
      return { tokens: this.tokens, error: this.error('unterminated-comment', 0) };
    return { tokens: this.tokens, error: null };
  }

  private error(code: LexErrorCode, position: number): LexError {
    return { code, position, message: LEX_ERROR_MESSAGES[code] };
  }

  private push(kind: TokenKind, start: number, end: number, value: string): void {
    this.tokens.push({ kind, start, end, value, conditional: this.conditional });
    this.position = end;
  }

  private pushScanned(kind: TokenKind, start: number, scanned: Scanned | ScanFailure): LexError | null {
    if (isScanFailure(scanned)) return this.error(scanned.code, start);
    this.push(kind, start, scanned.end, scanned.value);
    return null;
  }

  private next(character: number): LexError | null {
    const { sql, position, mysql } = this;
    const following = sql.charCodeAt(position + 1);
    if (this.inExecutableComment && character === CHARACTER.star && following === CHARACTER.slash) {
      this.inExecutableComment = false;
      this.conditional = false;
      this.position += 2;
      return null;
    }
    if (character === CHARACTER.dash && following === CHARACTER.dash && this.startsLineComment(position)) {
      this.skipLine();
      return null;
    }
    if (character === 0x23 && mysql) {
      this.skipLine();
      return null;
    }
    if (character === CHARACTER.slash && following === CHARACTER.star) return this.blockComment();
    if (character === CHARACTER.singleQuote) {
      const escapes = mysql ? !this.state.noBackslashEscapes : !this.state.standardConformingStrings;
      return this.pushScanned(
        'string',
        position,
        scanQuoted(sql, position, character, escapes, 'unterminated-string'),
      );
    }
    if (character === CHARACTER.doubleQuote) {
      if (mysql && !this.state.ansiQuotes) {
        const escapes = !this.state.noBackslashEscapes;
        return this.pushScanned(
          'string',
          position,
          scanQuoted(sql, position, character, escapes, 'unterminated-string'),
        );
      }
      return this.quotedIdentifier(position, character);
    }
    if (character === CHARACTER.backtick && mysql) return this.quotedIdentifier(position, character);
    if (character === CHARACTER.dollar && !mysql) return this.dollar(position, following);
    if (isIdentifierStart(character) || (character === CHARACTER.dollar && mysql)) return this.word(position);
    if (isDigit(character) || (character === CHARACTER.dot && isDigit(following))) {
      this.number(position);
      return null;
    }
    if (character === 0x3b) {
      this.push('semicolon', position, position + 1, ';');
      return null;
    }
    if (character === CHARACTER.colon) {
      this.colon(position, following);
      return null;
    }
    if (character === 0x40 && mysql) {
      this.variable(position);
      return null;
    }
    if (character === 0x3f && mysql) {
      this.push('parameter', position, position + 1, '?');
      return null;
    }
    const punctuation = PUNCTUATION.get(character);
    if (punctuation !== undefined) {
      this.push('punctuation', position, position + 1, punctuation);
      return null;
    }
    this.operator(position);
    return null;
  }

  /** MySQL needs whitespace or a control character after `--`; Postgres does not. */
  private startsLineComment(position: number): boolean {
    if (!this.mysql) return true;
    const after = this.sql.charCodeAt(position + 2);
    return Number.isNaN(after) || after <= 0x20;
  }

  private skipLine(): void {
    const newline = this.sql.indexOf('\n', this.position);
    this.position = newline < 0 ? this.sql.length : newline + 1;
  }

  private blockComment(): LexError | null {
    const { sql, position } = this;
    if (this.mysql && !this.inExecutableComment) {
      const marker = sql[position + 2];
      if (marker === '!') return this.openExecutableComment(position + 3, false);
      if (marker === 'M' && sql[position + 3] === '!') return this.openExecutableComment(position + 4, true);
    }
    if (this.mysql) {
      const close = sql.indexOf('*/', position + 2);
      if (close < 0) return this.error('unterminated-comment', position);
      this.position = close + 2;
      return null;
    }
    // Postgres block comments nest.
    const end = nestedCommentEnd(sql, position);
    if (end < 0) return this.error('unterminated-comment', position);
    this.position = end;
    return null;
  }

  /**
   * `/*!` and `/*!NNNNN` are code to MySQL and MariaDB; `/*M!` only to MariaDB. A version at or
   * above 5.7.0 may be newer than the server, which then skips the content: such tokens are
   * marked conditional. https://dev.mysql.com/doc/refman/8.0/en/comments.html
   */
  private openExecutableComment(contentStart: number, mariadbOnly: boolean): LexError | null {
    let cursor = contentStart;
    while (cursor < this.sql.length && cursor - contentStart < 6 && isDigit(this.sql.charCodeAt(cursor))) {
      cursor += 1;
    }
    const version = cursor > contentStart ? Number(this.sql.slice(contentStart, cursor)) : 0;
    if (this.sql.indexOf('*/', cursor) < 0) return this.error('unterminated-comment', contentStart);
    this.inExecutableComment = true;
    this.conditional = mariadbOnly || version >= UNCONDITIONAL_VERSION_BELOW;
    this.position = cursor;
    return null;
  }

  private quotedIdentifier(position: number, quote: number): LexError | null {
    const scanned = scanQuoted(this.sql, position, quote, false, 'unterminated-quoted-identifier');
    return this.pushScanned('quoted-identifier', position, scanned);
  }

  private dollar(position: number, following: number): LexError | null {
    if (isDigit(following)) {
      let cursor = position + 1;
      while (isDigit(this.sql.charCodeAt(cursor))) cursor += 1;
      this.push('parameter', position, cursor, this.sql.slice(position, cursor));
      return null;
    }
    const scanned = scanDollarQuote(this.sql, position);
    if (scanned === null) {
      this.push('operator', position, position + 1, '$');
      return null;
    }
    return this.pushScanned('string', position, scanned);
  }

  private word(position: number): LexError | null {
    const { sql } = this;
    let cursor = position + 1;
    while (cursor < sql.length && isIdentifierPart(sql.charCodeAt(cursor))) cursor += 1;
    const text = sql.slice(position, cursor);
    const after = sql.charCodeAt(cursor);
    if (after === CHARACTER.singleQuote && text.length === 1)
      return this.prefixedString(position, text.toLowerCase());
    if (!this.mysql && (text === 'u' || text === 'U') && sql[cursor] === '&') {
      const quote = sql.charCodeAt(cursor + 1);
      if (quote === CHARACTER.singleQuote || quote === CHARACTER.doubleQuote) {
        const identifier = quote === CHARACTER.doubleQuote;
        const code = identifier ? 'unterminated-quoted-identifier' : 'unterminated-string';
        const scanned = scanUnicodeEscaped(sql, cursor + 1, quote, code);
        return this.pushScanned(identifier ? 'quoted-identifier' : 'string', position, scanned);
      }
    }
    this.push('word', position, cursor, text.toLowerCase());
    return null;
  }

  /** E'…' (escapes always), N'…', X'…', B'…'. */
  private prefixedString(position: number, prefix: string): LexError | null {
    const quoteAt = position + 1;
    let escapes: boolean;
    if (prefix === 'e' && !this.mysql) escapes = true;
    else if (prefix === 'n')
      escapes = this.mysql ? !this.state.noBackslashEscapes : !this.state.standardConformingStrings;
    else if (prefix === 'x' || prefix === 'b') escapes = false;
    else {
      this.push('word', position, quoteAt, prefix);
      return null;
    }
    const scanned = scanQuoted(this.sql, quoteAt, CHARACTER.singleQuote, escapes, 'unterminated-string');
    return this.pushScanned('string', position, scanned);
  }

  private number(position: number): void {
    const { sql } = this;
    let cursor = numberEnd(sql, position);
    // MySQL identifiers may start with digits (`2fa_codes`).
    if (this.mysql && isIdentifierPart(sql.charCodeAt(cursor))) {
      cursor = identifierEnd(sql, cursor);
      this.push('word', position, cursor, sql.slice(position, cursor).toLowerCase());
      return;
    }
    this.push('number', position, cursor, sql.slice(position, cursor));
  }

  private colon(position: number, following: number): void {
    if (following === CHARACTER.colon || following === 0x3d) {
      this.push('operator', position, position + 2, following === CHARACTER.colon ? '::' : ':=');
      return;
    }
    const previous = this.tokens[this.tokens.length - 1];
    const operandExpected =
      previous === undefined ||
      previous.kind === 'operator' ||
      (previous.kind === 'punctuation' && previous.value !== ')' && previous.value !== ']') ||
      (previous.kind === 'word' && KEYWORDS.has(previous.value));
    if (operandExpected && isIdentifierStart(following)) {
      let cursor = position + 1;
      while (isIdentifierPart(this.sql.charCodeAt(cursor))) cursor += 1;
      this.push('parameter', position, cursor, this.sql.slice(position, cursor));
      return;
    }
    this.push('punctuation', position, position + 1, ':');
  }

  /** MySQL `@name`, `@@name`, `@'quoted name'`. */
  private variable(position: number): void {
    const variable = scanVariable(this.sql, position);
    this.push('variable', position, variable.end, variable.value);
  }

  private operator(position: number): void {
    const text = operatorAt(this.sql, position, this.mysql);
    this.push('operator', position, position + text.length, text);
  }
}
