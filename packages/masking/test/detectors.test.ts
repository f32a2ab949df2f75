import type { DetectorName } from '@sluice/config';
import { describe, expect, it } from 'vitest';
import { findAll, maskText } from '../src/index.js';

const ALL: readonly DetectorName[] = ['email', 'credit_card', 'us_ssn', 'phone', 'iban', 'secret'];

/** [detector, text with the value embedded in a sentence, the text after masking]. */
const TRUE_POSITIVES: readonly (readonly [DetectorName, string, string])[] = [
  ['email', 'Contact alice@example.com for access.', 'Contact a***@example.com for access.'],
  ['email', 'cc: Bob.Smith+news@mail.example.co.uk;', 'cc: B***@mail.example.co.uk;'],
  ['email', 'email=carol_99@sub.example.io&x=1', 'email=c***@sub.example.io&x=1'],
  ['email', '<dave@example.org>', '<d***@example.org>'],
  ['email', 'mailto:eve@xn--bcher-kva.example', 'mailto:e***@xn--bcher-kva.example'],
  ['email', 'Écrire à élodie@exemple.fr.', 'Écrire à é***@exemple.fr.'],
  [
    'email',
    'invalid input syntax for type integer: "frank@example.com"',
    'invalid input syntax for type integer: "f***@example.com"',
  ],
  ['email', 'short a@b.co', 'short a***@b.co'],
  ['credit_card', 'Visa 4111 1111 1111 1111 expires 12/27', 'Visa **** **** **** 1111 expires 12/27'],
  ['credit_card', 'paid with 4111-1111-1111-1111.', 'paid with ****-****-****-1111.'],
  ['credit_card', 'mc=5555555555554444', 'mc=************4444'],
  ['credit_card', 'Mastercard 2223003122003222 ok', 'Mastercard ************3222 ok'],
  ['credit_card', 'amex 3782 822463 10005', 'amex **** ****** *0005'],
  ['credit_card', 'amex 378282246310005', 'amex ***********0005'],
  ['credit_card', 'discover 6011111111111117', 'discover ************1117'],
  ['credit_card', 'jcb 3530111333300000', 'jcb ************0000'],
  ['credit_card', 'diners 30569309025904', 'diners **********5904'],
  ['credit_card', 'visa 4111111111111111003', 'visa ***************1003'],
  ['credit_card', 'qty 2 4111 1111 1111 1111', 'qty 2 **** **** **** 1111'],
  ['credit_card', '"4012888888881881"', '"************1881"'],
  ['us_ssn', 'SSN 123-45-6789 on file', 'SSN ***-**-**** on file'],
  ['us_ssn', 'his number is 078-05-1120.', 'his number is ***-**-****.'],
  ['us_ssn', 'ssn: 123456789', 'ssn: ***-**-****'],
  ['us_ssn', 'Social Security Number 219 09 9999', 'Social Security Number ***-**-****'],
  ['us_ssn', 'user_ssn=219099999;', 'user_ssn=***-**-****;'],
  ['phone', 'call +14155552671 today', 'call +*********71 today'],
  ['phone', 'office (415) 555-2671', 'office (***) ***-**71'],
  ['phone', 'office (415)555-2671', 'office (***)***-**71'],
  ['phone', 'cell: 415-555-2671.', 'cell: ***-***-**71.'],
  ['phone', 'fax 415.555.2671', 'fax ***.***.**71'],
  ['phone', 'Phone:415-555-2671', 'Phone:***-***-**71'],
  ['phone', 'tel:+14155552671', 'tel:+*********71'],
  ['phone', 'London +44 20 7946 0958', 'London +** ** **** **58'],
  ['phone', 'Paris +33 1 23 45 67 89', 'Paris +** * ** ** ** 89'],
  ['phone', 'Berlin +49 (0)30 1234567', 'Berlin +** (*)** *****67'],
  ['phone', 'US +1 (415) 555-2671', 'US +* (***) ***-**71'],
  ['phone', 'toll free 1-800-555-1234', 'toll free *-***-***-**34'],
  ['phone', 'intl +1-415-555-2671', 'intl +*-***-***-**71'],
  ['iban', 'IBAN DE89 3704 0044 0532 0130 00, thanks', 'IBAN DE** **** **** **** **30 00, thanks'],
  ['iban', 'to GB82WEST12345698765432 please', 'to GB****************5432 please'],
  ['iban', 'FR1420041010050500013M02606', 'FR*********************2606'],
  ['iban', 'NL91ABNA0417164300.', 'NL************4300.'],
  ['iban', 'Norway NO9386011117947', 'Norway NO*********7947'],
  [
    'secret',
    'key: -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\n-----END RSA PRIVATE KEY----- end',
    'key: [secret] end',
  ],
  ['secret', '-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----', '[secret]'],
  ['secret', 'truncated -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA', 'truncated [secret]'],
  ['secret', 'aws AKIAIOSFODNN7EXAMPLE secret', 'aws [secret] secret'],
  ['secret', 'temp ASIAY34FZKBOKMUTVV7A.', 'temp [secret].'],
  [
    'secret',
    'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    'Authorization: Bearer [secret]',
  ],
  ['secret', 'stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'stripe [secret]'],
  ['secret', 'stripe sk_test_4eC39HqLyjWDarjtT1zdp7dc', 'stripe [secret]'],
  ['secret', 'rk_live_51H8abcdefghijkLMNOP', '[secret]'],
  ['secret', 'GITHUB_TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a done', 'GITHUB_TOKEN=[secret] done'],
  ['secret', 'oauth gho_16C7e42F292c6912E7710c838347Ae178B4a', 'oauth [secret]'],
  ['secret', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', '[secret]'],
  ['secret', 'slack xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy', 'slack [secret]'],
  ['secret', 'slack xoxp-1234567890-abcdefghij', 'slack [secret]'],
  ['secret', 'maps AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI ok', 'maps [secret] ok'],
  ['secret', 'password sluice_1A2dp2yTvrTyl2Jx4YjT-crpUGCHfpXcv-ONV9BXAKU', 'password [secret]'],
];

describe('detectors find values embedded in text', () => {
  it.each(TRUE_POSITIVES)('%s in %j', (detector, text, expected) => {
    expect(maskText(text, [detector])).toEqual({ text: expected, count: 1 });
    expect(maskText(text, ALL).text).toBe(expected);
  });
});

describe('detectors leave near misses alone', () => {
  it.each([
    ['credit_card', 'Luhn-invalid 4111 1111 1111 1112'],
    ['credit_card', 'no issuer 1234567812345670'],
    ['credit_card', 'part of a longer number 41111111111111110'],
    ['credit_card', 'decimal 0.4111111111111111'],
    ['credit_card', 'mixed separators 4111-1111 1111-1111'],
    ['credit_card', 'odd grouping 41 11111111 111111'],
    ['us_ssn', 'area 000: 000-12-3456'],
    ['us_ssn', 'area 666: 666-12-3456'],
    ['us_ssn', 'area 9xx: 912-12-3456'],
    ['us_ssn', 'group 00: 123-00-4567'],
    ['us_ssn', 'serial 0000: 123-45-0000'],
    ['us_ssn', 'unlabelled nine digits 123456789'],
    ['us_ssn', 'inside a longer code A-123-45-6789'],
    ['phone', 'area code starting with 1: 115-555-2671'],
    ['phone', 'bare ten digits 4155552671'],
    ['phone', 'too short +1234567'],
    ['phone', 'a sum 3+14155552671'],
    ['iban', 'bad check digits DE00 3704 0044 0532 0130 00'],
    ['iban', 'wrong length DE8937040044053201300'],
    ['iban', 'unknown country ZZ89370400440532013000'],
    ['email', 'a version lodash@4.17.21'],
    ['email', 'a handle @alice and user@localhost'],
    ['email', 'already masked a***@example.com'],
    ['secret', 'too short AKIA1234'],
    ['secret', 'inside a word task_live_updates and sk_live_x'],
    ['secret', 'a public key -----BEGIN PUBLIC KEY-----'],
  ] as const)('%s: %j', (detector, text) => {
    expect(maskText(text, [detector])).toEqual({ text, count: 0 });
  });
});

describe('maskText', () => {
  it('replaces several findings of different kinds in one text', () => {
    const text = 'alice@example.com paid 4111 1111 1111 1111, SSN 123-45-6789, call +14155552671';
    expect(maskText(text, ALL)).toEqual({
      text: 'a***@example.com paid **** **** **** 1111, SSN ***-**-****, call +*********71',
      count: 4,
    });
  });

  it('counts each finding', () => {
    expect(maskText('two: a@b.co, c.d@e.fr', ['email'])).toEqual({
      text: 'two: a***@b.co, c***@e.fr',
      count: 2,
    });
  });

  it('runs only the detectors it is given', () => {
    const text = 'alice@example.com 123-45-6789';
    expect(maskText(text, ['us_ssn']).text).toBe('alice@example.com ***-**-****');
    expect(maskText(text, []).text).toBe(text);
  });

  it('hides overlapping findings as one span', () => {
    const text = 'x -----BEGIN EC PRIVATE KEY-----\nowner alice@example.com\n-----END EC PRIVATE KEY----- y';
    expect(findAll(text, ALL).map((finding) => finding.detector)).toEqual(['secret', 'email']);
    expect(maskText(text, ALL)).toEqual({ text: 'x [secret] y', count: 1 });
  });

  it('returns the same string object when nothing is found', () => {
    const text = 'nothing personal here';
    expect(maskText(text, ALL).text).toBe(text);
  });
});
