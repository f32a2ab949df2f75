import type { Detector, Finding } from './detector.js';

const SSN_MASK = '***-**-****';

/** `123-45-6789` standing alone: not inside a longer dashed code or number. */
const DASHED = /(?<![\w-])(\d{3})-(\d{2})-(\d{4})(?!\w|-\d)/g;

/**
 * Nine bare digits (or `123 45 6789`) count only right after a label such as `SSN:` or
 * `social security number`, since any nine-digit id would otherwise be taken for one.
 */
const LABELLED =
  /(?<![A-Za-z])(?:ssn|social[ _-]?security(?:[ _-]?(?:number|no))?)[^\dA-Za-z\n]{0,5}((\d{3}) ?(\d{2}) ?(\d{4}))(?![\w])/gi;

/**
 * The Social Security Administration never issues area 000, 666 or 900–999, group 00 or serial
 * 0000, so those are not numbers anyone holds.
 */
export function isIssuableSsn(area: string, group: string, serial: string): boolean {
  if (area === '000' || area === '666' || area.startsWith('9')) return false;
  return group !== '00' && serial !== '0000';
}

/** US Social Security numbers, masked as `***-**-****`. */
export const usSsnDetector: Detector = {
  name: 'us_ssn',
  // Both forms are one run of nine digits: `123-45-6789`, `123456789`, `123 45 6789`.
  mayContain: (profile) => profile.longestDigitRun >= 9,
  find(text) {
    const findings: Finding[] = [];
    for (const match of text.matchAll(DASHED)) {
      const [whole, area = '', group = '', serial = ''] = match;
      if (!isIssuableSsn(area, group, serial)) continue;
      findings.push({
        detector: 'us_ssn',
        start: match.index,
        end: match.index + whole.length,
        mask: SSN_MASK,
      });
    }
    // Both labels start with an s: codes of digits and dashes skip that scan.
    if (!text.includes('s') && !text.includes('S')) return findings;
    for (const match of text.matchAll(LABELLED)) {
      const [whole, number = '', area = '', group = '', serial = ''] = match;
      if (!isIssuableSsn(area, group, serial)) continue;
      const end = match.index + whole.length;
      findings.push({ detector: 'us_ssn', start: end - number.length, end, mask: SSN_MASK });
    }
    return findings;
  },
};
