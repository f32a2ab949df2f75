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
  /** A `-` or `_`, `AK`/`AS`/`AI` or `eyJ` occurs: every kind of secret the detector knows has one. */
  readonly secretHint: boolean;
}

/**
 * The profile, one character code at a time. Only ASCII codes count, so the profile of a UTF-8
 * text's bytes is the profile of the text: every byte of a multi-byte character is above 127,
 * and breaks a run as the character itself would.
 */
class ProfileScan {
  private digits = 0;
  private run = 0;
  private longestDigitRun = 0;
  private separated = false;
  private hasAt = false;
  private hasPlus = false;
  private upperLetters = 0;
  private digitsAfterLetters = 0;
  private hasIbanStart = false;
  private secretHint = false;
  private previous = 0;
  private beforePrevious = 0;

  add(code: number): void {
    if (code >= 97 && code <= 122) {
      // A lower-case letter, most of any text: it only ends runs.
      this.beforePrevious = this.previous;
      this.previous = code;
      this.run = 0;
      this.separated = false;
      this.upperLetters = 0;
      this.digitsAfterLetters = 0;
      return;
    }
    if (code === 45 || code === 95) this.secretHint = true;
    else if ((code === 75 || code === 83 || code === 73) && this.previous === 65) this.secretHint = true;
    else if (code === 74 && this.previous === 121 && this.beforePrevious === 101) this.secretHint = true;
    this.beforePrevious = this.previous;
    this.previous = code;
    if (code >= 48 && code <= 57) {
      this.digits += 1;
      this.run += 1;
      this.separated = false;
      if (this.run > this.longestDigitRun) this.longestDigitRun = this.run;
      this.digitsAfterLetters =
        this.upperLetters >= 2 ? 1 : this.digitsAfterLetters > 0 ? this.digitsAfterLetters + 1 : 0;
      if (this.digitsAfterLetters === 2) this.hasIbanStart = true;
      this.upperLetters = 0;
      return;
    }
    this.digitsAfterLetters = 0;
    this.upperLetters = code >= 65 && code <= 90 ? this.upperLetters + 1 : 0;
    if ((code === 32 || code === 45) && this.run > 0 && !this.separated) {
      // A single separator after a digit keeps the run going if a digit follows.
      this.separated = true;
      return;
    }
    this.run = 0;
    this.separated = false;
    if (code === 64) this.hasAt = true;
    else if (code === 43) this.hasPlus = true;
  }

  profile(): TextProfile {
    const { digits, longestDigitRun, hasAt, hasPlus, hasIbanStart, secretHint } = this;
    return { digits, longestDigitRun, hasAt, hasPlus, hasIbanStart, secretHint };
  }
}

/** One pass over the char codes, reading only inside the string (out-of-range reads are slow in V8). */
export function profileOf(text: string): TextProfile {
  const scan = new ProfileScan();
  for (let index = 0; index < text.length; index += 1) scan.add(text.charCodeAt(index));
  return scan.profile();
}

/** The profile of the UTF-8 text in `bytes[start..end)`, without decoding it. */
export function profileOfBytes(bytes: Uint8Array, start: number, end: number): TextProfile {
  const scan = new ProfileScan();
  for (let index = start; index < end; index += 1) scan.add(bytes[index] ?? 0);
  return scan.profile();
}

export interface Detector {
  readonly name: DetectorName;
  /**
   * A cheap test run before `find`: false means the text cannot hold a finding of this kind, so
   * most values (ids, names, timestamps) cost one scan of their characters (or bytes) and
   * nothing more.
   */
  mayContain(profile: TextProfile): boolean;
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
