import { describe, expect, it } from 'vitest';
import { MysqlWireError } from '../src/index.js';
import type { CodecCase } from './fixtures/cases.js';
import { clientCases } from './fixtures/client-cases.js';
import { serverCases } from './fixtures/server-cases.js';

function expectMalformed(decode: () => unknown): void {
  let thrown: unknown;
  try {
    decode();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(MysqlWireError);
  expect((thrown as MysqlWireError).code).toBe('malformed');
}

describe.each([
  ['client', clientCases],
  ['server', serverCases],
])('%s packets against hand-built payloads', (_direction, cases: readonly CodecCase[]) => {
  describe.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) => {
    it('decodes the hand-built payload', () => {
      expect(testCase.decode(testCase.payload)).toEqual(testCase.message);
    });

    it('encodes to exactly the hand-built bytes', () => {
      expect(testCase.encode().toString('hex')).toBe(testCase.payload.toString('hex'));
    });

    it('round-trips', () => {
      expect(testCase.decode(testCase.encode())).toEqual(testCase.message);
    });

    it('refuses the payload cut short at every length', () => {
      const firstValidCut = testCase.openEndedAfter ?? testCase.payload.length;
      for (let length = 0; length < Math.min(testCase.payload.length, firstValidCut); length++) {
        expectMalformed(() => testCase.decode(testCase.payload.subarray(0, length)));
      }
    });

    if (testCase.openEndedAfter === undefined) {
      it('refuses trailing bytes after the content', () => {
        expectMalformed(() => testCase.decode(Buffer.concat([testCase.payload, Buffer.from([0x41])])));
      });
    }

    if (testCase.headerByte) {
      it('refuses a payload with another header or command byte', () => {
        const other = Buffer.from(testCase.payload);
        other[0] = 0x21;
        expectMalformed(() => testCase.decode(other));
      });
    }
  });
});
