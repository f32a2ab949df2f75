import type { Detector, Finding } from './detector.js';

/** IBAN length per country (ISO 13616 registry); a code outside it is not an IBAN country. */
const IBAN_LENGTHS: ReadonlyMap<string, number> = new Map(
  (
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 ' +
    'DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 IL23 ' +
    'IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 ' +
    'MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 ' +
    'SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30'
  )
    .split(' ')
    .map((entry) => [entry.slice(0, 2), Number(entry.slice(2))] as const),
);

/** Compact (`DE89370400440532013000`) or printed in groups of four (`DE89 3704 0044 0532 0130 00`). */
const CANDIDATE =
  /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![A-Za-z0-9])/g;

/** ISO 7064 MOD 97-10 over the IBAN with its first four characters moved to the end. */
export function passesMod97(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let index = 0; index < rearranged.length; index += 1) {
    const code = rearranged.charCodeAt(index);
    if (code >= 48 && code <= 57) {
      remainder = (remainder * 10 + (code - 48)) % 97;
    } else {
      // Letters count as two digits: A = 10 … Z = 35.
      remainder = (remainder * 100 + (code - 55)) % 97;
    }
  }
  return remainder === 1;
}

export function isIban(compact: string): boolean {
  return IBAN_LENGTHS.get(compact.slice(0, 2)) === compact.length && passesMod97(compact);
}

/** Keeps the country code and the last four characters; separators stay where they were. */
function maskIban(candidate: string): string {
  let kept = 0;
  let masked = '';
  for (let index = candidate.length - 1; index >= 0; index -= 1) {
    const character = candidate.charAt(index);
    if (character === ' ' || index < 2 || kept < 4) {
      masked = character + masked;
      if (character !== ' ') kept += 1;
    } else {
      masked = `*${masked}`;
    }
  }
  return masked;
}

/** International bank account numbers, valid for their country's length and MOD 97 check. */
export const ibanDetector: Detector = {
  name: 'iban',
  mayContain: (profile) => profile.hasIbanStart,
  find(text) {
    const findings: Finding[] = [];
    for (const match of text.matchAll(CANDIDATE)) {
      const candidate = match[0];
      if (!isIban(candidate.replaceAll(' ', ''))) continue;
      findings.push({
        detector: 'iban',
        start: match.index,
        end: match.index + candidate.length,
        mask: maskIban(candidate),
      });
    }
    return findings;
  },
};
