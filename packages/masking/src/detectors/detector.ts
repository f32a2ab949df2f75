import type { DetectorName } from '@sluice/config';

/** One piece of personal data or secret found in a text: `text.slice(start, end)` becomes `mask`. */
export interface Finding {
  readonly detector: DetectorName;
  readonly start: number;
  readonly end: number;
  readonly mask: string;
}

/** Facts about a text gathered in one pass and shared by the prefilters of all detectors. */
export interface TextProfile {
  readonly digits: number;
  /** Most digits in one stretch of digits joined by single spaces or dashes (`4111 1111 …`). */
  readonly longestDigitRun: number;
  readonly hasAt: boolean;
  readonly hasPlus: boolean;
  /** Two upper-case letters followed by two digits occur (how every IBAN starts). */
  readonly hasIbanStart: boolean;
}

/** One pass over the char codes, reading only inside the string (out-of-range reads are slow in V8). */
export function profileOf(text: string): TextProfile {
  let digits = 0;
  let run = 0;
  let longestDigitRun = 0;
  let separated = false;
  let hasAt = false;
  let hasPlus = false;
  let upperLetters = 0;
  let digitsAfterLetters = 0;
  let hasIbanStart = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) {
      digits += 1;
      run += 1;
      separated = false;
      if (run > longestDigitRun) longestDigitRun = run;
      digitsAfterLetters = upperLetters >= 2 ? 1 : digitsAfterLetters > 0 ? digitsAfterLetters + 1 : 0;
      if (digitsAfterLetters === 2) hasIbanStart = true;
      upperLetters = 0;
      continue;
    }
    digitsAfterLetters = 0;
    upperLetters = code >= 65 && code <= 90 ? upperLetters + 1 : 0;
    if ((code === 32 || code === 45) && run > 0 && !separated) {
      // A single separator after a digit keeps the run going if a digit follows.
      separated = true;
      continue;
    }
    run = 0;
    separated = false;
    if (code === 64) hasAt = true;
    else if (code === 43) hasPlus = true;
  }
  return { digits, longestDigitRun, hasAt, hasPlus, hasIbanStart };
}

export interface Detector {
  readonly name: DetectorName;
  /**
   * A cheap test run before `find`: false means the text cannot hold a finding of this kind, so
   * most values (ids, names, timestamps) cost one scan of their characters and nothing more.
   */
  mayContain(text: string, profile: TextProfile): boolean;
  find(text: string): Finding[];
}

export function countDigits(text: string): number {
  let digits = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) digits += 1;
  }
  return digits;
}

export function isDigitAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 48 && code <= 57;
}

/** ASCII letter, digit or underscore at `index`; false outside the text. */
export function isWordAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95
  );
}

/** Replaces every ASCII digit of `text` by `*` except the last `keep` digits. */
export function maskDigitsKeepingLast(text: string, keep: number): string {
  let remaining = countDigits(text) - keep;
  let masked = '';
  for (let index = 0; index < text.length; index += 1) {
    const character = text.charAt(index);
    if (remaining > 0 && isDigitAt(text, index)) {
      masked += '*';
      remaining -= 1;
    } else {
      masked += character;
    }
  }
  return masked;
}
