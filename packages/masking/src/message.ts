import type { DetectorName } from '@sluice/config';
import { maskText } from './mask-text.js';
import { REDACTED } from './strategies.js';

/**
 * Shorter values are not replaced: they would hit ordinary words and numbers all over a message
 * while revealing little on their own.
 */
const MIN_KNOWN_VALUE_LENGTH = 3;

/**
 * Masks the text of a server error or notice, which can quote a value
 * (`invalid input syntax for type integer: "alice@example.com"`): every occurrence of a value
 * seen in a masked column this session becomes `****`, and the detectors mask the rest.
 */
export function maskMessage(
  text: string,
  knownValues: readonly string[],
  detectors: readonly DetectorName[],
): string {
  let masked = text;
  // Longest first, so a value that contains another is replaced whole.
  const values = [...new Set(knownValues)]
    .filter((value) => value.length >= MIN_KNOWN_VALUE_LENGTH)
    .sort((a, b) => b.length - a.length);
  for (const value of values) {
    if (masked.includes(value)) masked = masked.split(value).join(REDACTED);
  }
  return maskText(masked, detectors).text;
}
