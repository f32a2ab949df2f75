import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '@sluice/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdminHarness } from './support/admin-harness.js';

let h: AdminHarness;
let sessionId: string;

beforeAll(async () => {
  const consoleDir = scratchDir('sluice-console-files-');
  mkdirSync(join(consoleDir, 'assets'));
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>Sluice console</title>');
  writeFileSync(join(consoleDir, 'assets/index-abc.js'), 'console.log("console");');
  h = await startAdminHarness({
    consoleDir,
    policyYaml: `    rules:
      - name: payroll-is-off-limits
        match: { tables: [payroll] }
        action: block`,
  });
  await h.pg.psql(
    'CREATE TABLE orders (id int, item text); CREATE TABLE payroll (id int); GRANT ALL ON orders, payroll TO PUBLIC;',
  );
  const client = new pg.Client({ connectionString: h.pgUrl() });
  await client.connect();
  await client.query("INSERT INTO orders VALUES (1, 'one')");
  await client.query('SELECT item FROM orders');
  await client.query('SELECT * FROM payroll').catch(() => undefined);
  await client.end();
  sessionId = (await h.api('GET', '/api/sessions/history')).body[0].session;
});

afterAll(async () => {
  await h?.close();
});

describe('the console’s files', () => {
  it('serves index.html at / and for page paths, assets with their type, no script from elsewhere', async () => {
    for (const path of ['/', '/sessions', '/journal']) {
      const response = await fetch(`${h.admin.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await response.text()).toContain('<title>Sluice console</title>');
    }
    const asset = await fetch(`${h.admin.url}/assets/index-abc.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('never serves a file outside the folder; a missing file and an unknown API route get 404', async () => {
    expect((await fetch(`${h.admin.url}/assets/missing.js`)).status).toBe(404);
    const outside = await fetch(`${h.admin.url}/..%2f..%2f..%2f..%2fetc%2fpasswd`);
    expect(await outside.text()).not.toContain('root:');
    expect((await fetch(`${h.admin.url}/..%2f..%2f..%2f..%2fetc%2fhost.conf`)).status).toBe(404);
    expect(await h.api('GET', '/api/nothing')).toMatchObject({
      status: 404,
      body: { error: 'sluice: no route GET /api/nothing' },
    });
  });
});

describe('journal, replay and overview routes', () => {
  it('searches statements newest first with filters the store does not index, a page at a time', async () => {
    const blocked = await h.api('GET', '/api/journal/statements?decision=blocked&table=payroll');
    expect(blocked.status).toBe(200);
    expect(blocked.body.records.map((record: { statement: string }) => record.statement)).toEqual([
      'SELECT * FROM payroll',
    ]);
    const all = await h.api('GET', '/api/journal/statements?limit=1&group=ci');
    expect(all.body.records).toHaveLength(1);
    expect(all.body.records[0].statement).toBe('SELECT * FROM payroll');
    const older = await h.api(
      'GET',
      `/api/journal/statements?limit=1&group=ci&before=${all.body.next_before}`,
    );
    expect(older.body.records[0].statement).toBe('SELECT item FROM orders');
    const text = await h.api('GET', '/api/journal/statements?text=insert%20into&kind=insert');
    expect(text.body.records).toHaveLength(1);
    const none = await h.api(
      'GET',
      `/api/journal/statements?until=${encodeURIComponent('2000-01-01T00:00:00Z')}`,
    );
    expect(none.body).toMatchObject({ records: [], next_before: null });
    expect((await h.api('GET', '/api/journal/statements?decision=maybe')).body.error).toMatch(
      /is not a decision/,
    );
  });

  it('verifies the chain and names its head', async () => {
    const reply = await h.api('GET', '/api/journal/verify');
    expect(reply.body).toMatchObject({ ok: true, problems: [] });
    expect(reply.body.head_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists past sessions and replays one', async () => {
    const found = await h.api('GET', '/api/sessions/history?text=ci-bot');
    expect(found.body[0]).toMatchObject({ identity: 'ci-bot', connection: 'orders', statements: 3 });
    const replay = await h.api('GET', `/api/sessions/${sessionId}/replay`);
    expect(replay.body.statements.map((each: { decision: string }) => each.decision)).toEqual([
      'allowed',
      'allowed',
      'blocked',
    ]);
    expect(replay.body.statements[1].recorded_rows).toEqual({ columns: ['item'], rows: [['one']] });
    expect(replay.body.ended.reason).toBeTruthy();
  });

  it('sums up the day and tells a person their roles; an auditor may read, a stranger may not', async () => {
    const overview = await h.api('GET', '/api/overview?hours=3');
    expect(overview.body.hours).toHaveLength(3);
    expect(overview.body).toMatchObject({
      blocked_today: 1,
      pending_approvals: 0,
      top_identities: [{ identity: 'ci-bot', statements: 3 }],
    });
    expect(overview.body.hours.at(-1).counts).toMatchObject({ allowed: 2, blocked: 1 });
    const auditor = `Bearer ${await h.jwt('carol', ['audit'])}`;
    expect(await h.api('GET', '/api/whoami', { auth: auditor })).toMatchObject({
      status: 200,
      body: { name: 'carol', via: 'oidc', roles: ['auditor'] },
    });
    expect((await h.api('GET', '/api/journal/statements', { auth: auditor })).status).toBe(200);
    const stranger = `Bearer ${await h.jwt('mallory')}`;
    expect((await h.api('GET', '/api/journal/statements', { auth: stranger })).status).toBe(403);
    expect((await h.api('GET', `/api/sessions/${sessionId}/replay`, { auth: stranger })).status).toBe(403);
  });
});
