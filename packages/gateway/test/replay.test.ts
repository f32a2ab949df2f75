import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approver, pendingRequest } from './support/approvals.js';
import { type Harness, startHarness } from './support/harness.js';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

const POLICY = `    guardrails: strict
    rules:
      - name: updates-need-approval
        match: { kind: [update] }
        action: approve
    masking:
      columns:
        - { match: "*.email", strategy: email }`;

let h: Harness;
let m: MysqlHarness;
beforeAll(async () => {
  [h, m] = await Promise.all([
    startHarness({ policyYaml: POLICY }),
    startMysqlHarness({ policyYaml: POLICY }),
  ]);
  await h.pg.psql(
    `CREATE TABLE people (id int, email text); GRANT ALL ON people TO PUBLIC;
     INSERT INTO people SELECT g, 'person' || g || '@example.com' FROM generate_series(1, 30) g;`,
  );
  await m.db.sql(
    `CREATE TABLE people (id INT, email VARCHAR(64));
     INSERT INTO people VALUES (1, 'ann@example.com'), (2, 'bob@example.com');`,
  );
});
afterAll(async () => {
  await Promise.all([h?.close(), m?.close()]);
});

const sessionOf = (journal: Harness['journal'], marker: string): string => {
  const statement = [...journal.statements()].find((s) => s.statement.includes(marker));
  if (!statement) throw new Error(`no statement with ${marker}`);
  return statement.session;
};

describe('session replay', () => {
  it('shows a PostgreSQL session as it happened: masked recorded rows, the approver and the wait', async () => {
    const client = new pg.Client({ connectionString: h.url() });
    await client.connect();
    let requestId = '';
    try {
      await client.query('SELECT id, email FROM people ORDER BY id /* replay-pg */');
      await client.query('SELECT id, email FROM people WHERE id = $1', [3]);
      const update = client.query("UPDATE people SET email = 'x@example.com' WHERE id = 1");
      const request = await pendingRequest(h.gateway.control, /UPDATE people/);
      requestId = request.id;
      h.gateway.control.approvals.approve(request.id, approver('alice'));
      await update;
      await expect(client.query('DROP TABLE people')).rejects.toThrow(/blocked/);
    } finally {
      await client.end();
    }
    const session = sessionOf(h.journal, 'replay-pg');
    await expect.poll(() => h.journal.sessionTimeline(session).ended).not.toBeNull();
    const timeline = h.journal.sessionTimeline(session);
    expect(timeline.started?.details).toMatchObject({ identity: h.agent.name, protocol: 'postgres' });
    const [select, prepared, update, drop] = timeline.statements;
    expect(select?.rows).toBe(30);
    expect(select?.recorded_rows?.columns).toEqual(['id', 'email']);
    expect(select?.recorded_rows?.rows).toHaveLength(20);
    expect(select?.recorded_rows?.rows[0]).toEqual(['1', 'p***@example.com']);
    expect(JSON.stringify(timeline)).not.toContain('person1@example.com');
    expect(prepared?.recorded_rows?.rows).toEqual([['3', 'p***@example.com']]);
    expect(update).toMatchObject({ decision: 'approved', approver: 'alice' });
    expect(update?.approval).toMatchObject({ request: requestId, outcome: 'approved', approvers: ['alice'] });
    expect(update?.approval?.waited_ms).toBeGreaterThanOrEqual(0);
    expect(drop).toMatchObject({ decision: 'blocked', rule: 'guardrail:ddl' });
  });

  it('records MySQL rows from text and binary results, masked', async () => {
    const connection = await mysql.createConnection(m.options(m.agent.name, m.agent.secret));
    try {
      await connection.query('SELECT id, email FROM people ORDER BY id /* replay-my */');
      await connection.execute('SELECT id, email FROM people WHERE id = ?', [2]);
    } finally {
      await connection.end();
    }
    const session = sessionOf(m.journal, 'replay-my');
    await expect.poll(() => m.journal.sessionTimeline(session).ended).not.toBeNull();
    const statements = m.journal
      .sessionTimeline(session)
      .statements.filter((s) => s.statement.includes('people'));
    expect(statements.map((s) => s.recorded_rows)).toEqual([
      {
        columns: ['id', 'email'],
        rows: [
          ['1', 'a***@example.com'],
          ['2', 'b***@example.com'],
        ],
      },
      { columns: ['id', 'email'], rows: [['2', 'b***@example.com']] },
    ]);
  });
});
