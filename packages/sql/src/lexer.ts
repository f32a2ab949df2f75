import {
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
import { isScanFailure, type ScanFailure, type Scanned, scanDollarQuote, scanQuoted } from './literals.js';
import type { LexError, LexErrorCode, LexResult, Token, TokenKind } from './tokens.js';
import type { LexerState } from './types.js';

const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKTICK = 0x60;
const DOLLAR = 0x24;
const STAR = 0x2a;
const SLASH = 0x2f;
const DASH = 0x2d;
const DOT = 0x2e;
const COLON = 0x3a;

/** Executable comments with a version at or above this may not run on every supported server. */
const UNCONDITIONAL_VERSION_BELOW = 50700;

const PUNCTUATION = new Map([...'(),.[]{}'].map((character) => [character.charCodeAt(0), character]));

const ERROR_MESSAGES: Readonly<Record<LexErrorCode, string>> = {
  'unterminated-string': 'unterminated string literal',
  'unterminated-quoted-identifier': 'unterminated quoted identifier',
  'unterminated-dollar-quote': 'unterminated dollar-quoted string',
  'unterminated-comment': 'unterminated comment',
};

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
    return { code, position, message: ERROR_MESSAGES[code] };
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
    if (this.inExecutableComment && character === STAR && following === SLASH) {
      this.inExecutableComment = false;
      this.conditional = false;
      this.position += 2;
      return null;
    }
    if (character === DASH && following === DASH && this.startsLineComment(position)) {
      this.skipLine();
      return null;
    }
    if (character === 0x23 && mysql) {
      this.skipLine();
      return null;
    }
    if (character === SLASH && following === STAR) return this.blockComment();
    if (character === SINGLE_QUOTE) {
      const escapes = mysql ? !this.state.noBackslashEscapes : !this.state.standardConformingStrings;
      return this.pushScanned(
        'string',
        position,
        scanQuoted(sql, position, character, escapes, 'unterminated-string'),
      );
    }
    if (character === DOUBLE_QUOTE) {
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
    if (character === BACKTICK && mysql) return this.quotedIdentifier(position, character);
    if (character === DOLLAR && !mysql) return this.dollar(position, following);
    if (isIdentifierStart(character) || (character === DOLLAR && mysql)) return this.word(position);
    if (isDigit(character) || (character === DOT && isDigit(following))) {
      this.number(position);
      return null;
    }
    if (character === 0x3b) {
      this.push('semicolon', position, position + 1, ';');
      return null;
    }
    if (character === COLON) {
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
    if (after === SINGLE_QUOTE && text.length === 1) return this.prefixedString(position, text.toLowerCase());
    if (!this.mysql && (text === 'u' || text === 'U') && sql[cursor] === '&') {
      const quote = sql.charCodeAt(cursor + 1);
      if (quote === SINGLE_QUOTE) {
        const scanned = scanQuoted(sql, cursor + 1, quote, false, 'unterminated-string');
        return this.pushScanned('string', position, scanned);
      }
      if (quote === DOUBLE_QUOTE) {
        const scanned = scanQuoted(sql, cursor + 1, quote, false, 'unterminated-quoted-identifier');
        return this.pushScanned('quoted-identifier', position, scanned);
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
    const scanned = scanQuoted(this.sql, quoteAt, SINGLE_QUOTE, escapes, 'unterminated-string');
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
    if (following === COLON || following === 0x3d) {
      this.push('operator', position, position + 2, following === COLON ? '::' : ':=');
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
    const { sql } = this;
    let cursor = sql[position + 1] === '@' ? position + 2 : position + 1;
    const quote = sql.charCodeAt(cursor);
    if (quote === SINGLE_QUOTE || quote === DOUBLE_QUOTE || quote === BACKTICK) {
      const scanned = scanQuoted(sql, cursor, quote, false, 'unterminated-string');
      if (!isScanFailure(scanned)) {
        this.push('variable', position, scanned.end, `@${scanned.value.toLowerCase()}`);
        return;
      }
    }
    while (cursor < sql.length && (isIdentifierPart(sql.charCodeAt(cursor)) || sql[cursor] === '.'))
      cursor += 1;
    this.push('variable', position, cursor, sql.slice(position, cursor).toLowerCase());
  }

  private operator(position: number): void {
    const text = operatorAt(this.sql, position, this.mysql);
    this.push('operator', position, position + text.length, text);
  }
}
