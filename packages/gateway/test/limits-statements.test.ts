import type { StatementRecord } from '@sluice/journal';
import { type ScratchMariadb, type ScratchPostgres, startMariadb, startPostgres } from '@sluice/testkit';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

/**
 * `limits.statements_per_second`, `limits.max_statement_size` and
 * `limits.max_pending_approvals_per_identity`, through real drivers against scratch servers.
 */

const RATE_LIMITS = `  statements_per_second: 1
  statement_burst: 3`;
const SIZE_AND_APPROVAL_LIMITS = `  max_statement_size: 1KiB
  max_pending_approvals_per_identity: 1`;
const TICKET_POLICY = `    guardrails: off
    rules:
      - name: inserts-by-ticket
        match: { kind: [insert] }
        action: approve
        approval: { mode: ticket }`;

const RATE_MESSAGE =
  'sluice: rate limit exceeded: more than 1 statements per second (burst 3) for this identity (limits.statements_per_second); slow down and retry';
const LONG_STATEMENT = `SELECT '${'x'.repeat(2000)}' AS long`;
const SIZE_MESSAGE = `sluice: statement too large: the statement is ${LONG_STATEMENT.length} bytes; limits.max_statement_size is 1024`;
const PENDING_MESSAGE =
  'sluice: too many pending approvals: 1 approval requests of this identity are pending; limits.max_pending_approvals_per_identity is 1; wait for a decision, then retry';

let pgServer: ScratchPostgres;
let mariadb: ScratchMariadb;
beforeAll(async () => {
  [pgServer, mariadb] = await Promise.all([startPostgres(), startMariadb()]);
});
afterAll(async () => {
  await Promise.all([pgServer?.stop(), mariadb?.stop()]);
});

/** The journal's records of statements containing `marker`, once the gateway has written them. */
async function journalled(
  journal: Harness['journal'],
  marker: string,
  count: number,
): Promise<StatementRecord[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const records = [...journal.statements()].filter((record) => record.statement.includes(marker));
    if (records.length >= count || Date.now() > deadline) return records;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function pgError(run: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await run;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected the statement to fail');
}

async function mysqlError(run: Promise<unknown>): Promise<mysql.QueryError> {
  try {
    await run;
  } catch (error) {
    return error as mysql.QueryError;
  }
  throw new Error('expected the statement to fail');
}

describe('statement limits (PostgreSQL)', () => {
  let rated: Harness;
  let sized: Harness;
  beforeAll(async () => {
    rated = await startHarness({ pg: pgServer, limitsYaml: RATE_LIMITS });
    sized = await startHarness({
      pg: pgServer,
      limitsYaml: SIZE_AND_APPROVAL_LIMITS,
      policyYaml: TICKET_POLICY,
    });
    await pgServer.psql('CREATE TABLE notes (id int, body text); GRANT ALL ON notes TO PUBLIC;');
  });
  afterAll(async () => {
    await Promise.all([rated?.close(), sized?.close()]);
  });

  it('refuses statements over the identity rate with 53400, across its sessions, and journals them', async () => {
    const first = new pg.Client({ connectionString: rated.url() });
    const second = new pg.Client({ connectionString: rated.url() });
    await first.connect();
    await second.connect();
    try {
      for (let n = 1; n <= 3; n += 1) await first.query(`SELECT ${n} /* rate-check */`);
      // The second session shares the identity's bucket, which the first one emptied.
      const refused = await pgError(second.query('SELECT 4 /* rate-check */'));
      expect(refused.code).toBe('53400');
      expect(refused.message).toBe(RATE_MESSAGE);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await second.query('SELECT 5 AS five /* rate-check */')).rows).toEqual([{ five: 5 }]);
      const records = await journalled(rated.journal, 'rate-check', 5);
      const blocked = records.filter((record) => record.decision === 'blocked');
      expect(blocked).toEqual([
        expect.objectContaining({
          statement: 'SELECT 4 /* rate-check */',
          rule: 'rate-limit',
          kind: 'select',
        }),
      ]);
    } finally {
      await first.end();
      await second.end();
    }
  });

  it('refuses an oversized statement with 54000 before parsing it, and the session goes on', async () => {
    const client = new pg.Client({ connectionString: sized.url() });
    await client.connect();
    try {
      const refused = await pgError(client.query(LONG_STATEMENT));
      expect(refused.code).toBe('54000');
      expect(refused.message).toBe(SIZE_MESSAGE);
      // Through the extended protocol (Parse) too.
      const prepared = await pgError(
        client.query({ text: `${LONG_STATEMENT} WHERE $1::int = 1`, values: [1] }),
      );
      expect(prepared.code).toBe('54000');
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      const records = await journalled(sized.journal, "SELECT 'xxx", 2);
      expect(records[0]).toMatchObject({ decision: 'blocked', rule: 'statement-size-limit' });
      expect(records[0]?.statement.length).toBeLessThan(1100);
    } finally {
      await client.end();
    }
  });

  it('refuses a new approval request over the pending limit with 53400, without filing it', async () => {
    const client = new pg.Client({ connectionString: sized.url() });
    await client.connect();
    try {
      const ticket = await pgError(client.query("INSERT INTO notes VALUES (1, 'first')"));
      expect(ticket.message).toMatch(/^sluice: approval required: request /);
      const pendingBefore = sized.gateway.control.approvals.list({ state: 'pending' }).length;
      const refused = await pgError(client.query("INSERT INTO notes VALUES (2, 'second')"));
      expect(refused.code).toBe('53400');
      expect(refused.message).toBe(PENDING_MESSAGE);
      expect(sized.gateway.control.approvals.list({ state: 'pending' })).toHaveLength(pendingBefore);
      // The same statement again finds its own ticket still pending: not a new request.
      const again = await pgError(client.query("INSERT INTO notes VALUES (1, 'first')"));
      expect(again.message).toMatch(/^sluice: approval required: request /);
      const records = await journalled(sized.journal, "'second'", 1);
      expect(records[0]).toMatchObject({ decision: 'blocked', rule: 'pending-approvals-limit' });
    } finally {
      await client.end();
    }
  });
});

