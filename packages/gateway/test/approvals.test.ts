import { Journal } from '@sluice/journal';
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { approver, pendingRequest, stillPending } from './support/approvals.js';
import { type Harness, startHarness } from './support/harness.js';

const POLICY = `    guardrails: standard
    rules:
      - name: audited-needs-two
        match: { tables: [audited] }
        action: approve
        approval: { min_approvals: 2 }
      - name: updates-need-approval
        match: { kind: [update] }
        action: approve
      - name: deletes-wait-briefly
        match: { kind: [delete] }
        action: approve
        approval: { timeout: 1s }
      - name: inserts-by-ticket
        match: { kind: [insert] }
        action: approve
        approval: { mode: ticket }`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ policyYaml: POLICY });
  await h.pg.psql(
    `CREATE TABLE orders (id int PRIMARY KEY, item text); CREATE TABLE audited (id int, note text);
     GRANT ALL ON orders, audited TO PUBLIC;`,
  );
});
afterAll(() => h?.close());
beforeEach(async () => {
  await h.pg.psql(
    "TRUNCATE orders, audited; INSERT INTO orders VALUES (1, 'one'), (2, 'two'), (3, 'three');",
  );
});

async function connect(): Promise<{ client: pg.Client; notices: string[] }> {
  const client = new pg.Client({ connectionString: h.url() });
  const notices: string[] = [];
  client.on('notice', (notice) => notices.push(notice.message ?? ''));
  await client.connect();
  return { client, notices };
}

const itemOf = (id: number): Promise<string> => h.pg.psql(`SELECT item FROM orders WHERE id = ${id}`);
const alice = approver('alice');
const bob = approver('bob');

