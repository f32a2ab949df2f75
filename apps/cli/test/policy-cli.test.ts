import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '@sluice/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { sluice } from './support/cli.js';

let config: string;
beforeAll(() => {
  const dir = scratchDir('sluice-policy-');
  config = join(dir, 'sluice.yaml');
  writeFileSync(
    config,
    `journal: { path: ./sluice.db }
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:6432
    upstream: postgres://svc@127.0.0.1:5432/orders
    policy: agents
  billing:
    protocol: mysql
    listen: 127.0.0.1:6033
    upstream: mysql://svc@127.0.0.1:3306/billing
    policy: agents
policies:
  agents:
    guardrails: strict
    rules:
      - name: ci-may-insert
        match: { groups: [ci], kind: [insert] }
        action: allow
      - name: writes-need-approval
        match: { kind: [insert, update, delete] }
        action: approve
      - name: no-payroll
        match: { tables: [payroll.*] }
        action: block
    default: allow
`,
  );
});

interface Report {
  decision: string;
  rule: string;
  reason: string;
  statements: {
    kind: string;
    tables_read: string[];
    tables_written: string[];
    lineage?: { column: string; sources: string[] }[];
  }[];
}

async function policyTest(args: string[]): Promise<Report> {
  const result = await sluice(['policy', 'test', '--config', config, '--json', ...args]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Report;
}

describe('sluice policy test', () => {
  it('explains a guardrail block for a Postgres statement', async () => {
    const report = await policyTest([
      '--as',
      'ci-bot',
      '--group',
      'ci',
      '--connection',
      'orders',
      'DELETE FROM t',
    ]);
    expect(report).toMatchObject({ decision: 'block', rule: 'guardrail:unbounded-write' });
    expect(report.statements[0]).toMatchObject({ kind: 'delete', tables_written: ['t'] });
  });

  it('takes --group repeated, right before the statement', async () => {
    const insert = 'INSERT INTO invoices (id) VALUES (1)';
    const report = await policyTest([
      '--as',
      'bot',
      '--connection',
      'billing',
      '--group',
      'x',
      '--group',
      'ci',
      insert,
    ]);
    expect(report).toMatchObject({ decision: 'allow', rule: 'ci-may-insert' });
    expect(report.statements[0]).toMatchObject({ kind: 'insert' });
  });

  it('names LOAD DATA as the caller wrote it, not as the COPY it is analysed as', async () => {
    const load = "LOAD DATA INFILE '/etc/passwd' INTO TABLE invoices";
    expect(await policyTest(['--as', 'bot', '--connection', 'billing', load])).toMatchObject({
      decision: 'block',
      rule: 'guardrail:file-access',
      reason: 'LOAD DATA reads a file into the database',
    });
  });

  it('explains the guardrails that protect other sessions, on both connections', async () => {
    const cases = [
      ['orders', 'SELECT pg_terminate_backend(4242)', 'guardrail:other-sessions'],
      ['orders', 'LOCK TABLE invoices', 'guardrail:blocking-lock'],
      ['orders', 'VACUUM FULL invoices', 'guardrail:table-rewrite'],
      ['orders', 'SELECT pg_sleep(3600)', 'guardrail:unbounded-work'],
      ['orders', 'SET default_transaction_read_only = off', 'guardrail:loosened-setting'],
      ['orders', 'SET search_path = payroll', 'guardrail:search-path'],
      ['billing', 'KILL 42', 'guardrail:other-sessions'],
      ['billing', 'LOCK TABLES invoices WRITE', 'guardrail:blocking-lock'],
    ] as const;
    for (const [connection, sql, rule] of cases)
      expect(await policyTest(['--as', 'bot', '--connection', connection, sql]), sql).toMatchObject({
        decision: 'block',
        rule,
      });
    expect(
      await policyTest([
        '--as',
        'bot',
        '--connection',
        'orders',
        'SELECT pg_cancel_backend(pg_backend_pid())',
      ]),
    ).toMatchObject({ decision: 'allow' });
  });

  it('applies rules in order for a MySQL statement', async () => {
    const insert = 'INSERT INTO invoices (id) VALUES (1)';
    expect(
      await policyTest(['--as', 'ci-bot', '--group', 'ci', '--connection', 'billing', insert]),
    ).toMatchObject({
      decision: 'allow',
      rule: 'ci-may-insert',
    });
    expect(await policyTest(['--as', 'analyst', '--connection', 'billing', insert])).toMatchObject({
      decision: 'approve',
      rule: 'writes-need-approval',
    });
    const hidden = '/*!50000 DROP TABLE invoices */';
    expect(await policyTest(['--as', 'analyst', '--connection', 'billing', hidden])).toMatchObject({
      decision: 'block',
      rule: 'guardrail:ddl',
    });
  });

  it('shows lineage of output columns', async () => {
    const report = await policyTest([
      '--as',
      'analyst',
      '--connection',
      'orders',
      'SELECT upper(u.email) AS e, u.id FROM users u WHERE u.id = 1',
    ]);
    expect(report.decision).toBe('allow');
    expect(report.statements[0]?.lineage).toEqual([
      expect.objectContaining({ column: 'e', sources: ['users.email'] }),
      expect.objectContaining({ column: 'id', sources: ['users.id'] }),
    ]);
  });

  it('prints a readable explanation without --json', async () => {
    const result = await sluice([
      'policy',
      'test',
      '--config',
      config,
      '--as',
      'x',
      'SELECT * FROM payroll.salaries',
    ]);
    expect(result.stdout).toMatch(/^decision: block\nrule: +no-payroll\nreason: /);
    expect(result.stdout).toContain('payroll.salaries (read)');
  });
});
