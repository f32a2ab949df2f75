import { isIdentifierPart } from './characters.js';
import type { LexErrorCode } from './tokens.js';

/** A literal or quoted name read from the text: where it ends and what it says. */
export interface Scanned {
  readonly end: number;
  readonly value: string;
}

export interface ScanFailure {
  readonly code: LexErrorCode;
}

const BACKSLASH = 0x5c;

const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '0': '\0',
  Z: '\x1a',
};

/**
 * Reads a quoted run opened at `open` by `quote` (', " or `): a doubled quote stands for one, and
 * with `backslashEscapes` a backslash takes the next character literally (so `\'` does not close).
 */
export function scanQuoted(
  sql: string,
  open: number,
  quote: number,
  backslashEscapes: boolean,
  code: LexErrorCode,
): Scanned | ScanFailure {
  let value = '';
  let runStart = open + 1;
  let position = open + 1;
  const length = sql.length;
  while (position < length) {
    const character = sql.charCodeAt(position);
    if (character === quote) {
      value += sql.slice(runStart, position);
      if (sql.charCodeAt(position + 1) === quote) {
        value += sql[position];
        position += 2;
        runStart = position;
        continue;
      }
      return { end: position + 1, value };
    }
    if (character === BACKSLASH && backslashEscapes) {
      value += sql.slice(runStart, position);
      const escaped = sql[position + 1];
      if (escaped === undefined) break;
      value += ESCAPES[escaped] ?? escaped;
      position += 2;
      runStart = position;
      continue;
    }
    position += 1;
  }
  return { code };
}

function isTagCharacter(character: number): boolean {
  return (
    (character >= 0x61 && character <= 0x7a) ||
    (character >= 0x41 && character <= 0x5a) ||
    (character >= 0x30 && character <= 0x39) ||
    character === 0x5f ||
    character >= 0x80
  );
}

/**
 * Reads a Postgres dollar quote starting at `open` (the first `$`): `$$…$$` or `$tag$…$tag$`.
 * Returns null when the text at `open` is not a dollar-quote opener.
 * https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-DOLLAR-QUOTING
 */
export function scanDollarQuote(sql: string, open: number): Scanned | ScanFailure | null {
  let position = open + 1;
  const first = sql.charCodeAt(position);
  if (first >= 0x30 && first <= 0x39) return null;
  while (position < sql.length && isTagCharacter(sql.charCodeAt(position))) position += 1;
  if (sql.charCodeAt(position) !== 0x24) return null;
  const tag = sql.slice(open, position + 1);
  const close = sql.indexOf(tag, position + 1);
  if (close < 0) return { code: 'unterminated-dollar-quote' };
  return { end: close + tag.length, value: sql.slice(position + 1, close) };
}

export function isScanFailure(result: Scanned | ScanFailure): result is ScanFailure {
  return 'code' in result;
}

/** A MySQL user or system variable at `position`: `@name`, `@@session.name`, `@'quoted name'`. */
export function scanVariable(sql: string, position: number): Scanned {
  let cursor = sql[position + 1] === '@' ? position + 2 : position + 1;
  const quote = sql.charCodeAt(cursor);
  if (quote === 0x27 || quote === 0x22 || quote === 0x60) {
    const scanned = scanQuoted(sql, cursor, quote, false, 'unterminated-string');
    if (!isScanFailure(scanned)) return { end: scanned.end, value: `@${scanned.value.toLowerCase()}` };
  }
  while (cursor < sql.length && (isIdentifierPart(sql.charCodeAt(cursor)) || sql[cursor] === '.'))
    cursor += 1;
  return { end: cursor, value: sql.slice(position, cursor).toLowerCase() };
}

const UESCAPE = /^\s*uescape\s*'([^'])'/i;

function hexValue(text: string): number | null {
  return /^[0-9a-fA-F]+$/.test(text) ? Number.parseInt(text, 16) : null;
}

/**
 * Postgres `U&'…'` / `U&"…"` after the `&`: `\XXXX` and `\+XXXXXX` stand for code points, the
 * escape character doubled for itself, and `UESCAPE 'c'` after the literal picks another escape
 * character. Decoding matters: `U&"\0070g_read_file"` names the function pg_read_file.
 * https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-STRINGS-UESCAPE
 */
export function scanUnicodeEscaped(
  sql: string,
  open: number,
  quote: number,
  code: LexErrorCode,
): Scanned | ScanFailure {
  const scanned = scanQuoted(sql, open, quote, false, code);
  if (isScanFailure(scanned)) return scanned;
  const uescape = UESCAPE.exec(sql.slice(scanned.end, scanned.end + 32));
  const escapeCharacter = uescape?.[1] ?? '\\';
  let value = '';
  for (let index = 0; index < scanned.value.length; index += 1) {
    const character = scanned.value[index] as string;
    if (character !== escapeCharacter) {
      value += character;
      continue;
    }
    const long = scanned.value[index + 1] === '+';
    const digits = long
      ? scanned.value.slice(index + 2, index + 8)
      : scanned.value.slice(index + 1, index + 5);
    const codePoint = hexValue(digits);
    if (scanned.value[index + 1] === escapeCharacter) {
      value += escapeCharacter;
      index += 1;
    } else if (codePoint !== null && digits.length === (long ? 6 : 4) && codePoint <= 0x10ffff) {
      value += String.fromCodePoint(codePoint);
      index += long ? 7 : 4;
    } else {
      value += character;
    }
  }
  return { end: uescape === null ? scanned.end : scanned.end + uescape[0].length, value };
}
