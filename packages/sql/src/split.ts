import { lex } from './lexer.js';
import { isWord, isWordIn, type Token } from './tokens.js';
import type { Dialect, LexerState, StatementPiece } from './types.js';

/** One statement: its trimmed text range and its tokens `[firstToken, endToken)`. */
export interface StatementSpan {
  readonly start: number;
  readonly end: number;
  readonly firstToken: number;
  readonly endToken: number;
}

export interface Spans {
  readonly spans: readonly StatementSpan[];
  /** Offset after the last statement-ending semicolon (where an unfinished statement starts). */
  readonly tailStart: number;
}

const MYSQL_BLOCK_CLOSERS: ReadonlySet<string> = new Set(['if', 'loop', 'while', 'repeat']);

function isWhitespace(character: string | undefined): boolean {
  return (
    character === ' ' ||
    character === '\t' ||
    character === '\n' ||
    character === '\r' ||
    character === '\f' ||
    character === '\v'
  );
}

export function trimmedRange(sql: string, start: number, end: number): { start: number; end: number } {
  let from = start;
  let to = end;
  while (from < to && isWhitespace(sql[from])) from += 1;
  while (to > from && isWhitespace(sql[to - 1])) to -= 1;
  return { start: from, end: to };
}

const ROUTINES: ReadonlySet<string> = new Set(['function', 'procedure', 'trigger', 'event']);

/** Words that may start a statement inside a MySQL compound body (so `BEGIN <word>` opens one). */
const MYSQL_BODY_STARTERS: ReadonlySet<string> = new Set(
  `declare select insert update delete replace set if case while repeat loop call return end begin open
   fetch close leave iterate signal resignal start commit rollback drop create alter truncate prepare
   execute deallocate do show get not with values lock unlock grant revoke rename load`.split(/\s+/),
);

/**
 * Tracks compound bodies whose semicolons do not end the statement: Postgres
 * `CREATE FUNCTION … BEGIN ATOMIC … END`, MySQL `CREATE PROCEDURE … BEGIN … END` and MariaDB's
 * `BEGIN NOT ATOMIC … END`. CASE … END nests inside such bodies. Only words outside parentheses
 * count, so a column named `begin` does not open a body; the classifier still analyses every
 * statement inside a body, so a body that swallows too much hides nothing.
 */
class BodyTracker {
  private depth = 0;
  private parentheses = 0;
  private routine = false;

  constructor(private readonly dialect: Dialect) {}

  startStatement(tokens: readonly Token[], index: number): void {
    this.depth = 0;
    this.parentheses = 0;
    const first = tokens[index];
    this.routine = this.dialect === 'mysql' && isWord(first, 'begin') && isWord(tokens[index + 1], 'not');
    if (!isWord(first, 'create')) return;
    for (let cursor = index + 1; cursor < Math.min(tokens.length, index + 12); cursor += 1) {
      if (isWordIn(tokens[cursor], ROUTINES)) this.routine = true;
    }
  }

  /** Feeds the token at `index`; true while inside a body. */
  inBody(tokens: readonly Token[], index: number): boolean {
    if (!this.routine) return false;
    const token = tokens[index];
    if (token === undefined) return this.depth > 0;
    if (token.kind === 'punctuation') {
      if (token.value === '(') this.parentheses += 1;
      else if (token.value === ')') this.parentheses = Math.max(0, this.parentheses - 1);
    }
    if (token.kind !== 'word' || this.parentheses > 0) return this.depth > 0;
    const next = tokens[index + 1];
    if (token.value === 'begin' && this.opensBody(next, tokens[index + 2])) {
      this.depth += 1;
    } else if (token.value === 'case' && this.depth > 0) {
      this.depth += 1;
    } else if (token.value === 'end' && this.depth > 0) {
      if (!(this.dialect === 'mysql' && isWordIn(next, MYSQL_BLOCK_CLOSERS))) this.depth -= 1;
    }
    return this.depth > 0;
  }

  private opensBody(next: Token | undefined, afterNext: Token | undefined): boolean {
    if (this.dialect === 'postgres') return isWord(next, 'atomic');
    if (isWordIn(next, MYSQL_BODY_STARTERS)) return true;
    // A labelled statement: `BEGIN label: LOOP …`.
    return next?.kind === 'word' && afterNext?.kind === 'punctuation' && afterNext.value === ':';
  }
}

/** Statement spans at top-level semicolons; statements without code (only comments) are dropped. */
export function spansOf(sql: string, tokens: readonly Token[], dialect: Dialect, start = 0): Spans {
  const spans: StatementSpan[] = [];
  const tracker = new BodyTracker(dialect);
  let pieceStart = start;
  let firstToken = 0;
  tracker.startStatement(tokens, 0);
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index] as Token;
    const inBody = tracker.inBody(tokens, index);
    if (token.kind !== 'semicolon' || inBody) continue;
    if (index > firstToken) {
      const { start: from, end: to } = trimmedRange(sql, pieceStart, token.start);
      spans.push({ start: from, end: to, firstToken, endToken: index });
    }
    pieceStart = token.end;
    firstToken = index + 1;
    tracker.startStatement(tokens, firstToken);
  }
  if (tokens.length > firstToken) {
    const { start: from, end: to } = trimmedRange(sql, pieceStart, sql.length);
    spans.push({ start: from, end: to, firstToken, endToken: tokens.length });
  }
  return { spans, tailStart: pieceStart };
}

/** Splits a query string into statements, each with its exact text and offsets. */
export function splitStatements(sql: string, state: LexerState): StatementPiece[] | { error: string } {
  const { tokens, error } = lex(sql, state);
  if (error !== null) return { error: `${error.message} at offset ${error.position}` };
  return spansOf(sql, tokens, state.dialect).spans.map(({ start, end }) => ({
    text: sql.slice(start, end),
    start,
    end,
  }));
}
