import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASKED_READS, SEEDED_RAW_VALUES } from './fixtures/masking-queries.js';
import { type Harness, startHarness } from './support/harness.js';
import { leaks } from './support/leaks.js';

const POLICY = `    guardrails: standard
    default: allow
    masking:
      columns:
        - { match: "*.email", strategy: email }
        - { match: "customers.ssn", strategy: redact }
        - { match: "*.card_number", strategy: last4 }
        - { match: "*.phone", strategy: hash }
        - { match: "customers.iban", strategy: redact }
      detectors: [email, credit_card, us_ssn, phone, iban, secret]
      exempt: { groups: [dba] }
      hash_key: test-hash-key`;

const run = promisify(execFile);

const seed = readFileSync(new URL('./fixtures/masking-seed.sql', import.meta.url), 'utf8');

let h: Harness;
let dbaSecret: string;
beforeAll(async () => {
  h = await startHarness({ policyYaml: POLICY });
  await h.pg.psql(seed);
  dbaSecret = h.addAgent('dba-1', ['dba']);
});
afterAll(() => h?.close());

async function withClient<T>(
  use: (client: pg.Client) => Promise<T>,
  user?: string,
  secret?: string,
): Promise<T> {
  const client = new pg.Client({ connectionString: h.url(user, secret) });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

describe('masking on the Postgres wire', () => {
  it('the exempt group sees the raw seeded values (the scan below can find them)', async () => {
    const rows = await withClient(
      async (client) => (await client.query('SELECT * FROM customers')).rows,
      'dba-1',
      dbaSecret,
    );
    // Forms only a query's own rewriting produces (digits without separators) are not stored.
    const derived = ['219099999', '078051120', '4111111111111111'];
    expect(leaks(rows)).toEqual(SEEDED_RAW_VALUES.filter((raw) => !derived.includes(raw)));
  });

  it('has at least 60 read queries, all of which run', () => {
    expect(MASKED_READS.length).toBeGreaterThanOrEqual(60);
  });

  for (const [index, text] of MASKED_READS.entries()) {
    it(`leaks nothing: ${text}`, async () => {
      await withClient(async (client) => {
        const simple = await client.query(text);
        const named = await client.query({ name: `q${index}`, text });
        const bound = await client.query(`SELECT * FROM (${text}) AS q WHERE $1::int = 1`, [1]);
        const binary = await client.query({ name: `b${index}`, text, binary: true } as pg.QueryConfig);
        for (const [form, result] of Object.entries({ simple, named, bound, binary })) {
          expect({ form, leaked: leaks(result.rows) }).toEqual({ form, leaked: [] });
        }
        expect(named.rows).toEqual(simple.rows);
        expect(bound.rowCount).toBe(simple.rowCount);
        expect(binary.rowCount).toBe(simple.rowCount);
      });
    });
  }

  it('keeps unmasked columns, row count and NULLs as they are', async () => {
    await withClient(async (client) => {
      const { rows } = await client.query('SELECT id, name, email, ssn, born FROM customers ORDER BY id');
      expect(rows.map((row) => row.name)).toEqual(['Alice Liddell', 'Bob Builder', 'Carol Null']);
      expect(rows[0]).toMatchObject({ email: 'a***@wonderland.example', ssn: '****' });
      expect(rows[2]).toMatchObject({ email: null, ssn: null, born: null });
      const masked = await client.query('SELECT card_number, phone FROM customers WHERE id = 1');
      expect(masked.rows[0].card_number).toMatch(/1111$/);
      const again = await client.query({ text: 'SELECT phone FROM customers WHERE id = $1', values: [1] });
      // A hash token is stable, so masked values can still be joined and compared.
      expect(again.rows[0].phone).toBe(masked.rows[0].phone);
    });
  });

  it('follows views that rename a masked column, and tables created after the catalog loaded', async () => {
    await withClient(async (client) => {
      // Loads the catalog before the new relations exist.
      await client.query('SELECT email FROM customers');
      await h.pg.psql(`CREATE VIEW renamed AS SELECT id, ssn AS tax_id, name AS label FROM customers;
        CREATE VIEW renamed_again AS SELECT tax_id AS t FROM renamed;
        CREATE TABLE late (id int, ssn text); INSERT INTO late VALUES (1, 'not-detectable-42');
        GRANT SELECT ON renamed, renamed_again, late TO PUBLIC;`);
      for (const text of [
        'SELECT tax_id, label FROM renamed',
        'SELECT * FROM renamed',
        'SELECT t FROM renamed_again',
      ]) {
        const { rows } = await client.query(text);
        const values = rows.map((row) => ('tax_id' in row ? row.tax_id : row.t));
        expect({ text, values }).toEqual({ text, values: ['****', '****', null] });
      }
      const late = await client.query('SELECT l.ssn AS v FROM late l');
      expect(late.rows).toEqual([{ v: 'not-detectable-42' }]);
      await h.pg.psql(
        'CREATE VIEW late_view AS SELECT ssn AS v FROM customers; GRANT SELECT ON late_view TO PUBLIC;',
      );
      expect((await client.query('SELECT v FROM late_view WHERE v IS NOT NULL')).rows).toEqual([
        { v: '****' },
        { v: '****' },
      ]);
    });
  });

  it("leaves the system catalogs readable: psql's \\d works in a masking session", async () => {
    const { stdout } = await run(
      'psql',
      [
        '-X',
        '-h',
        '127.0.0.1',
        '-p',
        String(h.port),
        '-U',
        h.agent.name,
        '-d',
        h.pg.database,
        '-c',
        '\\d customers',
      ],
      { env: { ...process.env, PGPASSWORD: h.agent.secret, PGSSLMODE: 'disable' } },
    );
    expect(stdout).toContain('Table "public.customers"');
    expect(stdout).toMatch(/ email\s+\| text/);
  });

  it('masks each result of a multi-statement query by its own statement', async () => {
    await withClient(async (client) => {
      const results = (await client.query(
        "SELECT name AS v FROM customers WHERE id = 1; SELECT ssn AS v FROM customers WHERE id = 1; SELECT 'x' AS v",
      )) as unknown as pg.QueryResult[];
      expect(results.map((result) => result.rows[0]?.v)).toEqual(['Alice Liddell', '****', 'x']);
    });
  });

  it('masks values quoted by error messages', async () => {
    await withClient(async (client) => {
      for (const text of [
        'SELECT email::int FROM customers',
        'SELECT ssn::int FROM customers',
        'SELECT card_number::numeric FROM customers',
        'SELECT iban::int FROM customers',
      ]) {
        const error = await client.query(text).then(
          () => null,
          (failure: unknown) => failure,
        );
        expect(error).toMatchObject({ code: '22P02' });
        expect({ text, leaked: leaks(error) }).toEqual({ text, leaked: [] });
        const extended = await client
          .query({ text, values: [], name: `e-${text.length}` })
          .catch((e: unknown) => e);
        expect({ text, leaked: leaks(extended) }).toEqual({ text, leaked: [] });
      }
    });
  });

  it('redacts values that failed casts and constraint violations quote, detectable or not', async () => {
    await withClient(async (client) => {
      const cast = await client.query('SELECT name::int FROM customers').catch((e: unknown) => e);
      expect(cast).toMatchObject({ code: '22P02', message: 'invalid input syntax for type integer: "****"' });
      const duplicate = await client
        .query("INSERT INTO customers (id, name) VALUES (1, 'Alice Liddell')")
        .catch((e: unknown) => e);
      expect(duplicate).toMatchObject({ code: '23505', detail: 'Key (id)=(****) already exists.' });
      const missing = await client.query('SELECT * FROM no_such_table').catch((e: unknown) => e);
      expect(missing).toMatchObject({ code: '42P01', message: 'relation "no_such_table" does not exist' });
    });
  });

  it('parses binary results from postgres.js and masks them', async () => {
    const sql = postgres(h.url(), { max: 1, onnotice: () => undefined });
    try {
      const rows = await sql`SELECT id, email, ssn, profile, born FROM customers WHERE id = ${1}`;
      expect(rows[0]).toMatchObject({ id: 1, email: 'a***@wonderland.example', ssn: '****' });
      expect(leaks(rows)).toEqual([]);
      for (const text of MASKED_READS.slice(0, 20)) expect(leaks(await sql.unsafe(text))).toEqual([]);
      // A cursor fetches with Execute row limits: every batch of the suspended portal is masked.
      const fetched: unknown[] = [];
      for await (const batch of sql`SELECT id, email, notes FROM customers ORDER BY id`.cursor(1)) {
        fetched.push(...batch);
      }
      expect(fetched).toHaveLength(3);
      expect(fetched[1]).toMatchObject({ id: 2, email: 'b***@construct.example' });
      expect(leaks(fetched)).toEqual([]);
    } finally {
      await sql.end();
    }
  });

  it('masks COPY … TO STDOUT from psql \\copy, text and CSV, keeping rows and NULLs', async () => {
    const copy = async (command: string, user = h.agent.name, secret = h.agent.secret): Promise<string> => {
      const { stdout } = await run(
        'psql',
        ['-X', '-h', '127.0.0.1', '-p', String(h.port), '-U', user, '-d', h.pg.database, '-c', command],
        { env: { ...process.env, PGPASSWORD: secret, PGSSLMODE: 'disable' } },
      );
      return stdout;
    };
    const raw = await copy('\\copy customers TO STDOUT', 'dba-1', dbaSecret);
    expect(raw).toContain('alice.liddell@wonderland.example');
    for (const command of [
      '\\copy customers TO STDOUT',
      '\\copy customers TO STDOUT WITH (FORMAT csv, HEADER)',
      '\\copy customers (id, email, notes) TO STDOUT CSV',
      '\\copy (SELECT upper(email) AS e, ssn || phone AS x, notes FROM customers) TO STDOUT',
      "\\copy orders TO STDOUT WITH (DELIMITER '|')",
    ]) {
      const out = await copy(command);
      expect({ command, leaked: leaks(out) }).toEqual({ command, leaked: [] });
      expect(out.trim().split('\n').length).toBeGreaterThanOrEqual(3);
    }
    const text = await copy('\\copy customers (id, name, email, ssn) TO STDOUT');
    expect(text.split('\n')[0]).toBe('1\tAlice Liddell\ta***@wonderland.example\t****');
    expect(text.split('\n')[2]).toBe('3\tCarol Null\t\\N\t\\N');
    const csv = await copy('\\copy customers (id, name, email) TO STDOUT WITH (FORMAT csv, HEADER)');
    expect(csv.split('\n').slice(0, 2)).toEqual(['id,name,email', '1,Alice Liddell,a***@wonderland.example']);
  });

  it('journals the masked columns of each statement', async () => {
    await withClient(async (client) => {
      await client.query('SELECT email, ssn, name FROM customers /* journal-simple */');
      await client.query({
        text: 'SELECT card_number FROM customers WHERE id = $1 /* journal-bound */',
        values: [1],
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const records = [...h.journal.statements()];
    const simple = records.find((record) => record.statement.includes('journal-simple'));
    const bound = records.find((record) => record.statement.includes('journal-bound'));
    expect(simple?.masked_columns).toEqual(expect.arrayContaining(['customers.email', 'customers.ssn']));
    expect(simple?.masked_columns).not.toContain('customers.name');
    expect(bound?.masked_columns).toEqual(['customers.card_number']);
  });

  it('journals how many values the detectors masked', async () => {
    await withClient((client) => client.query('SELECT notes FROM customers /* journal-detectors */'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const record = [...h.journal.statements()].find((each) => each.statement.includes('journal-detectors'));
    const outcome = h.journal
      .tail(50)
      .find((entry) => entry.type === 'statement_end' && entry.ref === String(record?.id));
    // Two notes hold personal data; the third row's notes are NULL.
    expect(outcome?.payload).toMatchObject({ rows: 3, detector_matches: 2 });
  });

  it('masks bound parameter values before journalling them', async () => {
    await withClient(async (client) => {
      await client.query('SELECT id FROM customers WHERE email = $1 /* journal-param */', [
        'alice.liddell@wonderland.example',
      ]);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const record = [...h.journal.statements()].find((each) => each.statement.includes('journal-param'));
    expect(record?.parameters).toEqual(['a***@wonderland.example']);
  });
});
