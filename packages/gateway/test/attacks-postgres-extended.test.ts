import { connect } from 'node:net';
import { frontend } from '@sluice/wire-postgres';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { fieldsOf, pgMessages as m, RawPostgresClient, rowsOf, summary } from './support/raw-postgres.js';

/**
 * Extended-protocol and cancel attacks on the PostgreSQL path, with a raw client that sends what
 * drivers never send. Each asserts what the attacker was after did not happen upstream.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    policyYaml: `    guardrails: strict
    rules:
      - name: updates-need-approval
        match: { kind: [update] }
        action: approve
        approval: { mode: ticket }
    masking:
      columns:
        - { match: "customers.note", strategy: redact }`,
  });
  await h.pg.psql(
    `CREATE TABLE orders (id int PRIMARY KEY, item text);
     CREATE TABLE customers (id int, note text);
     INSERT INTO customers VALUES (1, 'plaintext-note');
     GRANT ALL ON orders, customers TO PUBLIC;`,
  );
});
afterAll(() => h?.close());
beforeEach(async () => {
  await h.pg.psql("TRUNCATE orders; INSERT INTO orders VALUES (1, 'one'), (2, 'two');");
});

const item1 = (): Promise<string> => h.pg.psql('SELECT item FROM orders WHERE id = 1');
const tableExists = async (): Promise<string> => h.pg.psql("SELECT to_regclass('orders') IS NOT NULL");

async function login(sub = 'prober'): Promise<RawPostgresClient> {
  return RawPostgresClient.login(h.port, sub, await h.issuer.sign({ sub }), h.pg.database);
}

async function withRaw(use: (client: RawPostgresClient) => Promise<void>): Promise<void> {
  const client = await login();
  try {
    await use(client);
  } finally {
    client.close();
  }
}

describe('extended-protocol tricks', () => {
  it('does not let a second Parse of a name swap the judged statement for the one that runs', async () => {
    await withRaw(async (c) => {
      c.send(m.parse('s1', "UPDATE orders SET item = 'hijacked' WHERE id = 1"), m.sync());
      expect(summary(await c.untilReady())).toEqual(['1', 'Z']);
      // The same name again with a harmless text, pipelined past its Sync with the Execute.
      c.send(m.parse('s1', 'SELECT 1'), m.sync(), m.bind('', 's1'), m.execute(''), m.sync());
      await c.untilReady();
      await c.untilReady();
      // Inside a transaction the duplicate's error aborts it; ROLLBACK keeps the statement.
      c.send(m.query('BEGIN'));
      await c.untilReady();
      c.send(m.parse('s1', 'SELECT 2'), m.sync());
      await c.untilReady();
      c.send(m.query('ROLLBACK'));
      await c.untilReady();
      c.send(m.bind('', 's1'), m.execute(''), m.sync());
      await c.untilReady();
      c.send(m.query('SELECT 1 AS alive'));
      expect(rowsOf(await c.untilReady())).toEqual([['1']]);
    });
    expect(await item1()).toBe('one');
  });

  it('does not let a second Parse of a name swap a masked statement for an unmasked one', async () => {
    await withRaw(async (c) => {
      c.send(m.parse('s2', 'SELECT note FROM customers'), m.sync());
      expect(summary(await c.untilReady())).toEqual(['1', 'Z']);
      c.send(m.parse('s2', "SELECT 'nothing' AS note"), m.sync());
      await c.untilReady();
      c.send(m.bind('', 's2'), m.execute(''), m.sync());
      const replies = await c.untilReady();
      expect(JSON.stringify(rowsOf(replies))).not.toContain('plaintext-note');
    });
  });

  it('does not let a second Bind of a portal name swap the judged portal for the one that runs', async () => {
    await withRaw(async (c) => {
      c.send(m.query('BEGIN'));
      await c.untilReady();
      c.send(
        m.parse('u', "UPDATE orders SET item = 'hijacked' WHERE id = 1"),
        m.bind('p1', 'u'),
        m.parse('harmless', 'SELECT 1'),
        m.sync(),
      );
      expect(summary(await c.untilReady())).toEqual(['1', '2', '1', 'Z']);
      c.send(m.query('SAVEPOINT sp'));
      await c.untilReady();
      // The server refuses a second portal p1; a rollback to the savepoint keeps the first.
      c.send(m.bind('p1', 'harmless'), m.sync());
      await c.untilReady();
      c.send(m.query('ROLLBACK TO SAVEPOINT sp'));
      await c.untilReady();
      c.send(m.execute('p1'), m.sync());
      await c.untilReady();
      c.send(m.query('COMMIT'));
      await c.untilReady();
    });
    expect(await item1()).toBe('one');
  });

  it('masks rows of a SQL cursor read through an extended-protocol Execute', async () => {
    await withRaw(async (c) => {
      c.send(m.query('DECLARE c CURSOR WITH HOLD FOR SELECT note FROM customers'));
      const declared = await c.untilReady();
      if (summary(declared).includes('E:42501')) return; // refusing the cursor is as good
      c.send(m.execute('c'), m.sync());
      const replies = await c.untilReady();
      expect(JSON.stringify(rowsOf(replies))).not.toContain('plaintext-note');
    });
  });

  it('runs nothing of Close + Parse of a blocked text under a judged name in one pipeline', async () => {
    await withRaw(async (c) => {
      c.send(m.parse('s3', 'SELECT 1'), m.sync());
      await c.untilReady();
      c.send(
        m.close('statement', 's3'),
        m.parse('s3', 'DROP TABLE orders'),
        m.bind('', 's3'),
        m.execute(),
        m.sync(),
      );
      const replies = summary(await c.untilReady());
      expect(replies.filter((r) => r.startsWith('E'))).toEqual(['E:42501']);
      c.send(m.bind('', 's3'), m.execute(), m.sync());
      expect(summary(await c.untilReady())).toEqual(['E:26000', 'Z']);
    });
    expect(await tableExists()).toBe('t');
  });

  it('answers a Bind to a statement refused at Parse with the server’s unknown-statement error', async () => {
    await withRaw(async (c) => {
      c.send(m.parse('s4', 'DROP TABLE orders'), m.sync());
      expect(summary(await c.untilReady())).toEqual(['E:42501', 'Z']);
      c.send(m.bind('', 's4'), m.execute(), m.sync());
      expect(summary(await c.untilReady())).toEqual(['E:26000', 'Z']);
      // The unnamed statement too: the refused Parse replaced nothing the client could run.
      c.send(m.parse('', 'SELECT 1'), m.sync());
      await c.untilReady();
      c.send(m.parse('', 'DROP TABLE orders'), m.sync());
      expect(summary(await c.untilReady())).toEqual(['E:42501', 'Z']);
      c.send(m.bind('', ''), m.execute(), m.sync());
      const replies = summary(await c.untilReady());
      expect(replies).not.toContain('C');
    });
    expect(await tableExists()).toBe('t');
  });

  it('answers a Describe-only probe of a blocked statement with the refusal and no description', async () => {
    await withRaw(async (c) => {
      c.send(
        m.parse('s5', 'SELECT * FROM orders; DROP TABLE orders'),
        m.describe('statement', 's5'),
        m.sync(),
      );
      expect(summary(await c.untilReady())).toEqual(['E:42501', 'Z']);
      c.send(m.parse('s6', 'DROP TABLE orders'), m.describe('statement', 's6'), m.sync());
      expect(summary(await c.untilReady())).toEqual(['E:42501', 'Z']);
    });
    expect(await tableExists()).toBe('t');
  });

  it('stays in step when a blocked Parse follows a failed Execute in the same pipeline', async () => {
    await withRaw(async (c) => {
      c.send(
        m.parse('', 'SELECT 1/0'),
        m.bind('', ''),
        m.execute(),
        m.parse('', 'DROP TABLE orders'),
        m.bind('', ''),
        m.execute(),
        m.sync(),
      );
      const replies = summary(await c.untilReady(3000));
      expect(replies[0]).toBe('1');
      expect(replies).toContain('E:22012');
      expect(replies.at(-1)).toBe('Z');
      c.send(m.parse('', 'SELECT 7'), m.bind('', ''), m.execute(), m.sync());
      expect(rowsOf(await c.untilReady(3000))).toEqual([['7']]);
    });
    expect(await tableExists()).toBe('t');
  });
});

describe('fastpath function calls', () => {
  it('refuses a FunctionCall by OID, which carries no statement to judge, and stays usable', async () => {
    const oid = Number(await h.pg.psql("SELECT 'pg_read_file(text)'::regprocedure::oid"));
    await withRaw(async (c) => {
      c.send(
        frontend.FunctionCall.encode({
          kind: 'function-call',
          functionOid: oid,
          argumentFormats: [],
          arguments: [Buffer.from('PG_VERSION')],
          resultFormat: 0,
        }),
      );
      const replies = await c.untilReady();
      expect(summary(replies)).toEqual(['E:42501', 'Z']);
      expect(fieldsOf(replies[0]?.body ?? Buffer.alloc(0)).M).toMatch(
        /^sluice: blocked by guardrail:unanalysable/,
      );
      c.send(m.query('SELECT 1 AS alive'));
      expect(rowsOf(await c.untilReady())).toEqual([['1']]);
    });
  });
});

function sendCancel(processId: number, secretKey: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(h.port, '127.0.0.1', () => {
      socket.end(frontend.CancelRequest.encode({ kind: 'cancel-request', processId, secretKey }));
    });
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
}

describe('CancelRequest', () => {
  it('cancels nothing of another identity’s session with a guessed or borrowed secret', async () => {
    const victim = await login('victim');
    const attacker = await login('attacker');
    try {
      victim.send(m.query('SELECT pg_sleep(1.5) AS slept'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await sendCancel(victim.processId, attacker.secretKey);
      await sendCancel(victim.processId, Buffer.alloc(4));
      await sendCancel(victim.processId, Buffer.alloc(8, 0xff));
      const nearMiss = Buffer.from(victim.secretKey);
      nearMiss[0] = (nearMiss[0] ?? 0) ^ 1;
      await sendCancel(victim.processId, nearMiss);
      const replies = await victim.untilReady(5000);
      expect(summary(replies)).toEqual(['T', 'D', 'C', 'Z']);
      // The right key does cancel: the test above could have failed.
      victim.send(m.query('SELECT pg_sleep(5)'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await sendCancel(victim.processId, victim.secretKey);
      const cancelled = await victim.untilReady(5000);
      expect(summary(cancelled)).toContain('E:57014');
    } finally {
      victim.close();
      attacker.close();
    }
  });
});

describe('role switching as statements', () => {
  it('refuses SET ROLE, SET SESSION AUTHORIZATION and set_config(role) in their disguises', async () => {
    const client = new pg.Client({ connectionString: h.url() });
    await client.connect();
    try {
      const attempts = [
        'SET ROLE postgres',
        'set local role to postgres',
        'SET SESSION ROLE "postgres"',
        '/* x */ SeT\tRoLe postgres',
        'SET SESSION AUTHORIZATION postgres',
        "SET SESSION AUTHORIZATION 'postgres'",
        "SELECT set_config('role', 'postgres', false)",
        "SELECT set_config('session_authorization', 'postgres', false)",
        "SET role = 'postgres'",
      ];
      for (const sql of attempts) {
        const error = await client.query(sql).then(
          () => undefined,
          (e: Error & { code?: string }) => e,
        );
        expect(error?.code, sql).toBe('42501');
        expect(error?.message, sql).toMatch(/^sluice: blocked by /);
      }
      const prepared = await client
        .query({ name: 'p', text: 'SET ROLE postgres' })
        .catch((e: { code?: string }) => e);
      expect(prepared).toMatchObject({ code: '42501' });
      const { rows } = await client.query('SELECT current_user AS who');
      expect(rows[0]?.who).toBe(h.pg.roles.scram);
    } finally {
      await client.end();
    }
  });
});