describe('holding a PostgreSQL statement for approval', () => {
  it('holds a simple-protocol UPDATE, tells the client why, and runs it once approved', async () => {
    const { client, notices } = await connect();
    try {
      const running = client.query("UPDATE orders SET item = 'held' WHERE id = 1");
      const request = await pendingRequest(h.gateway.control, /SET item = 'held'/);
      expect(await stillPending(running)).toBe(true);
      expect(await itemOf(1)).toBe('one');
      expect(notices.join('\n')).toContain(`sluice: waiting for approval ${request.id}`);
      expect(request).toMatchObject({
        identity: h.agent.name,
        connection: 'orders',
        rule: 'updates-need-approval',
      });
      // The planner's estimate joins the request for the approver, from EXPLAIN on Sluice's own connection.
      await expect
        .poll(() => {
          const subject = h.gateway.control.approvals.get(request.id)?.subject;
          return subject?.kind === 'statement' ? subject.estimatedRows : undefined;
        })
        .toBe(1);
      expect(h.gateway.control.sessions.list()).toContainEqual(
        expect.objectContaining({ state: 'held', heldBy: request.id }),
      );
      h.gateway.control.approvals.approve(request.id, alice);
      expect((await running).rowCount).toBe(1);
      expect(await itemOf(1)).toBe('held');
      expect((await client.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    } finally {
      await client.end();
    }
    const record = [...h.journal.statements()].find((s) => s.statement.includes("SET item = 'held'"));
    expect(record).toMatchObject({
      decision: 'approved',
      approver: 'alice',
      rule: 'updates-need-approval',
      rows: 1,
    });
  });

  it('answers a denial with who denied it and why, leaving a transaction failed as an error would', async () => {
    const { client } = await connect();
    try {
      await client.query('BEGIN');
      const running = client.query("UPDATE orders SET item = 'denied' WHERE id = 2");
      const request = await pendingRequest(h.gateway.control, /'denied'/);
      h.gateway.control.approvals.deny(request.id, alice, 'not during the freeze');
      await expect(running).rejects.toMatchObject({
        code: '42501',
        message: 'sluice: approval denied by alice: not during the freeze',
      });
      await expect(client.query('SELECT 1')).rejects.toMatchObject({ code: '25P02' });
      await client.query('ROLLBACK');
      expect((await client.query('SELECT 2 AS ok')).rows).toEqual([{ ok: 2 }]);
    } finally {
      await client.end();
    }
    expect(await itemOf(2)).toBe('two');
    const record = [...h.journal.statements()].find((s) => s.statement.includes("'denied'"));
    expect(record).toMatchObject({ decision: 'denied', approver: 'alice' });
  });

  it('times a request out at its rule timeout and keeps the session usable', async () => {
    const { client } = await connect();
    try {
      const started = Date.now();
      await expect(client.query('DELETE FROM orders WHERE id = 3')).rejects.toMatchObject({
        code: '42501',
        message: 'sluice: approval timed out after 1s',
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect((await client.query('SELECT count(*)::int AS n FROM orders')).rows).toEqual([{ n: 3 }]);
    } finally {
      await client.end();
    }
    const record = [...h.journal.statements()].find((s) => s.statement === 'DELETE FROM orders WHERE id = 3');
    expect(record?.decision).toBe('expired');
  });

  it('needs two different approvers where the rule says so, and never the requester', async () => {
    const { client } = await connect();
    try {
      const running = client.query("UPDATE audited SET note = 'x' WHERE id = 1");
      const request = await pendingRequest(h.gateway.control, /UPDATE audited/);
      expect(() =>
        h.gateway.control.approvals.approve(request.id, approver(h.agent.name, ['admin'])),
      ).toThrow(/own request/);
      h.gateway.control.approvals.approve(request.id, alice);
      expect(await stillPending(running)).toBe(true);
      h.gateway.control.approvals.approve(request.id, bob);
      expect((await running).rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('withdraws the request when the client cancels the held statement', async () => {
    const sql = postgres(h.url(), { max: 1, onnotice: () => undefined });
    try {
      const running = sql`UPDATE orders SET item = 'cancelled' WHERE id = 1`;
      const settled = running.catch((error: unknown) => error);
      const request = await pendingRequest(h.gateway.control, /'cancelled'/);
      running.cancel();
      expect(await settled).toMatchObject({ code: '57014' });
      expect(h.gateway.control.approvals.get(request.id)?.state).toBe('withdrawn');
      expect(await sql`SELECT 1 AS ok`).toEqual([{ ok: 1 }]);
    } finally {
      await sql.end();
    }
    expect(await itemOf(1)).toBe('one');
  });

  it('withdraws the request when the client disconnects', async () => {
    const { client } = await connect();
    const running = client.query("UPDATE orders SET item = 'gone' WHERE id = 1").catch(() => undefined);
    const request = await pendingRequest(h.gateway.control, /'gone'/);
    await client.end();
    await running;
    await expect.poll(() => h.gateway.control.approvals.get(request.id)?.state).toBe('withdrawn');
    expect(await itemOf(1)).toBe('one');
  });
});

describe('holding pipelined extended-protocol statements (postgres.js)', () => {
  it('holds the statement and everything pipelined after it, then answers each in order', async () => {
    const sql = postgres(h.url(), { max: 1, prepare: true, onnotice: () => undefined });
    try {
      const batch = Promise.all([
        sql`SELECT ${1}::int AS before`,
        sql`UPDATE orders SET item = ${'pipelined'} WHERE id = ${2}`,
        sql`SELECT item FROM orders WHERE id = ${2}`,
      ]);
      const request = await pendingRequest(h.gateway.control, /UPDATE orders SET item = \$1/);
      expect(request.subject).toMatchObject({ parameters: ['pipelined', '2'] });
      await expect
        .poll(() => {
          const subject = h.gateway.control.approvals.get(request.id)?.subject;
          return subject?.kind === 'statement' ? subject.estimatedRows : undefined;
        })
        .toBe(1);
      expect(await stillPending(batch)).toBe(true);
      h.gateway.control.approvals.approve(request.id, alice);
      const [before, update, after] = await batch;
      expect(before).toEqual([{ before: 1 }]);
      expect(update.count).toBe(1);
      expect(after).toEqual([{ item: 'pipelined' }]);

      const denied = Promise.allSettled([
        sql`UPDATE orders SET item = ${'no'} WHERE id = ${3}`,
        sql`SELECT ${5}::int AS later`,
      ]);
      const second = await pendingRequest(h.gateway.control, /UPDATE orders SET item = \$1/);
      h.gateway.control.approvals.deny(second.id, alice, 'wrong row');
      const [refused, later] = await denied;
      expect(refused).toMatchObject({ status: 'rejected', reason: { code: '42501' } });
      expect(later).toMatchObject({ status: 'fulfilled', value: [{ later: 5 }] });
    } finally {
      await sql.end();
    }
    expect(await itemOf(3)).toBe('three');
  });
});

describe('tickets', () => {
  it('refuses at once with a request id, then runs the identical statement once after approval', async () => {
    const { client } = await connect();
    try {
      const insert = "INSERT INTO orders VALUES (9, 'ticketed')";
      const refusal = await client.query(insert).catch((error: unknown) => error);
      expect(refusal).toMatchObject({ code: '42501' });
      const message = (refusal as Error).message;
      const id = /request (apr-\w+)/.exec(message)?.[1] ?? '';
      expect(message).toBe(
        `sluice: approval required: request ${id}; run the same statement again once it is approved`,
      );
      await expect(client.query(insert)).rejects.toThrow(`request ${id};`);
      h.gateway.control.approvals.approve(id, alice);
      await expect(client.query("INSERT INTO orders VALUES (10, 'other')")).rejects.toThrow(
        /approval required/,
      );
      expect((await client.query(insert)).rowCount).toBe(1);
      await expect(client.query(insert)).rejects.toThrow(/approval required: request (?!${id})/);
    } finally {
      await client.end();
    }
    expect(await itemOf(9)).toBe('ticketed');
  });
});

describe('just-in-time grants', () => {
  it('lets writes through while a grant lasts, and holds them again once it expires mid-session', async () => {
    const { client } = await connect();
    try {
      const grant = h.gateway.control.grants.add(
        {
          identity: h.agent.name,
          group: null,
          connection: 'orders',
          allow: ['write'],
          tables: ['orders'],
          durationMs: 1500,
          reason: 'backfill',
        },
        'alice',
      );
      expect((await client.query("UPDATE orders SET item = 'granted' WHERE id = 1")).rowCount).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1600));
      const running = client.query("UPDATE orders SET item = 'after' WHERE id = 1");
      const request = await pendingRequest(h.gateway.control, /'after'/);
      h.gateway.control.approvals.deny(request.id, alice, 'grant is over');
      await expect(running).rejects.toMatchObject({ code: '42501' });
      const record = [...h.journal.statements()].find((s) => s.statement.includes("'granted'"));
      expect(record).toMatchObject({ decision: 'allowed', rule: `grant:${grant.id}` });
      const grantEvents = h.journal.entriesOfType('grant').filter((entry) => entry.ref === grant.id);
      expect(grantEvents.map((entry) => entry.payload.action)).toEqual(['created', 'used', 'expired']);
    } finally {
      await client.end();
    }
  });
});

describe('held statements at rest', () => {
  it('costs the gateway no busy loop while 50 statements wait, and other sessions run meanwhile', async () => {
    const clients = await Promise.all(Array.from({ length: 50 }, () => connect()));
    try {
      const waits = clients.map(({ client }, i) =>
        client.query(`UPDATE orders SET item = 'wait-${i}' WHERE id = 1`).catch((error: unknown) => error),
      );
      const waiting = () =>
        h.gateway.control.approvals
          .list({ state: 'pending' })
          .filter(
            (request) => request.subject.kind === 'statement' && request.subject.statement.includes("'wait-"),
          );
      await expect.poll(() => waiting().length, { timeout: 10_000 }).toBe(50);
      // Each request's estimate comes from a connection of Sluice's own: measure once they are in.
      const estimated = () =>
        waiting().filter(
          (request) => request.subject.kind === 'statement' && request.subject.estimatedRows !== null,
        );
      await expect.poll(() => estimated().length, { timeout: 20_000 }).toBe(50);
      const before = process.cpuUsage();
      const started = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const { user, system } = process.cpuUsage(before);
      const cpuMs = (user + system) / 1000;
      // Idle but for the test's own timers: far below what a polling loop would burn.
      expect(cpuMs).toBeLessThan(0.2 * (Date.now() - started));
      const other = await connect();
      expect((await other.client.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
      await other.client.end();
      for (const request of waiting()) {
        h.gateway.control.approvals.deny(request.id, alice, 'load test');
      }
      expect(await Promise.all(waits)).toHaveLength(50);
    } finally {
      await Promise.all(clients.map(({ client }) => client.end()));
    }
  });
});

describe('a gateway that stops while statements wait', () => {
  it('expires the pending requests in the journal and tells the waiting client why', async () => {
    const second = await startHarness({ pg: h.pg, policyYaml: POLICY });
    const client = new pg.Client({ connectionString: second.url() });
    client.on('error', () => undefined);
    await client.connect();
    const running = client
      .query("UPDATE orders SET item = 'stopping' WHERE id = 1")
      .catch((error: unknown) => error);
    const request = await pendingRequest(second.gateway.control, /'stopping'/);
    await second.close();
    expect(await running).toMatchObject({
      code: '42501',
      message: `sluice: approval request ${request.id} expired: the gateway stopped before a decision`,
    });
    const journal = Journal.open(second.journalPath, { readonly: true });
    const records = journal.entriesOfType('approval').filter((entry) => entry.ref === request.id);
    journal.close();
    // The planner's estimate may or may not have joined the request before the gateway stopped.
    const actions = records.map((entry) => entry.payload.action).filter((action) => action !== 'estimated');
    expect(actions).toEqual(['requested', 'expired']);
    expect(await itemOf(1)).toBe('one');
    await client.end().catch(() => undefined);
  });
});
