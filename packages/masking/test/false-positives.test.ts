import type { DetectorName } from '@sluice/config';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { passesLuhn } from '../src/detectors/credit-card.js';
import { passesMod97 } from '../src/detectors/iban.js';
import { findAll } from '../src/index.js';
import { ORDINARY_TEXT } from './corpus/ordinary-text.js';

const ALL: readonly DetectorName[] = ['email', 'credit_card', 'us_ssn', 'phone', 'iban', 'secret'];
const SEED = 20240131;

const pad = (value: number, width: number): string => String(value).padStart(width, '0');
const digits = (length: number): fc.Arbitrary<string> =>
  fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length })
    .map((list) => list.join(''));
const hex = (length: number): fc.Arbitrary<string> =>
  fc
    .array(fc.constantFrom(...'0123456789abcdef'), { minLength: length, maxLength: length })
    .map((l) => l.join(''));

const date = fc.record({
  year: fc.integer({ min: 1970, max: 2099 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 28 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  second: fc.integer({ min: 0, max: 59 }),
  millis: fc.integer({ min: 0, max: 999 }),
  offset: fc.integer({ min: -12, max: 14 }),
});

const dates = date.chain(({ year, month, day, hour, minute, second, millis, offset }) => {
  const ymd = `${year}-${pad(month, 2)}-${pad(day, 2)}`;
  const time = `${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}`;
  const zone = `${offset < 0 ? '-' : '+'}${pad(Math.abs(offset), 2)}:00`;
  return fc.constantFrom(
    ymd,
    `${ymd}T${time}Z`,
    `${ymd}T${time}.${pad(millis, 3)}${zone}`,
    `${ymd} ${time}.${pad(millis, 3)}${zone.slice(0, 3)}`,
    `${pad(day, 2)}/${pad(month, 2)}/${year} ${time}`,
    `${year}${pad(month, 2)}${pad(day, 2)}${pad(hour, 2)}${pad(minute, 2)}${pad(second, 2)}`,
    `shipped on ${ymd} at ${time}`,
  );
});

const uuids = fc.uuid().chain((uuid) => fc.constantFrom(uuid, uuid.toUpperCase(), `id ${uuid} created`));

const prices = fc
  .record({ units: fc.integer({ min: 0, max: 99_999_999 }), cents: fc.integer({ min: 0, max: 99 }) })
  .chain(({ units, cents }) =>
    fc.constantFrom(
      `$${units.toLocaleString('en-US')}.${pad(cents, 2)}`,
      `€${units.toLocaleString('de-DE')},${pad(cents, 2)}`,
      `${units}.${pad(cents, 2)} USD`,
      `total: ${units}.${pad(cents, 2)}`,
    ),
  );

const integers = fc.integer({ min: 0, max: 999_999_999_999 }).map(String);

const versions = fc
  .tuple(fc.nat({ max: 40 }), fc.nat({ max: 99 }), fc.nat({ max: 999 }))
  .chain(([major, minor, patch]) =>
    fc.constantFrom(`${major}.${minor}.${patch}`, `v${major}.${minor}.${patch}`),
  );

const ipAddresses = fc.ipV4().chain((ip) => fc.constantFrom(ip, `${ip}:5432`, `client ${ip} connected`));

/** Card-shaped 16-digit numbers whose check digit is wrong. */
const luhnInvalidCards = fc
  .tuple(fc.constantFrom('4', '51', '55', '6011'), digits(15))
  .map(([prefix, rest]) => (prefix + rest).slice(0, 16))
  .filter((number) => !passesLuhn(number))
  .chain((number) => fc.constantFrom(number, number.replace(/(\d{4})(?=\d)/g, '$1 '), `card ${number}`));

/** IBAN-shaped strings of real countries and lengths that fail the MOD 97 check. */
const mod97InvalidIbans = fc
  .tuple(fc.constantFrom(['DE', 18], ['FR', 23], ['GB', 18], ['NL', 14], ['ES', 20]), digits(2), digits(30))
  .map(([[country, bban], check, body]) => `${country}${check}${body.slice(0, Number(bban))}`)
  .filter((iban) => !passesMod97(iban))
  .chain((iban) => fc.constantFrom(iban, iban.replace(/(.{4})(?=.)/g, '$1 ')));

const hexHashes = fc.constantFrom(32, 40, 64).chain((length) => hex(length));

function sample(arbitrary: fc.Arbitrary<string>, count: number, offset: number): string[] {
  return fc.sample(arbitrary, { numRuns: count, seed: SEED + offset });
}

const GENERATED: readonly string[] = [
  ...sample(dates, 40, 1),
  ...sample(uuids, 30, 2),
  ...sample(prices, 30, 3),
  ...sample(integers, 20, 4),
  ...sample(versions, 15, 5),
  ...sample(ipAddresses, 15, 6),
  ...sample(luhnInvalidCards, 25, 7),
  ...sample(mod97InvalidIbans, 25, 8),
  ...sample(hexHashes, 10, 9),
];

const SUITE = [...ORDINARY_TEXT, ...GENERATED];

describe('false positives', () => {
  it('the suite is large enough to mean something', () => {
    expect(ORDINARY_TEXT.length).toBeGreaterThanOrEqual(150);
    expect(SUITE.length).toBeGreaterThanOrEqual(350);
  });

  it('no detector fires on ordinary text (false-positive rate 0)', () => {
    const flagged = SUITE.flatMap((text) =>
      findAll(text, ALL).map((finding) => `${finding.detector}: ${JSON.stringify(text)}`),
    );
    expect(flagged).toEqual([]);
  });

  it('stays at 0 on fresh random dates, UUIDs, prices and card- or IBAN-shaped numbers', () => {
    fc.assert(
      fc.property(fc.oneof(dates, uuids, prices, luhnInvalidCards, mod97InvalidIbans), (text) => {
        expect(findAll(text, ALL)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});
