/**
 * - `word`: unquoted identifier or keyword; `value` is lower-cased.
 * - `quoted-identifier`: "…" (Postgres, MySQL ANSI_QUOTES) or `…` (MySQL); `value` is the name.
 * - `string`: any string literal (plain, E'', N'', X'', B'', U&'', dollar-quoted, MySQL "…");
 *   `value` is the decoded content.
 * - `parameter`: `$1`, `?` (MySQL), `:name`. `variable`: MySQL `@name` / `@@name`.
 */
export type TokenKind =
  | 'word'
  | 'quoted-identifier'
  | 'string'
  | 'number'
  | 'parameter'
  | 'variable'
  | 'operator'
  | 'punctuation'
  | 'semicolon';

export interface Token {
  readonly kind: TokenKind;
  /** Offset of the first character in the lexed text. */
  readonly start: number;
  /** Offset after the last character. */
  readonly end: number;
  readonly value: string;
  /** Inside a MySQL executable comment that only some servers run (`/*!80000 …`, `/*M!…`). */
  readonly conditional: boolean;
}

export type LexErrorCode =
  | 'unterminated-string'
  | 'unterminated-quoted-identifier'
  | 'unterminated-dollar-quote'
  | 'unterminated-comment';

export const LEX_ERROR_MESSAGES: Readonly<Record<LexErrorCode, string>> = {
  'unterminated-string': 'unterminated string literal',
  'unterminated-quoted-identifier': 'unterminated quoted identifier',
  'unterminated-dollar-quote': 'unterminated dollar-quoted string',
  'unterminated-comment': 'unterminated comment',
};

export interface LexError {
  readonly code: LexErrorCode;
  /** Where the unterminated construct starts. */
  readonly position: number;
  readonly message: string;
}

export interface LexResult {
  /** Tokens up to the error, or all of them. */
  readonly tokens: readonly Token[];
  readonly error: LexError | null;
}

export function isWord(token: Token | undefined, value: string): boolean {
  return token !== undefined && token.kind === 'word' && token.value === value;
}

export function isWordIn(token: Token | undefined, values: ReadonlySet<string>): boolean {
  return token !== undefined && token.kind === 'word' && values.has(token.value);
}

export function isPunctuation(token: Token | undefined, value: string): boolean {
  return token !== undefined && token.kind === 'punctuation' && token.value === value;
}

export function isOperator(token: Token | undefined, value: string): boolean {
  return token !== undefined && token.kind === 'operator' && token.value === value;
}

/** A word or quoted identifier: something that can name a table, column or function. */
export function isName(token: Token | undefined): token is Token {
  return token !== undefined && (token.kind === 'word' || token.kind === 'quoted-identifier');
}

/**
 * A token as a problem message may quote it. Literals are named by kind only: analyses are cached
 * per fingerprint, and one statement's literal must not show up in another's result.
 */
export function describeToken(token: Token | undefined): string {
  if (token === undefined) return 'the end of the statement';
  if (token.kind === 'string') return 'a string';
  if (token.kind === 'number') return 'a number';
  if (token.kind === 'parameter') return 'a parameter';
  return JSON.stringify(token.value);
}
