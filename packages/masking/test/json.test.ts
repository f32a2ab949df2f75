import type { DetectorName } from '@sluice/config';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashToken, type JsonKeyRule, maskJson, maskValue } from '../src/index.js';

const KEY = Buffer.from('install-key-1');
const RULES: readonly JsonKeyRule[] = [
  { key: 'email', strategy: 'email', rule: '*.email' },
  { key: 'ssn', strategy: 'redact', rule: 'users.ssn' },
  { key: 'card_*', strategy: 'last4', rule: '*.card_*' },
  { key: 'phone', strategy: 'hash', rule: '*.phone' },
  { key: 'secret_note', strategy: 'null', rule: '*.secret_note' },
];
const ALL: readonly DetectorName[] = ['email', 'credit_card', 'us_ssn', 'phone', 'iban', 'secret'];

function inside(
  text: string,
  options: { detectors?: readonly DetectorName[]; requiredKeys?: readonly string[] } = {},
) {
  return maskJson(text, {
    keys: RULES,
    requiredKeys: options.requiredKeys ?? [],
    detectors: options.detectors ?? [],
    hashKey: KEY,
  });
}

describe('maskJson', () => {
  it('masks values under keys that name masked columns, with their strategies', () => {
    const text =
      '{"id":7,"email":"alice@example.com","ssn":"123-45-6789","card_number":"4111111111111111","phone":"+14155552671","secret_note":"x"}';
    expect(inside(text)).toEqual({
      text: `{"id":7,"email":"a***@example.com","ssn":"****","card_number":"************1111","phone":"${hashToken('+14155552671', KEY)}","secret_note":null}`,
      count: 5,
    });
  });

  it('finds keys at any depth, in any case, and in arrays of rows', () => {
    const text = '[{"user":{"Email":"bob@example.org"}},{"user":{"EMAIL":"carol@example.net"}}]';
    expect(inside(text)?.text).toBe(
      '[{"user":{"Email":"b***@example.org"}},{"user":{"EMAIL":"c***@example.net"}}]',
    );
  });

  it('keeps everything else byte for byte: formatting, escapes, big numbers', () => {
    const text = '{ "id" : 12345678901234567890 ,\n  "name": "Zo\\u00eb",  "email" : "dave@example.com" }';
    expect(inside(text)?.text).toBe(
      '{ "id" : 12345678901234567890 ,\n  "name": "Zo\\u00eb",  "email" : "d***@example.com" }',
    );
  });

  it('masks numbers and booleans under a masked key as strings, and keeps JSON null', () => {
    expect(inside('{"ssn":123456789,"card_no":null,"phone":true}')?.text).toBe(
      `{"ssn":"****","card_no":null,"phone":"${hashToken('true', KEY)}"}`,
    );
  });

  it('replaces an object or array under a masked key whole', () => {
    expect(inside('{"ssn":{"area":"123","group":"45"},"email":["a@b.co","c@d.co"]}')?.text).toBe(
      '{"ssn":"****","email":"****"}',
    );
  });

  it('runs detectors over every other string, keys included', () => {
    const text =
      '{"note":"call +14155552671 or mail eve@example.com","eve@example.com":1,"n":4111111111111111}';
    expect(inside(text, { detectors: ALL })).toEqual({
      text: '{"note":"call +*********71 or mail e***@example.com","e***@example.com":1,"n":4111111111111111}',
      count: 2,
    });
  });

  it('decodes escapes before detecting and writes valid JSON back', () => {
    const text =
      '{"note":"alice\\u0040example.com\\n-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----"}';
    const masked = inside(text, { detectors: ALL });
    expect(JSON.parse(masked?.text ?? '')).toEqual({ note: 'a***@example.com\n[secret]' });
  });

  it('returns the text itself when nothing is masked', () => {
    const text = '{"id": 1, "tags": ["a", "b"], "ok": true, "x": null, "f": -1.5e3}';
    expect(inside(text, { detectors: ALL })).toEqual({ text, count: 0 });
  });

  it.each([
    '',
    '{',
    '{"a":1,}',
    "{'a':1}",
    '[1 2]',
    '{"a" 1}',
    'nul',
    '"unterminated',
    '{"a":1} x',
    '01',
    '"tab\there"',
  ])('gives null for text that is not JSON: %j', (text) => {
    expect(inside(text)).toBeNull();
  });

  it('gives null when nesting is too deep to walk', () => {
    expect(inside(`${'['.repeat(300)}1${']'.repeat(300)}`)).toBeNull();
    expect(inside(`${'['.repeat(100)}1${']'.repeat(100)}`)?.count).toBe(0);
  });

  it('gives null when a required key is missing, so the caller masks the whole value', () => {
    expect(inside('{"e":"alice@example.com"}', { requiredKeys: ['email'] })).toBeNull();
    expect(inside('{"EMAIL":"alice@example.com"}', { requiredKeys: ['email'] })?.text).toBe(
      '{"EMAIL":"a***@example.com"}',
    );
  });

  it('always writes valid JSON for any JSON input', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const masked = inside(text, { detectors: ALL });
        expect(masked).not.toBeNull();
        expect(() => JSON.parse(masked?.text ?? '')).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});

describe('maskValue on json columns', () => {
  const insideMask = (requiredKeys: readonly string[]) =>
    ({
      strategy: 'redact',
      rule: 'users.ssn',
      reason: 'json',
      json: { mode: 'inside', keys: RULES, requiredKeys, detectors: ALL },
    }) as const;

  it('masks inside a value', () => {
    expect(maskValue(insideMask([]), '{"ssn":"123-45-6789","id":1}', KEY)).toBe('{"ssn":"****","id":1}');
  });

  it('redacts the whole value, as a JSON string, when it is not JSON', () => {
    expect(maskValue(insideMask([]), 'not json 123-45-6789', KEY)).toBe('"****"');
  });

  it('masks the whole value when a column known to be inside is not found by name', () => {
    expect(maskValue(insideMask(['ssn']), '{"s":"123-45-6789"}', KEY)).toBe('"****"');
  });

  it('masks a whole-value json column and keeps it parseable', () => {
    const whole = (strategy: 'email' | 'redact' | 'null' | 'hash') =>
      ({
        strategy,
        rule: 'users.profile',
        reason: 'source',
        json: { mode: 'whole', keys: [], requiredKeys: [], detectors: [] },
      }) as const;
    expect(maskValue(whole('email'), '"alice@example.com"', KEY)).toBe('"a***@example.com"');
    expect(maskValue(whole('email'), '{"a":1}', KEY)).toBe('"****"');
    expect(maskValue(whole('redact'), '{"a":1}', KEY)).toBe('"****"');
    expect(maskValue(whole('hash'), '"x"', KEY)).toBe(JSON.stringify(hashToken('x', KEY)));
    expect(maskValue(whole('null'), '{"a":1}', KEY)).toBeNull();
  });
});
