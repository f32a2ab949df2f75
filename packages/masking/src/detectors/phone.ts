import type { Detector, Finding } from './detector.js';
import { isDigitAt, isWordAt, maskDigitsKeepingLast } from './detector.js';

const KEPT_DIGITS = 2;
const MIN_INTERNATIONAL_DIGITS = 8;
const NANP_DIGITS = 10;
/** E.164 allows 15 digits; a written trunk prefix such as `(0)` adds one. */
const MAX_INTERNATIONAL_DIGITS = 16;

/**
 * North American numbers written with separators: `(415) 555-2671`, `415-555-2671`,
 * `415.555.2671`, optionally after `1-`. Area code and exchange never start with 0 or 1. Bare
 * digit strings and space-only groupings are left alone: they are as often ids or amounts.
 */
const NANP_PARENTHESISED =
  /(?<![\w.+\-/])(?:1[ .-]?)?\(([2-9]\d\d)\)[ ]?([2-9]\d\d)[ .-](\d{4})(?![\w]|[.\-/:]\d)/g;
const NANP_SEPARATED = /(?<![\w.+\-/])(?:1([.-]))?([2-9]\d\d)([.-])([2-9]\d\d)\3(\d{4})(?![\w]|[.\-/:]\d)/g;

interface Grouping {
  readonly end: number;
  readonly groups: readonly number[];
  readonly separators: string;
}

/** Digit groups after a `+`, separated by one space, dash or dot, or parenthesised: `(0)`, `(415)`. */
function readGroups(text: string, start: number): Grouping {
  const groups: number[] = [];
  let separators = '';
  let index = start;
  let end = start;
  for (;;) {
    const parenthesised = text.charAt(index) === '(';
    const digitsStart = parenthesised ? index + 1 : index;
    let digitsEnd = digitsStart;
    while (isDigitAt(text, digitsEnd)) digitsEnd += 1;
    if (digitsEnd === digitsStart || (parenthesised && text.charAt(digitsEnd) !== ')')) break;
    groups.push(digitsEnd - digitsStart);
    end = parenthesised ? digitsEnd + 1 : digitsEnd;
    const next = text.charAt(end);
    const followsGroup = isDigitAt(text, end + 1) || text.charAt(end + 1) === '(';
    if ((next === ' ' || next === '-' || next === '.') && followsGroup) {
      separators += next;
      index = end + 1;
    } else if (next === '(' || (parenthesised && isDigitAt(text, end))) {
      // `(415)555-2671`, `+49 (0)30 123456`: a parenthesised group may touch its neighbours.
      index = end;
    } else {
      break;
    }
  }
  return { end, groups, separators };
}

/** Shapes that follow a `+` without being phone numbers: dates and dotted IPv4 addresses. */
function looksLikeDateOrAddress({ groups, separators }: Grouping): boolean {
  const sizes = groups.join(',');
  if (sizes === '4,2,2' && separators !== '' && /^([-.])\1$/.test(separators)) return true;
  return separators === '...' && groups.every((size) => size <= 3);
}

function internationalAt(text: string, plus: number): Finding | null {
  const previous = text.charCodeAt(plus - 1);
  // A `+` after a word character or another `+` is arithmetic or a version's build metadata.
  if (isWordAt(text, plus - 1) || previous === 43) return null;
  const code = text.charCodeAt(plus + 1);
  if (code < 49 || code > 57) return null;
  const grouping = readGroups(text, plus + 1);
  const digits = grouping.groups.reduce((sum, size) => sum + size, 0);
  if (digits < MIN_INTERNATIONAL_DIGITS || digits > MAX_INTERNATIONAL_DIGITS) return null;
  if (isWordAt(text, grouping.end) || looksLikeDateOrAddress(grouping)) return null;
  const follower = text.charAt(grouping.end);
  if ((follower === '.' || follower === ':' || follower === '/') && isDigitAt(text, grouping.end + 1))
    return null;
  const candidate = text.slice(plus, grouping.end);
  return {
    detector: 'phone',
    start: plus,
    end: grouping.end,
    mask: maskDigitsKeepingLast(candidate, KEPT_DIGITS),
  };
}

function phoneFinding(start: number, candidate: string): Finding {
  return {
    detector: 'phone',
    start,
    end: start + candidate.length,
    mask: maskDigitsKeepingLast(candidate, KEPT_DIGITS),
  };
}

/**
 * Telephone numbers: international (`+14155552671`, `+44 20 7946 0958`) and North American
 * (`(415) 555-2671`, `415-555-2671`, `415.555.2671`), masked keeping the last two digits.
 */
export const phoneDetector: Detector = {
  name: 'phone',
  mayContain: (profile) =>
    profile.digits >= NANP_DIGITS || (profile.hasPlus && profile.digits >= MIN_INTERNATIONAL_DIGITS),
  find(text) {
    const findings: Finding[] = [];
    let plus = text.indexOf('+');
    while (plus !== -1) {
      const finding = internationalAt(text, plus);
      if (finding !== null) findings.push(finding);
      plus = text.indexOf('+', Math.max(plus + 1, finding?.end ?? 0));
    }
    if (text.includes('(')) {
      for (const match of text.matchAll(NANP_PARENTHESISED))
        findings.push(phoneFinding(match.index, match[0]));
    }
    for (const match of text.matchAll(NANP_SEPARATED)) findings.push(phoneFinding(match.index, match[0]));
    return findings;
  },
};
