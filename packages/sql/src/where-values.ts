import type { Dialect } from './types.js';

/** A constant SQL value; null is SQL NULL. */
export type Constant = number | string | boolean | null;

/** The truth of a constant, or 'unknown' when the server's answer cannot be told (or is an error). */
export type Truth = boolean | null | 'unknown';

const POSTGRES_TRUE = ['true', 'yes', 'on', '1'];
const POSTGRES_FALSE = ['false', 'no', 'off', '0'];
const LIKE_WORK_LIMIT = 1_000_000;

/** Postgres boolean input: unique prefixes of true/false/yes/no, on/off, 1/0. */
function postgresBoolean(text: string): boolean | 'unknown' {
  const value = text.trim().toLowerCase();
  if (value.length === 0) return 'unknown';
  const matches = (words: string[]) =>
    words.some((word) =>
      word === 'on' || word === 'off'
        ? value === word || (word === 'off' && value === 'of')
        : word.startsWith(value),
    );
  const isTrue = matches(POSTGRES_TRUE);
  const isFalse = matches(POSTGRES_FALSE);
  if (isTrue === isFalse) return 'unknown';
  return isTrue;
}

function isDigit(character: string | undefined): boolean {
  return character !== undefined && character >= '0' && character <= '9';
}

/** The length of the decimal number (`-1.5e3`) at the start of `text`, 0 when there is none. */
function numberPrefixLength(text: string): number {
  let index = text[0] === '-' || text[0] === '+' ? 1 : 0;
  const digitsStart = index;
  while (isDigit(text[index])) index += 1;
  if (text[index] === '.') {
    index += 1;
    while (isDigit(text[index])) index += 1;
  }
  if (index === digitsStart || (index === digitsStart + 1 && text[digitsStart] === '.')) return 0;
  if (text[index] === 'e' || text[index] === 'E') {
    const exponentSign = text[index + 1] === '-' || text[index + 1] === '+' ? 1 : 0;
    if (isDigit(text[index + 1 + exponentSign])) {
      index += 1 + exponentSign;
      while (isDigit(text[index])) index += 1;
    }
  }
  return index;
}

/** MySQL reads a string as a number by its longest numeric prefix, 0 when there is none. */
function mysqlNumber(text: string): number {
  const trimmed = text.trimStart();
  const length = numberPrefixLength(trimmed);
  return length === 0 ? 0 : Number(trimmed.slice(0, length));
}

function postgresNumber(text: string): number | 'unknown' {
  const trimmed = text.trim();
  const length = numberPrefixLength(trimmed);
  return length === 0 || length !== trimmed.length ? 'unknown' : Number(trimmed);
}

export function truthOf(value: Constant, dialect: Dialect): Truth {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  return dialect === 'postgres' ? postgresBoolean(value) : mysqlNumber(value) !== 0;
}

function asNumber(value: Exclude<Constant, null>, dialect: Dialect): number | 'unknown' {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return dialect === 'postgres' ? postgresNumber(value) : mysqlNumber(value);
}

function sign(difference: number): number {
  return difference < 0 ? -1 : difference > 0 ? 1 : 0;
}

/** Orders two constants as the server would: negative, 0 or positive; null for NULL. */
export function compareValues(left: Constant, right: Constant, dialect: Dialect): number | null | 'unknown' {
  if (left === null || right === null) return null;
  if (typeof left === 'string' && typeof right === 'string') {
    // MySQL's default collations ignore case and trailing spaces.
    const a = dialect === 'mysql' ? left.toLowerCase().trimEnd() : left;
    const b = dialect === 'mysql' ? right.toLowerCase().trimEnd() : right;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (dialect === 'postgres' && (typeof left === 'boolean' || typeof right === 'boolean')) {
    const a = typeof left === 'string' ? postgresBoolean(left) : left;
    const b = typeof right === 'string' ? postgresBoolean(right) : right;
    if (typeof a !== 'boolean' || typeof b !== 'boolean') return 'unknown';
    return Number(a) - Number(b);
  }
  const a = asNumber(left, dialect);
  const b = asNumber(right, dialect);
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return sign(a - b);
}

const BOOLEAN_TYPES = new Set(['bool', 'boolean']);
const NUMBER_TYPES = new Set(
  'int int2 int4 int8 integer smallint bigint numeric decimal real float float4 float8 double signed unsigned'.split(
    ' ',
  ),
);
const TEXT_TYPES = new Set('text varchar char character bpchar name nchar nvarchar'.split(' '));

/** The constant converted to a type, or undefined when the conversion is not modelled. */
export function castValue(value: Constant, type: string, dialect: Dialect): Constant | undefined {
  if (value === null) return null;
  const name = type.toLowerCase();
  if (BOOLEAN_TYPES.has(name)) {
    const truth = truthOf(value, dialect);
    return truth === 'unknown' ? undefined : truth;
  }
  if (NUMBER_TYPES.has(name)) {
    const number = asNumber(value, dialect);
    return number === 'unknown' ? undefined : number;
  }
  if (TEXT_TYPES.has(name)) return String(value);
  return undefined;
}

/** SQL LIKE with `%`, `_` and backslash escapes; null when the match would cost too much. */
export function likeMatches(text: string, pattern: string, caseInsensitive: boolean): boolean | null {
  if (text.length * pattern.length > LIKE_WORK_LIMIT) return null;
  const subject = caseInsensitive ? text.toLowerCase() : text;
  const items: { kind: 'any' | 'one' | 'char'; char: string }[] = [];
  for (let index = 0; index < pattern.length; index += 1) {
    const character = pattern[index] as string;
    if (character === '\\' && index + 1 < pattern.length) {
      index += 1;
      const escaped = pattern[index] as string;
      items.push({ kind: 'char', char: caseInsensitive ? escaped.toLowerCase() : escaped });
    } else if (character === '%') items.push({ kind: 'any', char: '' });
    else if (character === '_') items.push({ kind: 'one', char: '' });
    else items.push({ kind: 'char', char: caseInsensitive ? character.toLowerCase() : character });
  }
  // Greedy matching that backtracks to the last `%`: O(text × pattern) at worst.
  let position = 0;
  let item = 0;
  let star = -1;
  let resume = 0;
  while (position < subject.length) {
    const current = items[item];
    if (
      current !== undefined &&
      (current.kind === 'one' || (current.kind === 'char' && current.char === subject[position]))
    ) {
      position += 1;
      item += 1;
    } else if (current?.kind === 'any') {
      star = item;
      resume = position;
      item += 1;
    } else if (star >= 0) {
      item = star + 1;
      resume += 1;
      position = resume;
    } else {
      return false;
    }
  }
  while (items[item]?.kind === 'any') item += 1;
  return item === items.length;
}
