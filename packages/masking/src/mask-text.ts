import type { DetectorName } from '@sluice/config';
import { type Finding, profileOf, type TextProfile } from './detectors/detector.js';
import { detectorFor } from './detectors/registry.js';

export interface MaskedText {
  readonly text: string;
  /** How many findings were replaced. */
  readonly count: number;
}

/** Runs `detectors` over `text` and returns every finding, in text order, overlapping or not. */
export function findAll(text: string, detectors: readonly DetectorName[]): Finding[] {
  if (text.length === 0 || detectors.length === 0) return [];
  const profile = profileOf(text);
  const findings: Finding[] = [];
  for (const name of detectors) {
    const detector = detectorFor(name);
    if (detector.mayContain(profile)) findings.push(...detector.find(text));
  }
  return findings.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** False when `detectors` can find nothing in a text with this profile (see `profileOfBytes`). */
export function mayFindAny(profile: TextProfile, detectors: readonly DetectorName[]): boolean {
  for (const name of detectors) if (detectorFor(name).mayContain(profile)) return true;
  return false;
}

/**
 * Overlapping findings (a card number inside a longer token, a phone number inside a PEM block)
 * become one replaced span covering both, with the mask of the longer one: whatever overlaps is
 * hidden entirely.
 */
function mergeOverlapping(sorted: readonly Finding[]): Finding[] {
  const merged: Finding[] = [];
  for (const finding of sorted) {
    const previous = merged[merged.length - 1];
    if (previous === undefined || finding.start >= previous.end) {
      merged.push(finding);
      continue;
    }
    const longer = finding.end - finding.start > previous.end - previous.start ? finding : previous;
    merged[merged.length - 1] = {
      ...longer,
      start: previous.start,
      end: Math.max(previous.end, finding.end),
    };
  }
  return merged;
}

/**
 * A mask can change what its neighbours look like (`123456789(415) 555-2671`: the phone number
 * touches a digit until the SSN before it is masked), so masking repeats until a pass finds
 * nothing. Passes after the first run only when something was found.
 */
const MAX_PASSES = 4;

function maskOnce(text: string, detectors: readonly DetectorName[]): MaskedText {
  const findings = findAll(text, detectors);
  if (findings.length === 0) return { text, count: 0 };
  const merged = mergeOverlapping(findings);
  let masked = '';
  let copied = 0;
  for (const finding of merged) {
    masked += text.slice(copied, finding.start) + finding.mask;
    copied = finding.end;
  }
  return { text: masked + text.slice(copied), count: merged.length };
}

/** Replaces each piece of personal data or secret that `detectors` recognise in `text`. */
export function maskText(text: string, detectors: readonly DetectorName[]): MaskedText {
  let result = maskOnce(text, detectors);
  let count = result.count;
  for (let pass = 1; pass < MAX_PASSES && result.count > 0; pass += 1) {
    result = maskOnce(result.text, detectors);
    count += result.count;
  }
  return { text: result.text, count };
}
