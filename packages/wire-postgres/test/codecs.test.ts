import { describe, expect, it } from 'vitest';
import { WireError } from '../src/index.js';
import { backendCases } from './fixtures/backend-cases.js';
import { bodyOf, withBody } from './fixtures/bytes.js';
import type { CodecCase } from './fixtures/cases.js';
import { frontendCases } from './fixtures/frontend-cases.js';

function expectMalformed(decode: () => unknown): void {
  let thrown: unknown;
  try {
    decode();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(WireError);
  expect((thrown as WireError).code).toBe('malformed');
}

describe.each([
  ['frontend', frontendCases],
  ['backend', backendCases],
])('%s codecs against hand-built frames', (_direction, cases: readonly CodecCase[]) => {
  describe.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) => {
    it('decodes the hand-built frame', () => {
      expect(testCase.decode(testCase.frame)).toEqual(testCase.message);
    });

    it('encodes to exactly the hand-built bytes', () => {
      expect(testCase.encode().toString('hex')).toBe(testCase.frame.toString('hex'));
    });

    it('round-trips', () => {
      expect(testCase.decode(testCase.encode())).toEqual(testCase.message);
    });

    it('refuses the frame cut short at every length (length field left as declared)', () => {
      for (let length = 0; length < testCase.frame.length; length++) {
        expectMalformed(() => testCase.decode(testCase.frame.subarray(0, length)));
      }
    });

    it('refuses a body cut short at every length (length field matching the cut)', () => {
      const body = bodyOf(testCase.frame, testCase.typed);
      const firstValidCut = testCase.openEndedAfter ?? body.length;
      for (let length = 0; length < Math.min(body.length, firstValidCut); length++) {
        const cut = withBody(testCase.frame, testCase.typed, body.subarray(0, length));
        expectMalformed(() => testCase.decode(cut));
      }
    });

    if (testCase.openEndedAfter === undefined) {
      it('refuses trailing bytes after the content', () => {
        const body = bodyOf(testCase.frame, testCase.typed);
        const padded = withBody(testCase.frame, testCase.typed, Buffer.concat([body, Buffer.from([0x41])]));
        expectMalformed(() => testCase.decode(padded));
      });
    }

    if (testCase.typed) {
      it('refuses a frame with another type byte', () => {
        const other = Buffer.from(testCase.frame);
        other[0] = 0x21;
        expectMalformed(() => testCase.decode(other));
      });
    }
  });
});
