import { KEYWORDS } from './keywords.js';
import { lex } from './lexer.js';
import { isPunctuation, isWord, type Token } from './tokens.js';
import type { Dialect, LexerState } from './types.js';

/**
 * A statement's normalized forms. `fingerprint`: literals and parameters become `?`, keywords
 * upper-case, other words lower-case, quoted names keep their case, comments and whitespace go,
 * `IN (?, ?)` becomes `IN (?)` and repeated identical VALUES rows collapse into one.
 * `parserInput`: the same token sequence as text node-sql-parser reads, with every literal replaced
 * by a neutral one, so that statements sharing a fingerprint also share a parse.
 */
export interface Rendered {
  readonly fingerprint: string;
  readonly parserInput: string;
  /** The statement holds code of version-gated executable comments. */
  readonly conditional: boolean;
}

const UPPER_KEYWORDS = new Map([...KEYWORDS].map((keyword) => [keyword, keyword.toUpperCase()]));

class Renderer {
  fingerprint = '';
  parserInput = '';
  previous: Token | null = null;
  previousParser: Token | null = null;
  inConditional = false;
  sawConditional = false;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly dialect: Dialect,
    private readonly withParserInput: boolean,
  ) {}

  render(from: number, to: number): void {
    let index = from;
    while (index < to) {
      const token = this.tokens[index] as Token;
      if (isWord(token, 'in') && isPunctuation(this.tokens[index + 1], '(')) {
        const list = this.literalList(index + 2, to);
        if (list !== null) {
          this.emit(token);
          this.emit(this.tokens[index + 1] as Token);
          this.emit(this.tokens[list.first] as Token);
          this.emit(this.tokens[list.close] as Token);
          index = list.close + 1;
          continue;
        }
      }
      const next = this.tokens[index + 1];
      // node-sql-parser does not read MySQL charset introducers; they do not change the structure.
      const introducer =
        token.kind === 'word' &&
        token.value.startsWith('_') &&
        next?.kind === 'string' &&
        next.start === token.end;
      this.emit(token, !introducer);
      index += 1;
      if (isWord(token, 'values') && isPunctuation(this.tokens[index], '(')) index = this.rows(index, to);
    }
  }

  /** Emits `( … ), ( … )` rows from `index`, dropping a row identical to the one before it. */
  private rows(start: number, to: number): number {
    let index = start;
    let previousRow: string | null = null;
    while (index < to && isPunctuation(this.tokens[index], '(')) {
      const close = this.matchingParenthesis(index, to);
      const markFingerprint = this.fingerprint.length;
      const markParser = this.parserInput.length;
      const markPrevious = this.previous;
      const markPreviousParser = this.previousParser;
      if (index > start) this.emit(this.tokens[index - 1] as Token);
      const rowStart = this.fingerprint.length;
      this.render(index, close + 1);
      const row = this.fingerprint.slice(rowStart);
      if (row === previousRow) {
        this.fingerprint = this.fingerprint.slice(0, markFingerprint);
        this.parserInput = this.parserInput.slice(0, markParser);
        this.previous = markPrevious;
        this.previousParser = markPreviousParser;
      }
      previousRow = row;
      index = close + 1;
      if (!(isPunctuation(this.tokens[index], ',') && isPunctuation(this.tokens[index + 1], '('))) break;
      index += 1;
    }
    return index;
  }

  private matchingParenthesis(open: number, to: number): number {
    let depth = 0;
    for (let index = open; index < to; index += 1) {
      const token = this.tokens[index] as Token;
      if (token.kind !== 'punctuation') continue;
      if (token.value === '(') depth += 1;
      else if (token.value === ')') {
        depth -= 1;
        if (depth === 0) return index;
      }
    }
    return to - 1;
  }

  /** Where a flat list of literals and parameters starting at `start` has its first item and `)`. */
  private literalList(start: number, to: number): { first: number; close: number } | null {
    let expectItem = true;
    let first = -1;
    for (let index = start; index < to; index += 1) {
      const token = this.tokens[index] as Token;
      if (expectItem) {
        if (token.kind === 'operator' && (token.value === '-' || token.value === '+')) continue;
        if (token.kind !== 'string' && token.kind !== 'number' && token.kind !== 'parameter') return null;
        if (first < 0) first = index;
        expectItem = false;
      } else if (isPunctuation(token, ',')) {
        expectItem = true;
      } else if (isPunctuation(token, ')')) {
        return first < 0 ? null : { first, close: index };
      } else {
        return null;
      }
    }
    return null;
  }

  closeConditional(): void {
    if (!this.inConditional) return;
    this.fingerprint += ' */';
    this.inConditional = false;
  }

  private emit(token: Token, toParser = true): void {
    if (token.conditional !== this.inConditional) {
      if (token.conditional) {
        this.fingerprint += this.previous === null ? '/*!' : ' /*!';
        this.inConditional = true;
        this.sawConditional = true;
      } else {
        this.closeConditional();
      }
    }
    const space = this.previous !== null && spaced(this.previous, token);
    this.fingerprint += space
      ? ` ${fingerprintText(token, this.dialect)}`
      : fingerprintText(token, this.dialect);
    if (this.withParserInput && toParser) {
      const parserSpace = this.previousParser !== null && spaced(this.previousParser, token);
      this.parserInput += parserSpace
        ? ` ${parserText(token, this.dialect)}`
        : parserText(token, this.dialect);
      this.previousParser = token;
    }
    this.previous = token;
  }
}

