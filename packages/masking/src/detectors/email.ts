import {
  isDomainName,
  isDomainUnit,
  isLocalPartUnit,
  isMaskedLocalPart,
  maskedAddress,
} from '../email-address.js';
import type { Detector, Finding } from './detector.js';

function findAddressAt(text: string, at: number): Finding | null {
  let start = at;
  while (start > 0 && isLocalPartUnit(text, start - 1)) start -= 1;
  while (start < at && text.charCodeAt(start) === 46) start += 1;
  let end = at + 1;
  while (end < text.length && isDomainUnit(text, end)) end += 1;
  // A sentence may end right after the address: "write to alice@example.com."
  while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end -= 1;
  const localPart = text.slice(start, at);
  const domain = text.slice(at + 1, end);
  if (localPart.length === 0 || isMaskedLocalPart(localPart)) return null;
  if (!isDomainName(domain, true)) return null;
  return { detector: 'email', start, end, mask: maskedAddress(localPart, domain) };
}

/** Addresses such as `alice.smith+tag@mail.example.co.uk`, masked as `a***@mail.example.co.uk`. */
export const emailDetector: Detector = {
  name: 'email',
  mayContain: (profile) => profile.hasAt,
  find(text) {
    const findings: Finding[] = [];
    let at = text.indexOf('@');
    while (at !== -1) {
      const finding = findAddressAt(text, at);
      if (finding !== null) findings.push(finding);
      at = text.indexOf('@', Math.max(at + 1, finding?.end ?? 0));
    }
    return findings;
  },
};
