/** Character classes and the scanners for tokens that need no lexer state. */

/** Character codes the lexer looks for. */
export const CHARACTER = {
  singleQuote: 0x27,
  doubleQuote: 0x22,
  backtick: 0x60,
  dollar: 0x24,
  star: 0x2a,
  slash: 0x2f,
  dash: 0x2d,
  dot: 0x2e,
  colon: 0x3a,
} as const;
const STAR = CHARACTER.star;
const SLASH = CHARACTER.slash;
const DOT = CHARACTER.dot;

const POSTGRES_OPERATOR_CHARACTERS = '+-*/<>=~!@#%^&|`?';
/** A Postgres operator may end in + or - only if it contains one of these. */
const POSTGRES_OPERATOR_SPECIAL = '~!@#%^&|`?';
const MYSQL_OPERATORS = ['<=>', '->>', '<=', '>=', '<>', '!=', '||', '&&', '<<', '>>', ':=', '->'];

export function isWhitespace(character: number): boolean {
  return character === 0x20 || (character >= 0x09 && character <= 0x0d);
}

export function isDigit(character: number): boolean {
  return character >= 0x30 && character <= 0x39;
}

function isHexDigitOrUnderscore(character: number): boolean {
  const lower = character | 0x20;
  return isDigit(character) || (lower >= 0x61 && lower <= 0x66) || character === 0x5f;
}

/** Letters, `_` and anything beyond ASCII (both servers accept non-ASCII identifier characters). */
export function isIdentifierStart(character: number): boolean {
  return (
    (character >= 0x61 && character <= 0x7a) ||
    (character >= 0x41 && character <= 0x5a) ||
    character === 0x5f ||
    character >= 0x80
  );
}

export function isIdentifierPart(character: number): boolean {
  return isIdentifierStart(character) || isDigit(character) || character === 0x24;
}

export function identifierEnd(sql: string, position: number): number {
  let cursor = position;
  while (cursor < sql.length && isIdentifierPart(sql.charCodeAt(cursor))) cursor += 1;
  return cursor;
}

/** The end of a number at `position`: `12`, `1.5e-3`, `.5`, `0x1F`, `0o17`, `0b101`, `1_000`. */
export function numberEnd(sql: string, position: number): number {
  let cursor = position;
  const second = sql.charCodeAt(position + 1) | 0x20;
  if (sql[position] === '0' && (second === 0x78 || second === 0x6f || second === 0x62)) {
    cursor += 2;
    while (cursor < sql.length && isHexDigitOrUnderscore(sql.charCodeAt(cursor))) cursor += 1;
    return cursor;
  }
  while (isDigit(sql.charCodeAt(cursor)) || sql.charCodeAt(cursor) === 0x5f) cursor += 1;
  if (sql.charCodeAt(cursor) === DOT && sql.charCodeAt(cursor + 1) !== DOT) {
    cursor += 1;
    while (isDigit(sql.charCodeAt(cursor))) cursor += 1;
  }
  const exponent = sql[cursor];
  if (exponent === 'e' || exponent === 'E') {
    const sign = sql[cursor + 1] === '+' || sql[cursor + 1] === '-' ? 1 : 0;
    if (isDigit(sql.charCodeAt(cursor + 1 + sign))) {
      cursor += 1 + sign;
      while (isDigit(sql.charCodeAt(cursor))) cursor += 1;
    }
  }
  return cursor;
}

/**
 * The operator at `position`. Postgres takes the longest run of operator characters, stopping
 * before a comment and dropping a trailing + or - unless the run has a special character.
 * https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-OPERATORS
 */
export function operatorAt(sql: string, position: number, mysql: boolean): string {
  if (mysql)
    return MYSQL_OPERATORS.find((operator) => sql.startsWith(operator, position)) ?? sql[position] ?? '';
  let cursor = position;
  while (cursor < sql.length && POSTGRES_OPERATOR_CHARACTERS.includes(sql[cursor] ?? '')) {
    const pair = sql.slice(cursor, cursor + 2);
    if (cursor > position && (pair === '--' || pair === '/*')) break;
    cursor += 1;
  }
  if (cursor === position) cursor += 1;
  let text = sql.slice(position, cursor);
  const special = [...text].some((character) => POSTGRES_OPERATOR_SPECIAL.includes(character));
  while (text.length > 1 && !special && (text.endsWith('+') || text.endsWith('-'))) text = text.slice(0, -1);
  return text;
}

/** The end of a Postgres block comment starting at `position` (they nest), or -1 when unterminated. */
export function nestedCommentEnd(sql: string, position: number): number {
  let depth = 0;
  let cursor = position;
  while (cursor < sql.length) {
    if (sql.charCodeAt(cursor) === SLASH && sql.charCodeAt(cursor + 1) === STAR) {
      depth += 1;
      cursor += 2;
    } else if (sql.charCodeAt(cursor) === STAR && sql.charCodeAt(cursor + 1) === SLASH) {
      depth -= 1;
      cursor += 2;
      if (depth === 0) return cursor;
    } else {
      cursor += 1;
    }
  }
  return -1;
}