describe('statement limits (MySQL)', () => {
  let rated: MysqlHarness;
  let sized: MysqlHarness;
  beforeAll(async () => {
    rated = await startMysqlHarness({ db: mariadb, limitsYaml: RATE_LIMITS });
    sized = await startMysqlHarness({
      db: mariadb,
      limitsYaml: SIZE_AND_APPROVAL_LIMITS,
      policyYaml: TICKET_POLICY,
    });
    const setup = await mysql.createConnection(sized.options());
    await setup.query('CREATE TABLE notes (id int, body text)');
    await setup.end();
  });
  afterAll(async () => {
    await Promise.all([rated?.close(), sized?.close()]);
  });

  it('refuses statements over the identity rate with 1226, across its sessions, and journals them', async () => {
    const first = await mysql.createConnection(rated.options());
    const second = await mysql.createConnection(rated.options());
    try {
      for (let n = 1; n <= 3; n += 1) await first.query(`SELECT ${n} /* rate-check */`);
      const refused = await mysqlError(second.query('SELECT 4 /* rate-check */'));
      expect(refused.errno).toBe(1226);
      expect(refused.sqlState).toBe('42000');
      expect(refused.message).toBe(RATE_MESSAGE);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const [rows] = await second.query('SELECT 5 AS five /* rate-check */');
      expect(rows).toEqual([{ five: 5 }]);
      const records = await journalled(rated.journal, 'rate-check', 5);
      expect(records.filter((record) => record.decision === 'blocked')).toEqual([
        expect.objectContaining({ statement: 'SELECT 4 /* rate-check */', rule: 'rate-limit' }),
      ]);
    } finally {
      await first.end();
      await second.end();
    }
  });

  it('refuses an oversized statement with 1153, as a query, and as a prepare, and the session goes on', async () => {
    const connection = await mysql.createConnection(sized.options());
    try {
      const refused = await mysqlError(connection.query(LONG_STATEMENT));
      expect(refused.errno).toBe(1153);
      expect(refused.message).toBe(SIZE_MESSAGE);
      const prepared = await mysqlError(connection.execute(`${LONG_STATEMENT} WHERE ? = 1`, [1]));
      expect(prepared.errno).toBe(1153);
      const [rows] = await connection.query('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
      const records = await journalled(sized.journal, "SELECT 'xxx", 2);
      expect(records[0]).toMatchObject({ decision: 'blocked', rule: 'statement-size-limit' });
      expect(records[0]?.statement.length).toBeLessThan(1100);
    } finally {
      await connection.end();
    }
  });

  it('refuses a new approval request over the pending limit with 1226, without filing it', async () => {
    const connection = await mysql.createConnection(sized.options());
    try {
      const ticket = await mysqlError(connection.query("INSERT INTO notes VALUES (1, 'first')"));
      expect(ticket.message).toMatch(/^sluice: approval required: request /);
      const refused = await mysqlError(connection.query("INSERT INTO notes VALUES (2, 'second')"));
      expect(refused.errno).toBe(1226);
      expect(refused.message).toBe(PENDING_MESSAGE);
      expect(sized.gateway.control.approvals.list({ state: 'pending' })).toHaveLength(1);
      const records = await journalled(sized.journal, "'second'", 1);
      expect(records[0]).toMatchObject({ decision: 'blocked', rule: 'pending-approvals-limit' });
    } finally {
      await connection.end();
    }
  });
});
