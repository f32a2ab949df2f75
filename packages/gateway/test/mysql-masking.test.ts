import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { MARIADB_CLIENT_PATH } from '@sluice/testkit';
import type { Packet } from '@sluice/wire-mysql';
import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED_RAW_VALUES } from './fixtures/masking-queries.js';
import { MYSQL_MASKED_READS } from './fixtures/mysql-masking-queries.js';
import { leaks } from './support/leaks.js';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';
import { RawMysqlClient } from './support/mysql-raw-client.js';

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
      exempt: { groups: [dba] }
      hash_key: test-hash-key`;

const seed = readFileSync(new URL('./fixtures/mysql-masking-seed.sql', import.meta.url), 'utf8');

let h: MysqlHarness;
let dbaSecret: string;
let client: Connection;
beforeAll(async () => {
  h = await startMysqlHarness({ policyYaml: POLICY });
  await h.db.sql(seed);
  dbaSecret = h.addAgent('dba-1', ['dba']);
  client = await mysql.createConnection(h.options(undefined, undefined, { multipleStatements: true }));
});
afterAll(async () => {
  await client?.end();
  await h?.close();
});

async function rowsOf(connection: Connection, text: string, binary: boolean): Promise<RowDataPacket[]> {
  const [rows] = binary
    ? await connection.execute<RowDataPacket[]>(text)
    : await connection.query<RowDataPacket[]>(text);
  return rows;
}

/** Runs a command with `input` on its standard input; resolves with its output. */
function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { env }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin?.end(input);
  });
}

/** A reply's packets, up to its `eofs`-th EOF packet (the raw client does not deprecate EOF). */
async function replyOf(raw: RawMysqlClient, eofs: number): Promise<Packet[]> {
  const reply: Packet[] = [];
  for (let seen = 0; seen < eofs; ) {
    const packet = await raw.next(20_000);
    reply.push(packet);
    if (packet.payload[0] === 0xff) break;
    if (packet.payload[0] === 0xfe && packet.payload.length < 9) seen++;
  }
  return reply;
}

/** Where a reply's sequence ids do not run on from 1 without a gap. */
function gapsIn(reply: readonly Packet[]): string[] {
  const gaps: string[] = [];
  let expected = 1;
  for (const [index, packet] of reply.entries()) {
    if (packet.sequenceId !== expected)
      gaps.push(`packet ${index}: ${packet.sequenceId}, expected ${expected}`);
    expected = (packet.lastSequenceId + 1) % 256;
  }
  return gaps;
}

describe('masking on the MySQL wire', () => {
  it('the exempt group sees the raw seeded values (the scan below can find them)', async () => {
    const dba = await mysql.createConnection(h.options('dba-1', dbaSecret));
    try {
      const rows = await rowsOf(dba, 'SELECT * FROM customers', false);
      const derived = ['219099999', '078051120', '4111111111111111'];
      expect(leaks(rows)).toEqual(SEEDED_RAW_VALUES.filter((raw) => !derived.includes(raw)));
    } finally {
      await dba.end();
    }
  });

  it('has at least 60 read queries', () => {
    expect(MYSQL_MASKED_READS.length).toBeGreaterThanOrEqual(60);
  });

  for (const text of MYSQL_MASKED_READS) {
    it(`leaks nothing, text and binary protocol: ${text}`, async () => {
      const textRows = await rowsOf(client, text, false);
      const binaryRows = await rowsOf(client, text, true);
      expect({ form: 'text', leaked: leaks(textRows) }).toEqual({ form: 'text', leaked: [] });
      expect({ form: 'binary', leaked: leaks(binaryRows) }).toEqual({ form: 'binary', leaked: [] });
      expect(binaryRows.length).toBe(textRows.length);
      expect(textRows.length).toBeGreaterThan(0);
    });
  }

  it('keeps unmasked columns, row count, types and NULLs; hash tokens are stable', async () => {
    for (const binary of [false, true]) {
      const rows = await rowsOf(
        client,
        'SELECT id, name, email, ssn, born FROM customers ORDER BY id',
        binary,
      );
      expect(rows.map((row) => row.name)).toEqual(['Alice Liddell', 'Bob Builder', 'Carol Null']);
      expect(rows.map((row) => row.id)).toEqual([1, 2, 3]);
      expect(rows[0]).toMatchObject({ email: 'a***@wonderland.example', ssn: '****', born: null });
      expect(rows[2]).toMatchObject({ email: null, ssn: null, born: null });
      const [masked] = await rowsOf(client, 'SELECT card_number, phone FROM customers WHERE id = 1', binary);
      expect(masked?.card_number).toMatch(/^\*+1111$/);
      expect(masked?.phone).toMatch(/^h_/);
      const [again] = await rowsOf(client, 'SELECT phone AS p FROM customers WHERE id = 1', binary);
      expect(again?.p).toBe(masked?.phone);
    }
  });

  it('masks inside JSON documents and keeps them valid JSON', async () => {
    for (const binary of [false, true]) {
      const [row] = await rowsOf(
        client,
        "SELECT JSON_OBJECT('email', email, 'who', name) AS doc, JSON_OBJECT('m', email) AS renamed, profile FROM customers WHERE id = 1",
        binary,
      );
      // JSON keeps its type (MariaDB's extended metadata): mysql2 hands documents over parsed.
      expect(row?.doc).toEqual({
        email: 'a***@wonderland.example',
        who: 'Alice Liddell',
      });
      // The masked column is in the document under another name: the whole document is masked.
      expect(row?.renamed).toBe('****');
      expect(row?.profile).toEqual({ email: 'a***@wonderland.example', tier: 'gold' });
    }
  });

  it('follows views that rename a masked column, through aliases, nesting, expressions and DDL', async () => {
    // Created through the gateway: the catalog reloads after the DDL.
    await client.query(`CREATE VIEW renamed AS SELECT id, ssn AS tax_id, name AS label FROM customers;
      CREATE VIEW renamed_again AS SELECT tax_id AS t FROM renamed;
      CREATE VIEW tagged AS SELECT id, CONCAT('id:', ssn) AS tag FROM customers`);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const binary of [false, true]) {
        for (const [text, column] of [
          ['SELECT tax_id, label FROM renamed ORDER BY id', 'tax_id'],
          ['SELECT * FROM renamed ORDER BY id', 'tax_id'],
          ['SELECT r.tax_id AS x FROM renamed r ORDER BY r.id', 'x'],
          ['SELECT t FROM renamed_again', 't'],
          ['SELECT v.* FROM renamed_again v', 't'],
          ['SELECT tag FROM tagged ORDER BY id', 'tag'],
        ] as const) {
          const rows = await rowsOf(client, text, binary);
          const values = rows.map((row) => row[column]);
          expect({ text, binary, values }).toEqual({
            text,
            binary,
            values: column === 'tag' ? ['****', '****', null] : ['****', '****', null],
          });
        }
        const [labels] = await rowsOf(client, 'SELECT label FROM renamed WHERE id = 1', binary);
        expect(labels?.label).toBe('Alice Liddell');
      }
    } finally {
      await client.query('DROP VIEW renamed_again, renamed, tagged');
    }
  });

  it('learns of a view created outside the gateway once a statement names it', async () => {
    await h.db.sql('CREATE VIEW outside AS SELECT id, ssn AS code FROM customers');
    try {
      // The first statement naming it starts a reload of the catalog; later ones are masked.
      await rowsOf(client, 'SELECT id FROM outside WHERE id = 0', false);
      let codes: unknown[] = [];
      for (const deadline = Date.now() + 5000; Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        codes = (await rowsOf(client, 'SELECT code FROM outside ORDER BY id', false)).map((row) => row.code);
        if (codes[0] === '****') break;
      }
      expect(codes).toEqual(['****', '****', null]);
    } finally {
      await h.db.sql('DROP VIEW outside');
    }
  });

  it('masks prepared statements with bound parameters, and journals the parameters masked', async () => {
    const [rows] = await client.execute<RowDataPacket[]>(
      'SELECT id, email FROM customers WHERE email = ? /* journal-param */',
      ['alice.liddell@wonderland.example'],
    );
    expect(rows).toEqual([{ id: 1, email: 'a***@wonderland.example' }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const record = [...h.journal.statements()].find((each) => each.statement.includes('journal-param'));
    expect(record?.parameters).toEqual(['a***@wonderland.example']);
    expect(record?.masked_columns).toEqual(['customers.email']);
  });

  it('masks each result of a multi-statement query by its own statement', async () => {
    const [results] = await client.query<RowDataPacket[][]>(
      "SELECT name AS v FROM customers WHERE id = 1; SELECT ssn AS v FROM customers WHERE id = 1; SELECT 'x' AS v",
    );
    expect(results.map((result) => result[0]?.v)).toEqual(['Alice Liddell', '****', 'x']);
  });

  it('masks values quoted by error messages', async () => {
    // The statement's text holds no personal data; the server's message quotes the stored email.
    const duplicate = await client
      .query("INSERT INTO customers (id, name, email) SELECT 4, 'Dup', email FROM customers WHERE id = 1")
      .catch((error: unknown) => error);
    expect(duplicate).toMatchObject({ errno: 1062, sqlState: '23000' });
    const { message } = duplicate as Error;
    expect(message).toMatch(/^Duplicate entry '.+' for key 'email'$/);
    expect(leaks(message)).toEqual([]);
  });

  it('journals the masked columns and the detector matches of a statement', async () => {
    await rowsOf(client, 'SELECT email, ssn, name FROM customers /* journal-columns */', false);
    await rowsOf(client, 'SELECT notes FROM customers /* journal-detectors */', true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const records = [...h.journal.statements()];
    const columns = records.find((record) => record.statement.includes('journal-columns'));
    expect(columns?.masked_columns).toEqual(expect.arrayContaining(['customers.email', 'customers.ssn']));
    expect(columns?.masked_columns).not.toContain('customers.name');
    const detectors = records.find((record) => record.statement.includes('journal-detectors'));
    const outcome = h.journal
      .tail(50)
      .find((entry) => entry.type === 'statement_end' && entry.ref === String(detectors?.id));
    expect(outcome?.payload).toMatchObject({ rows: 3, detector_matches: 2 });
  });

  it('masks the binary rows a cursor returns through COM_STMT_FETCH', async () => {
    const raw = await RawMysqlClient.login(h.port, h.agent.name, h.agent.secret, h.db.database);
    try {
      raw.send(
        Buffer.concat([Buffer.of(0x16), Buffer.from('SELECT id, email, notes FROM customers ORDER BY id')]),
      );
      const prepared = await replyOf(raw, 1);
      const statementId = prepared[0]?.payload.readUInt32LE(1) ?? 0;
      const execute = Buffer.alloc(10);
      execute[0] = 0x17;
      execute.writeUInt32LE(statementId, 1);
      execute[5] = 0x01; // CURSOR_TYPE_READ_ONLY
      execute.writeUInt32LE(1, 6);
      raw.send(execute);
      // Column count, three definitions, EOF with SERVER_STATUS_CURSOR_EXISTS: no rows yet.
      const opened = await replyOf(raw, 1);
      expect(opened).toHaveLength(5);
      const fetched: Packet[] = [];
      for (let batch = 0; batch < 2; batch++) {
        const fetch = Buffer.alloc(9);
        fetch[0] = 0x1c;
        fetch.writeUInt32LE(statementId, 1);
        fetch.writeUInt32LE(2, 5);
        raw.send(fetch);
        fetched.push(...(await replyOf(raw, 1)));
      }
      const rows = fetched.filter((packet) => packet.payload[0] === 0x00);
      expect(rows).toHaveLength(3);
      const texts = rows.map((row) => row.payload.toString('latin1'));
      expect(texts[0]).toContain('a***@wonderland.example');
      expect(leaks(texts)).toEqual([]);
    } finally {
      raw.destroy();
    }
  });

  it('masks what the mariadb command-line client prints', async () => {
    const stdout = await run(
      MARIADB_CLIENT_PATH ?? 'mariadb',
      ['--no-defaults', '--protocol=TCP', '-h', '127.0.0.1', '-P', String(h.port), '-u', h.agent.name],
      { PATH: process.env.PATH, MYSQL_PWD: h.agent.secret },
      `USE ${h.db.database};\nSELECT * FROM customers;\nSELECT * FROM orders;\nSELECT * FROM customer_contacts;`,
    );
    expect(stdout).toContain('a***@wonderland.example');
    // Three results of three rows, each with its header line.
    expect(stdout.trim().split('\n')).toHaveLength(12);
    expect(leaks(stdout)).toEqual([]);
  });

  it('masks rows of 16 MiB, whose masked form takes one physical packet less than the original', async () => {
    // A payload of exactly 0xFFFFFF bytes is followed by an empty packet; masked, it is one packet.
    // Row 5 is that size as a text row (6 bytes besides the note), row 6 as a binary row (10 bytes).
    const note = (bytes: number): string => {
      const head = 'alice.liddell@wonderland.example ';
      return head + 'x'.repeat(bytes - head.length);
    };
    const notes = { 5: note(0xffffff - 6), 6: note(0xffffff - 10) };
    for (const [id, value] of Object.entries(notes)) {
      await client.query('INSERT INTO customers (id, name, notes) VALUES (?, ?, ?)', [
        Number(id),
        'Big',
        value,
      ]);
    }
    try {
      for (const binary of [false, true]) {
        const rows = await rowsOf(client, 'SELECT id, notes FROM customers ORDER BY id', binary);
        expect(rows.map((row) => row.id)).toEqual([1, 2, 3, 5, 6]);
        for (const row of rows.slice(3)) {
          const masked = String(row.notes);
          expect(masked.startsWith('a***@wonderland.example x')).toBe(true);
          expect(masked.length).toBe(notes[row.id as 5 | 6].length - 'lice.liddell'.length + '***'.length);
        }
        expect(leaks(rows)).toEqual([]);
      }
      // The session is still in step after the renumbered replies.
      expect(await rowsOf(client, 'SELECT 1 AS one', false)).toEqual([{ one: 1 }]);
      // Drivers tolerate gaps; the protocol does not: every reply numbers its packets 1, 2, 3, …
      const raw = await RawMysqlClient.login(h.port, h.agent.name, h.agent.secret, h.db.database);
      try {
        const select = Buffer.from('SELECT id, notes FROM customers ORDER BY id');
        raw.send(Buffer.concat([Buffer.of(0x03), select]));
        expect(gapsIn(await replyOf(raw, 2))).toEqual([]);
        raw.send(Buffer.concat([Buffer.of(0x16), select]));
        const prepared = await replyOf(raw, 1);
        const statementId = prepared[0]?.payload.readUInt32LE(1) ?? 0;
        const execute = Buffer.alloc(10);
        execute[0] = 0x17;
        execute.writeUInt32LE(statementId, 1);
        execute.writeUInt32LE(1, 6);
        raw.send(execute);
        const reply = await replyOf(raw, 2);
        expect(reply.length).toBeGreaterThan(5);
        expect(gapsIn(reply)).toEqual([]);
      } finally {
        raw.destroy();
      }
    } finally {
      await client.query('DELETE FROM customers WHERE id IN (5, 6)');
    }
  }, 120_000);
});
