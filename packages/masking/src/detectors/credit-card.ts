import type { Detector, Finding } from './detector.js';
import { isDigitAt, isWordAt, maskDigitsKeepingLast } from './detector.js';

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;

/**
 * Issuer prefixes (IIN ranges) and the lengths each network issues. A Luhn check alone passes one
 * random number in ten; requiring a real issuer prefix and length keeps ids, timestamps and other
 * long numbers from being taken for cards.
 */
const ISSUERS: readonly {
  readonly from: number;
  readonly to: number;
  readonly lengths: readonly number[];
}[] = [
  { from: 4, to: 4, lengths: [13, 16, 19] }, // Visa
  { from: 51, to: 55, lengths: [16] }, // Mastercard
  { from: 2221, to: 2720, lengths: [16] }, // Mastercard 2-series
  { from: 34, to: 34, lengths: [15] }, // American Express
  { from: 37, to: 37, lengths: [15] },
  { from: 6011, to: 6011, lengths: [16, 17, 18, 19] }, // Discover
  { from: 644, to: 649, lengths: [16, 17, 18, 19] },
  { from: 65, to: 65, lengths: [16, 17, 18, 19] },
  { from: 300, to: 305, lengths: [14, 15, 16, 17, 18, 19] }, // Diners Club
  { from: 36, to: 36, lengths: [14, 15, 16, 17, 18, 19] },
  { from: 38, to: 39, lengths: [16, 17, 18, 19] },
  { from: 3528, to: 3589, lengths: [16, 17, 18, 19] }, // JCB
  { from: 62, to: 62, lengths: [16, 17, 18, 19] }, // UnionPay
  { from: 2200, to: 2204, lengths: [16, 17, 18, 19] }, // Mir
  { from: 50, to: 50, lengths: [13, 14, 15, 16, 17, 18, 19] }, // Maestro
  { from: 56, to: 69, lengths: [13, 14, 15, 16, 17, 18, 19] },
];

function hasIssuerPrefix(digits: string): boolean {
  return ISSUERS.some((issuer) => {
    if (!issuer.lengths.includes(digits.length)) return false;
    const prefix = Number(digits.slice(0, String(issuer.from).length));
    return prefix >= issuer.from && prefix <= issuer.to;
  });
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Printed card layouts: 4-4-4-4(-3), and the 4-6-5 / 4-6-4 of American Express and Diners. */
function isCardGrouping(groups: readonly number[]): boolean {
  if (groups.length === 1) return true;
  if (groups.length === 3 && groups[0] === 4 && groups[1] === 6) return groups[2] === 5 || groups[2] === 4;
  const last = groups[groups.length - 1] ?? 0;
  return groups.slice(0, -1).every((size) => size === 4) && last >= 1 && last <= 4;
}

/** A separator next to a digit on the outside means the run is part of a decimal or a longer code. */
function continuesNumber(text: string, separatorIndex: number, digitIndex: number): boolean {
  const separator = text.charAt(separatorIndex);
  return (separator === '.' || separator === ',') && isDigitAt(text, digitIndex);
}

/** Digits separated by single spaces or single dashes (the same separator throughout). */
interface DigitRun {
  readonly groups: readonly { readonly start: number; readonly end: number }[];
  readonly end: number;
}

function readRun(text: string, start: number): DigitRun {
  const groups: { start: number; end: number }[] = [];
  let separator = '';
  let index = start;
  for (;;) {
    const groupStart = index;
    while (isDigitAt(text, index)) index += 1;
    groups.push({ start: groupStart, end: index });
    const next = text.charAt(index);
    if ((next !== ' ' && next !== '-') || !isDigitAt(text, index + 1)) break;
    if (separator !== '' && next !== separator) break;
    separator = next;
    index += 1;
  }
  return { groups, end: index };
}

function cardBetween(text: string, start: number, end: number, sizes: readonly number[]): Finding | null {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total < MIN_DIGITS || total > MAX_DIGITS || !isCardGrouping(sizes)) return null;
  if (isWordAt(text, start - 1) || isWordAt(text, end)) return null;
  if (continuesNumber(text, start - 1, start - 2) || continuesNumber(text, end, end + 1)) return null;
  const candidate = text.slice(start, end);
  const digits = candidate.replace(/[ -]/g, '');
  if (!hasIssuerPrefix(digits) || !passesLuhn(digits)) return null;
  return { detector: 'credit_card', start, end, mask: maskDigitsKeepingLast(candidate, 4) };
}

/**
 * The card in a run: the whole run, or, when the run stands apart from other text, the run
 * without stray leading or trailing numbers (`qty 2 4111 1111 1111 1111`). Groups of four are
 * never dropped: a longer sequence of them (a printed account number) is one number, and a
 * card-like stretch inside it is chance.
 */
function cardIn(text: string, run: DigitRun): Finding | null {
  const { groups } = run;
  const sizes = groups.map((group) => group.end - group.start);
  const runStart = groups[0]?.start ?? 0;
  const whole = cardBetween(text, runStart, run.end, sizes);
  if (whole !== null || groups.length === 1) return whole;
  if (isWordAt(text, runStart - 1) || isWordAt(text, run.end)) return null;
  // Digits before each group: a stretch's count is a subtraction, so the many stretches of a
  // long run (a 110-digit code is 55 of them) that cannot be a card cost nothing more.
  const before = [0];
  for (const size of sizes) before.push((before.at(-1) ?? 0) + size);
  for (let first = 0; first < groups.length && (first === 0 || sizes[first - 1] !== 4); first += 1) {
    for (
      let last = groups.length - 1;
      last >= first && (last === groups.length - 1 || sizes[last + 1] !== 4);
      last -= 1
    ) {
      const digits = (before[last + 1] ?? 0) - (before[first] ?? 0);
      // Shorter stretches only have fewer digits.
      if (digits < MIN_DIGITS) break;
      if (digits > MAX_DIGITS) continue;
      const finding = cardBetween(
        text,
        groups[first]?.start ?? 0,
        groups[last]?.end ?? 0,
        sizes.slice(first, last + 1),
      );
      if (finding !== null) return finding;
    }
  }
  return null;
}

/** Payment card numbers (13–19 digits, optionally grouped), Luhn-valid with a known issuer prefix. */
export const creditCardDetector: Detector = {
  name: 'credit_card',
  mayContain: (profile) => profile.longestDigitRun >= MIN_DIGITS,
  find(text) {
    const findings: Finding[] = [];
    let index = 0;
    while (index < text.length) {
      if (!isDigitAt(text, index) || isDigitAt(text, index - 1)) {
        index += 1;
        continue;
      }
      const run = readRun(text, index);
      const finding = cardIn(text, run);
      if (finding !== null) findings.push(finding);
      index = run.end;
    }
    return findings;
  },
};
