import { describe, expect, it } from 'vitest';
import {
  applyStrategy,
  hashToken,
  keepLastFour,
  maskEmail,
  REDACTED,
  strictestStrategy,
} from '../src/index.js';

const KEY = Buffer.from('install-key-1');

describe('redact', () => {
  it.each(['alice', '', 'a much longer value that must not leak its length', '日本語'])(
    'gives **** for %j',
    (value) => {
      expect(applyStrategy('redact', value, KEY)).toBe(REDACTED);
    },
  );
});

describe('email', () => {
  it.each([
    ['alice@example.com', 'a***@example.com'],
    ['Bob.Smith+news@mail.example.co.uk', 'B***@mail.example.co.uk'],
    ['ALICE@EXAMPLE.COM', 'A***@EXAMPLE.COM'],
    ['x@example.org', 'x***@example.org'],
    ['élodie@exemple.fr', 'é***@exemple.fr'],
    ['😀smile@example.com', '😀***@example.com'],
    ['user@localhost', 'u***@localhost'],
    ['"quoted"@example.com', '"***@example.com'],
  ])('masks %j as %j', (value, expected) => {
    expect(applyStrategy('email', value, KEY)).toBe(expected);
  });

  it.each([
    '',
    'alice',
    '@example.com',
    'alice@',
    'alice @example.com',
    'Alice <alice@example.com>',
    'alice@exa mple.com',
    'alice@-example.com',
    'a@b@',
  ])('falls back to **** for a value that is not one address: %j', (value) => {
    expect(maskEmail(value)).toBe(REDACTED);
  });
});

describe('last4', () => {
  it.each([
    ['4111111111111234', '************1234'],
    ['4111 1111 1111 1234', '***************1234'],
    ['+1 (415) 555-2671', '*************2671'],
    ['abcdefgh', '****efgh'],
    ['AB-12', '*B-12'],
    ['1234', '****'],
    ['12', '**'],
    ['', ''],
    ['ß', '*'],
    ['😀😀😀😀😀', '*😀😀😀😀'],
    ['card 4111111111111234 exp', `${'*'.repeat(17)}1234****`],
  ])('masks %j as %j', (value, expected) => {
    expect(keepLastFour(value)).toBe(expected);
    expect(applyStrategy('last4', value, KEY)).toBe(expected);
  });

  it('never keeps more than four digits', () => {
    const masked = keepLastFour('1234-5678-9012-3456-7890');
    expect(masked.replace(/\D/g, '')).toBe('7890');
  });
});

describe('hash', () => {
  it('gives h_ and 16 hex characters', () => {
    expect(applyStrategy('hash', 'alice@example.com', KEY)).toMatch(/^h_[0-9a-f]{16}$/);
  });

  it('is the first 16 hex characters of HMAC-SHA256 under the key', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', KEY).update('alice@example.com').digest('hex').slice(0, 16);
    expect(hashToken('alice@example.com', KEY)).toBe(`h_${expected}`);
  });

  it('is stable for the same value and key, so masked columns stay joinable', () => {
    expect(hashToken('+14155552671', Buffer.from('install-key-1'))).toBe(hashToken('+14155552671', KEY));
  });

  it('differs between values and between keys', () => {
    expect(hashToken('alice', KEY)).not.toBe(hashToken('alicf', KEY));
    expect(hashToken('alice', KEY)).not.toBe(hashToken('alice', Buffer.from('install-key-2')));
  });

  it('hashes empty and non-ASCII values too', () => {
    expect(hashToken('', KEY)).toMatch(/^h_[0-9a-f]{16}$/);
    expect(hashToken('Zoë', KEY)).not.toBe(hashToken('Zoe', KEY));
  });
});

describe('null', () => {
  it('gives SQL NULL', () => {
    expect(applyStrategy('null', 'alice', KEY)).toBeNull();
    expect(applyStrategy('null', '', KEY)).toBeNull();
  });
});

describe('strictestStrategy', () => {
  it('prefers what reveals least', () => {
    expect(strictestStrategy(['email', 'last4'])).toBe('last4');
    expect(strictestStrategy(['hash', 'last4', 'email'])).toBe('hash');
    expect(strictestStrategy(['hash', 'redact'])).toBe('redact');
    expect(strictestStrategy(['redact', 'null', 'email'])).toBe('null');
    expect(strictestStrategy([])).toBe('redact');
  });
});
