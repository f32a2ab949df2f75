import { readFileSync } from 'node:fs';
import mysql, { type Connection, type FieldPacket, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED_RAW_VALUES } from './fixtures/masking-queries.js';
import { MYSQL_SHAPED_READS } from './fixtures/mysql-shape-masking-queries.js';
import { textsOf } from './support/leaks.js';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';
import { type Shape, shapeOf } from './support/shapes.js';

const POLICY = `    guardrails: standard
    default: allow
    masking:
      columns:
        - { match: "*.email", strategy: email }
        - { match: "customers.ssn", strategy: redact }
        - { match: "*.card_number", strategy: last4 }
        - { match: "*.phone", strategy: hash }
        - { match: "customers.iban", strategy: redact }
        - { match: "customers.born", strategy: redact }
      detectors: [email, credit_card, us_ssn, phone, iban, secret]
      hash_key: test-hash-key`;

/** The seeded values, and the forms mysql-shape-masking-seed.sql stores them in. */
const RAW = [...SEEDED_RAW_VALUES, '14155552671', '1990-01-02', '1985-06-07'];

function leaked(value: unknown): string[] {
  const texts = textsOf(value).map((text) => text.toLowerCase());
  return RAW.filter((raw) => texts.some((text) => text.includes(raw.toLowerCase())));
}

type Mode = 'text' | 'binary';
const MODES: readonly Mode[] = ['text', 'binary'];

let h: MysqlHarness;
let sluice: Connection;
let direct: Connection;
beforeAll(async () => {
  h = await startMysqlHarness({ policyYaml: POLICY });
  await h.db.sql(readFileSync(new URL('./fixtures/mysql-masking-seed.sql', import.meta.url), 'utf8'));
  await h.db.sql(readFileSync(new URL('./fixtures/mysql-shape-masking-seed.sql', import.meta.url), 'utf8'));
  sluice = await mysql.createConnection(h.options());
  direct = await mysql.createConnection({
    ...h.options(h.db.superuser.user, h.db.superuser.password),
    port: h.db.port,
  });
});
afterAll(async () => {
  await Promise.all([sluice?.end(), direct?.end()]);
  await h?.close();
});

async function run(
  connection: Connection,
  text: string,
  mode: Mode,
): Promise<[RowDataPacket[], FieldPacket[]]> {
  return mode === 'binary'
    ? connection.execute<RowDataPacket[]>(text)
    : connection.query<RowDataPacket[]>(text);
}

/** Rows, columns and where NULLs are: what masking must keep. */
function shapeOfResult([rows, fields]: [RowDataPacket[], FieldPacket[]]): {
  columns: number;
  rows: Shape[][];
} {
  return { columns: fields.length, rows: rows.map((row) => fields.map((field) => shapeOf(row[field.name]))) };
}

describe('masking keeps the shape of what it hides, and byte strings do not leak (MySQL)', () => {
  it('has at least 40 queries', () => {
    expect(MYSQL_SHAPED_READS.length).toBeGreaterThanOrEqual(40);
  });

  for (const text of MYSQL_SHAPED_READS) {
    it(`keeps rows, columns and NULLs, and leaks nothing: ${text}`, async () => {
      for (const mode of MODES) {
        const [masked, raw] = [await run(sluice, text, mode), await run(direct, text, mode)];
        expect({ mode, leaked: leaked(masked[0]) }).toEqual({ mode, leaked: [] });
        expect({ mode, shape: shapeOfResult(masked) }).toEqual({ mode, shape: shapeOfResult(raw) });
      }
    });
  }

  it('carries masked text in byte strings and keeps last four digits of numbers', async () => {
    for (const mode of MODES) {
      const [rows] = await run(
        sluice,
        "SELECT BINARY email AS e, CAST(REPLACE(card_number, ' ', '') AS UNSIGNED) AS n FROM customers WHERE id = 1",
        mode,
      );
      expect({ mode, e: String(rows[0]?.e), n: String(rows[0]?.n) }).toEqual({
        mode,
        e: 'a***@wonderland.example',
        n: '1111',
      });
      const [payments] = await run(
        sluice,
        'SELECT email, card_number, notes FROM payments WHERE id = 1',
        mode,
      );
      expect({ mode, email: String(payments[0]?.email), card: String(payments[0]?.card_number) }).toEqual({
        mode,
        email: 'a***@wonderland.example',
        card: '1111',
      });
    }
  });

  it('gives NULL only where the type cannot carry the mask: redact on a number or a date', async () => {
    for (const mode of MODES) {
      const [rows] = await run(
        sluice,
        "SELECT born, CAST(REPLACE(ssn, '-', '') AS UNSIGNED) AS n FROM customers WHERE id = 1",
        mode,
      );
      expect({ mode, row: rows[0] }).toEqual({ mode, row: { born: null, n: null } });
    }
  });

  it('masks what the detectors find in a blob and keeps the bytes around it as they were', async () => {
    const blob = Buffer.concat([
      Buffer.of(0xff, 0xfe, 0x00),
      Buffer.from(' mail alice.liddell@wonderland.example '),
      Buffer.of(0x80, 0xc3),
    ]);
    await direct.query('INSERT INTO payments (id, notes) VALUES (4, ?)', [blob]);
    try {
      for (const mode of MODES) {
        const [rows] = await run(sluice, 'SELECT notes FROM payments WHERE id = 4', mode);
        const expected = Buffer.concat([
          Buffer.of(0xff, 0xfe, 0x00),
          Buffer.from(' mail a***@wonderland.example '),
          Buffer.of(0x80, 0xc3),
        ]);
        expect({ mode, notes: Buffer.from(rows[0]?.notes).toString('hex') }).toEqual({
          mode,
          notes: expected.toString('hex'),
        });
      }
    } finally {
      await direct.query('DELETE FROM payments WHERE id = 4');
    }
  });
});