function spaced(previous: Token, current: Token): boolean {
  if (current.kind === 'semicolon') return false;
  // A MySQL charset introducer belongs to its string: `_utf8mb4'x'`.
  if (current.kind === 'string' && previous.kind === 'word' && previous.value.startsWith('_')) return false;
  if (current.kind === 'punctuation') {
    if (current.value === ')' || current.value === ',' || current.value === '.' || current.value === ']')
      return false;
    if (current.value === '[') return false;
    if (current.value === '(') {
      if (previous.kind === 'quoted-identifier') return false;
      if (previous.kind === 'word' && !KEYWORDS.has(previous.value)) return false;
    }
  }
  if (current.kind === 'operator' && current.value === '::') return false;
  if (
    previous.kind === 'punctuation' &&
    (previous.value === '(' || previous.value === '.' || previous.value === '[')
  ) {
    return false;
  }
  return !(previous.kind === 'operator' && previous.value === '::');
}

function quoteName(name: string, dialect: Dialect): string {
  return dialect === 'mysql' ? `\`${name.replaceAll('`', '``')}\`` : `"${name.replaceAll('"', '""')}"`;
}

function fingerprintText(token: Token, dialect: Dialect): string {
  switch (token.kind) {
    case 'word':
      return UPPER_KEYWORDS.get(token.value) ?? token.value;
    case 'quoted-identifier':
      return quoteName(token.value, dialect);
    case 'string':
    case 'number':
    case 'parameter':
      return '?';
    case 'operator':
      // Keeps Postgres' `?` operators apart from the `?` that stands for a literal.
      return dialect === 'postgres' && token.value.includes('?') ? `OPERATOR(${token.value})` : token.value;
    default:
      return token.value;
  }
}

function parserText(token: Token, dialect: Dialect): string {
  switch (token.kind) {
    case 'quoted-identifier':
      return quoteName(token.value, dialect);
    case 'string':
      return "'?'";
    case 'number':
      return '1';
    case 'parameter':
      return dialect === 'mysql' ? '?' : '$1';
    default:
      return token.value;
  }
}

export function renderStatement(
  tokens: readonly Token[],
  from: number,
  to: number,
  dialect: Dialect,
  withParserInput: boolean,
): Rendered {
  const renderer = new Renderer(tokens, dialect, withParserInput);
  renderer.render(from, to);
  renderer.closeConditional();
  return {
    fingerprint: renderer.fingerprint,
    parserInput: renderer.parserInput,
    conditional: renderer.sawConditional,
  };
}

/** The fingerprint of SQL text; statements that differ only in literals share it. */
export function fingerprint(sql: string, state: LexerState): string {
  const { tokens, error } = lex(sql, state);
  const rendered = renderStatement(tokens, 0, tokens.length, state.dialect, false).fingerprint;
  return error === null ? rendered : `${rendered} ?${error.code}`.trimStart();
}
