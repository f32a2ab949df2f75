/**
 * RFC 4013 SASLprep of a SCRAM password, as PostgreSQL's pg_saslprep applies it: ASCII passes
 * through untouched, and a password that is not valid SASLprep output is used as it is rather
 * than refused. Without this step a non-ASCII password set by libpq or the server would not match.
 * https://www.postgresql.org/docs/current/sasl-authentication.html#SASL-SCRAM-SHA-256
 */

type CodePointRange = readonly [first: number, last: number];

const ASCII_LIMIT = 0x80;
const SPACE = ' ';

// RFC 3454 C.1.2, mapped to SPACE.
const NON_ASCII_SPACE: readonly CodePointRange[] = [
  [0x00a0, 0x00a0],
  [0x1680, 0x1680],
  [0x2000, 0x200b],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
];

// RFC 3454 B.1, mapped to nothing.
const MAPPED_TO_NOTHING: readonly CodePointRange[] = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x1806, 0x1806],
  [0x180b, 0x180d],
  [0x200b, 0x200d],
  [0x2060, 0x2060],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
];

// RFC 4013 2.3 prohibited output: RFC 3454 C.1.2 and C.2.1 to C.9.
const PROHIBITED: readonly CodePointRange[] = [
  ...NON_ASCII_SPACE,
  [0x0000, 0x001f],
  [0x007f, 0x009f],
  [0x0340, 0x0341],
  [0x06dd, 0x06dd],
  [0x070f, 0x070f],
  [0x180e, 0x180e],
  [0x200c, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x2063],
  [0x206a, 0x206f],
  [0x2ff0, 0x2ffb],
  [0xd800, 0xdfff],
  [0xe000, 0xf8ff],
  [0xfdd0, 0xfdef],
  [0xfeff, 0xfeff],
  [0xfff9, 0xffff],
  [0x1d173, 0x1d17a],
  [0xe0001, 0xe0001],
  [0xe0020, 0xe007f],
  [0xf0000, 0x10ffff],
];

// Code points unassigned today stand in for the Unicode 3.2 table A.1; lone surrogates are prohibited.
const UNASSIGNED_OR_SURROGATE = /[\p{Cn}\p{Cs}]/u;

// Every plane ends with two non-characters (RFC 3454 C.4).
const PLANE_END_MASK = 0xfffe;

export function saslPrepPassword(password: string): string {
  if (isAscii(password)) return password;
  let mapped = '';
  for (const char of password) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (inRanges(codePoint, NON_ASCII_SPACE)) mapped += SPACE;
    else if (!inRanges(codePoint, MAPPED_TO_NOTHING)) mapped += char;
  }
  const prepared = mapped.normalize('NFKC');
  if (prepared === '' || UNASSIGNED_OR_SURROGATE.test(prepared)) return password;
  for (const char of prepared) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (inRanges(codePoint, PROHIBITED) || (codePoint & PLANE_END_MASK) === PLANE_END_MASK) return password;
  }
  return prepared;
}

function isAscii(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) >= ASCII_LIMIT) return false;
  return true;
}

function inRanges(codePoint: number, ranges: readonly CodePointRange[]): boolean {
  return ranges.some(([first, last]) => codePoint >= first && codePoint <= last);
}
