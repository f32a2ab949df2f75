// One SELECT of 1,000,000 rows of about 120 bytes, read by psql into /dev/null: direct, Sluice
// without masking, and Sluice masking two columns with every detector on. Rows/s, and the
// gateway's memory while it streams (a gateway must apply back-pressure, not buffer).
import { cpuSecondsOf, memoryOf, run, sampleRss } from '../lib/processes.mjs';
import { alternate, formatNumber, markdownTable, median, medianOf, ratio } from '../lib/report.mjs';
import { PG_BIN } from '../lib/servers.mjs';
import { startSluice } from '../lib/sluice.mjs';

const ROWS = 1_000_000;
const QUERY = 'SELECT id, name, email, ssn, city, note FROM people';

const POLICY_UNMASKED = `    guardrails: strict
    default: allow`;
const POLICY_MASKED = `${POLICY_UNMASKED}
    masking:
      columns:
        - { match: "people.email", strategy: email }
        - { match: "people.ssn", strategy: redact }
      detectors: [email, credit_card, us_ssn, phone, iban, secret]`;

/** Rows whose text form averages about 120 bytes; every tenth note holds a phone number. */
async function seed(pg) {
  await pg.superSql(`CREATE TABLE people AS
    SELECT g AS id, 'Customer ' || g AS name, 'user' || g || '@example.com' AS email,
      lpad((100000000 + g)::text, 9, '0') AS ssn,
      (ARRAY['Springfield', 'Riverside', 'Fairview', 'Greenville'])[1 + g % 4] AS city,
      CASE WHEN g % 10 = 0 THEN 'call (415) 555-' || lpad((g % 10000)::text, 4, '0') || ' about the order'
        ELSE 'order ' || g || ' shipped from the northern warehouse on time' END AS note
    FROM generate_series(1, ${ROWS}) AS g`);
  const width = await pg.superSql(
    "SELECT round(avg(octet_length(concat_ws('|', id, name, email, ssn, city, note))))::int FROM people",
  );
  return Number(width);
}

/** psql with a script: the result goes to /dev/null and psql reports how many rows it read. */
async function psql(contender, script) {
  const { stdout } = await run(
    `${PG_BIN}/psql`,
    [
      '-X',
      '-At',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      '127.0.0.1',
      '-p',
      String(contender.port),
      '-U',
      contender.user,
      '-d',
      contender.database,
    ],
    { env: { ...process.env, PGPASSWORD: contender.password }, input: script },
  );
  return stdout.trim();
}

export async function runStream(pg, settings) {
  const rowBytes = await seed(pg);
  const server = { name: 'pg', protocol: 'postgres', server: pg };
  const unmasked = await startSluice({
    label: 'stream-plain',
    connections: [server],
    policy: POLICY_UNMASKED,
  });
  const masked = await startSluice({ label: 'stream-masked', connections: [server], policy: POLICY_MASKED });
  const baseline = settings.baseline
    ? await startSluice({
        label: 'stream-baseline',
        connections: [server],
        policy: POLICY_MASKED,
        checkout: settings.baseline,
      })
    : null;
  const contenders = [
    { name: 'direct', port: pg.port, user: pg.user, password: pg.password },
    {
      name: 'sluice-unmasked',
      port: unmasked.ports.pg,
      user: unmasked.user,
      password: unmasked.secret,
      pid: unmasked.pid,
    },
    {
      name: 'sluice-masked',
      port: masked.ports.pg,
      user: masked.user,
      password: masked.secret,
      pid: masked.pid,
    },
    ...(baseline
      ? [
          {
            name: 'baseline-masked',
            port: baseline.ports.pg,
            user: baseline.user,
            password: baseline.secret,
            pid: baseline.pid,
          },
        ]
      : []),
  ].map((contender) => ({ ...contender, database: pg.database }));

  // What each contender returns for the first row shows that masking is on where it should be.
  const firstRows = {};
  const idleMiB = {};
  for (const contender of contenders) {
    firstRows[contender.name] = await psql(contender, `${QUERY} ORDER BY id LIMIT 1;\n`);
    if (contender.pid) idleMiB[contender.name] = memoryOf(contender.pid).rssMiB;
  }

  const entries = await alternate({
    suite: 'stream',
    cells: [{ workload: 'stream', rows: ROWS }],
    contenders,
    repeats: settings.repeats,
    describeCell: () => `${ROWS} rows`,
    measure: async (_cell, contender) => {
      const stopSampling = contender.pid ? sampleRss(contender.pid) : () => Number.NaN;
      const cpuBefore = cpuSecondsOf(contender.pid);
      const started = process.hrtime.bigint();
      let output;
      try {
        output = await psql(contender, `\\o /dev/null\n${QUERY};\n\\o\n\\echo :ROW_COUNT\n`);
      } finally {
        contender.lastPeak = stopSampling();
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (Number(output) !== ROWS) throw new Error(`psql read ${output} rows, expected ${ROWS}`);
      // The gateway's CPU time for the million rows, in seconds.
      const cpuSeconds = contender.pid ? cpuSecondsOf(contender.pid) - cpuBefore : Number.NaN;
      return { value: ROWS / seconds, unit: 'rows/s', seconds, peakRssMiB: contender.lastPeak, cpuSeconds };
    },
  });
  const lifetimePeakMiB = Object.fromEntries(
    contenders.filter((c) => c.pid).map((c) => [c.name, memoryOf(c.pid).peakMiB]),
  );
  return { rowBytes, firstRows, idleMiB, lifetimePeakMiB, entries };
}

export function streamTable(result) {
  const rows = result.entries.map((entry) => {
    const peaks = entry.samples.map((sample) => sample.peakRssMiB).filter(Number.isFinite);
    return [
      entry.contender,
      formatNumber(entry.median),
      ratio(entry.median, medianOf(result.entries, 'direct', { workload: 'stream' })),
      formatNumber(median(entry.samples.map((sample) => sample.cpuSeconds)), 2),
      peaks.length ? formatNumber(Math.max(...peaks)) : '–',
      formatNumber(result.idleMiB[entry.contender] ?? Number.NaN),
      formatNumber(result.lifetimePeakMiB[entry.contender] ?? Number.NaN),
      `${entry.samples.length}${entry.errors.length ? ` (${entry.errors.length} failed)` : ''}`,
    ];
  });
  const table = markdownTable(
    [
      'contender',
      'rows/s (median)',
      'vs direct',
      'gateway CPU (s)',
      'peak RSS while streaming (MiB)',
      'idle RSS (MiB)',
      'VmHWM (MiB)',
      'runs',
    ],
    rows,
  );
  const samples = Object.entries(result.firstRows)
    .map(([name, row]) => `  ${name.padEnd(16)} ${row}`)
    .join('\n');
  return `${table}\n\nrows average ${result.rowBytes} bytes as text; the first row as each contender returns it:\n${samples}`;
}
