import type { DetectorName } from '@sluice/config';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { profileOf, profileOfBytes } from '../src/detectors/detector.js';
import { findAll, maskText } from '../src/index.js';
import { mayFindAny } from '../src/mask-text.js';

const ALL: readonly DetectorName[] = ['email', 'credit_card', 'us_ssn', 'phone', 'iban', 'secret'];

/** Pieces that detectors react to, to be glued into texts where findings touch and overlap. */
const PIECES = [
  'alice@example.com',
  'a***@b.co',
  '4111 1111 1111 1111',
  '4111-1111-1111-1111',
  '5555555555554444',
  '123-45-6789',
  'SSN ',
  '123456789',
  '+14155552671',
  '+44 20 7946 0958',
  '(415) 555-2671',
  '415.555.2671',
  'DE89 3704 0044 0532 0130 00',
  'GB82WEST12345698765432',
  'AKIAIOSFODNN7EXAMPLE',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
  '-----BEGIN RSA PRIVATE KEY-----',
  '-----END RSA PRIVATE KEY-----',
  'sk_live_abcdefghij123',
  '2024-01-31',
  '12:30:45',
  '@',
  '+',
  '-',
  '.',
  ' ',
  '(',
  ')',
  '*',
  '0',
  '1',
  '9',
  'x',
  'é',
  '😀',
  '\n',
];

const texts = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((pieces) => pieces.join('')),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: fc.constantFrom(...'0123456789 -+().@abcAKIS*_'), maxLength: 60 }),
);
const detectorSets = fc.subarray([...ALL], { minLength: 1 });

describe('maskText properties', () => {
  it('never throws and leaves a text without findings exactly as it was', () => {
    fc.assert(
      fc.property(texts, detectorSets, (text, detectors) => {
        const masked = maskText(text, detectors);
        if (masked.count === 0) expect(masked.text).toBe(text);
        else expect(masked.text).not.toBe(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('is idempotent: masking a masked text finds nothing more', () => {
    fc.assert(
      fc.property(texts, detectorSets, (text, detectors) => {
        const once = maskText(text, detectors);
        expect(maskText(once.text, detectors)).toEqual({ text: once.text, count: 0 });
      }),
      { numRuns: 3000 },
    );
  });

  it('never leaves more than four digits of a detected card number', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('4111111111111111', '5555555555554444', '378282246310005'),
        fc.string(),
        (card, tail) => {
          const masked = maskText(`card ${card} ${tail.replace(/\d/g, '')}`, ['credit_card']).text;
          expect(masked.replace(/\D/g, '')).toBe(card.slice(-4));
        },
      ),
    );
  });

  it('reads the same profile from a text and from its UTF-8 bytes, so a skipped value holds nothing', () => {
    fc.assert(
      fc.property(texts, detectorSets, fc.nat(8), (text, detectors, padding) => {
        // Inside a larger buffer, as a value sits inside a DataRow.
        const bytes = Buffer.concat([
          Buffer.alloc(padding, 0x39),
          Buffer.from(text),
          Buffer.alloc(padding, 0x40),
        ]);
        const fromBytes = profileOfBytes(bytes, padding, bytes.length - padding);
        expect(fromBytes).toEqual(profileOf(text));
        if (!mayFindAny(fromBytes, detectors)) expect(findAll(text, detectors)).toEqual([]);
      }),
      { numRuns: 3000 },
    );
  });
});
