// Prints ns per value for maskText with all six detectors over typical short column values,
// without and with personal data, and the same work with the prefilters bypassed (every
// detector's full search on every value), alternating the contenders round by round.
// Run after a build:  node packages/masking/bench/detectors.mjs [values-per-round]
import { detectorFor, maskText } from '../dist/index.js';

const DETECTORS = ['email', 'credit_card', 'us_ssn', 'phone', 'iban', 'secret'];
const valuesPerRound = Number(process.argv[2] ?? 200_000);
const rounds = 7;

const WITHOUT_PII = [
  'Alice Smith',
  'shipped',
  'Order shipped to warehouse 12 on 2024-01-31 at 14:05.',
  '123e4567-e89b-12d3-a456-426614174000',
  '2024-01-31 12:30:45.123456+00',
  '$1,234.56',
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit.',
  '221B Baker Street, London NW1 6XE',
  'v10.15.3',
  'GET /api/v2/orders/100234?expand=items 200 12.3ms',
];

const WITH_PII = [
  'alice@example.com',
  'Contact bob.smith+news@mail.example.co.uk for access.',
  'paid with 4111 1111 1111 1111',
  'SSN 123-45-6789 on file',
  'call +1 (415) 555-2671 after 5pm',
  'IBAN DE89 3704 0044 0532 0130 00',
  'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N',
  'key AKIAIOSFODNN7EXAMPLE',
  '(415) 555-2671',
  'reach me at carol@example.org or 415.555.2671',
];

/** The same findings without the prefilters: what each value would cost if every detector searched it. */
function findWithoutPrefilters(text) {
  let found = 0;
  for (const name of DETECTORS) found += detectorFor(name).find(text).length;
  return found;
}

function nsPerValue(values, run) {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let index = 0; index < valuesPerRound; index += 1) sink += run(values[index % values.length]);
  const elapsed = Number(process.hrtime.bigint() - start);
  if (sink < 0) console.log(sink);
  return elapsed / valuesPerRound;
}

const contenders = [
  ['no PII, maskText', () => nsPerValue(WITHOUT_PII, (text) => maskText(text, DETECTORS).count)],
  ['no PII, no prefilters', () => nsPerValue(WITHOUT_PII, findWithoutPrefilters)],
  ['with PII, maskText', () => nsPerValue(WITH_PII, (text) => maskText(text, DETECTORS).count)],
  ['with PII, no prefilters', () => nsPerValue(WITH_PII, findWithoutPrefilters)],
];

const samples = new Map(contenders.map(([name]) => [name, []]));
for (let round = 0; round < rounds; round += 1) {
  for (const [name, run] of contenders) samples.get(name).push(run());
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const results = new Map([...samples].map(([name, list]) => [name, median(list)]));
for (const [name, ns] of results)
  console.log(`${name.padEnd(26)} ${ns.toFixed(0).padStart(6)} ns/value (median of ${rounds})`);
const ratio = (a, b) => (results.get(b) / results.get(a)).toFixed(1);
console.log(`prefilters save ${ratio('no PII, maskText', 'no PII, no prefilters')}x on values without PII`);
