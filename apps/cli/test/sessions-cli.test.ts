import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { grantRecord } from '@sluice/control';
import { Journal } from '@sluice/journal';
import { type ScratchPostgres, scratchDir, startPostgres } from '@sluice/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, sluice, startCli } from './support/cli.js';

let pgServer: ScratchPostgres;
let gateway: RunningGateway;
let config: string;
let journal: string;
const env = (): NodeJS.ProcessEnv => ({ ORDERS_DB_PASSWORD: pgServer.rolePassword });

beforeAll(async () => {
  pgServer = await startPostgres();
  const dir = scratchDir('sluice-sessions-');
  config = join(dir, 'sluice.yaml');
  journal = join(dir, 'sluice.db');
  writeFileSync(
    config,
    `journal:
  path: ./sluice.db
  record_rows: 2
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:0
    upstream: postgres://${pgServer.roles.scram}@127.0.0.1:${pgServer.port}/${pgServer.database}
    upstream_password: \${ORDERS_DB_PASSWORD}
    policy: agents
policies:
  agents:
    guardrails: strict
    rules:
      - name: writes-need-approval
        match: { kind: [insert, update, delete] }
        action: approve
        approval: { mode: ticket }
    masking:
      columns:
        - { match: "*.email", strategy: email }
`,
  );
  await pgServer.psql(
    `CREATE TABLE people (id int, email text); GRANT ALL ON people TO PUBLIC;
     INSERT INTO people VALUES (1, 'ann@example.com'), (2, 'bob@example.com'), (3, 'cy@example.com');`,
  );
  gateway = await startCli(config, 1, env());
});
afterAll(async () => {
  gateway?.process.kill('SIGKILL');
  await pgServer?.stop();
});

describe('sluice sessions replay', () => {
  it('prints a session as a timeline with its masked recorded rows, from the journal file alone', async () => {
    const added = await sluice(['agents', 'add', 'replayed', '--config', config, '--json'], env());
    const { secret } = JSON.parse(added.stdout) as { secret: string };
    const port = gateway.ports.get('orders');
    const client = new pg.Client({ connectionString: `postgres://replayed:${secret}@127.0.0.1:${port}/app` });
    await client.connect();
    await client.query('SELECT id, email FROM people ORDER BY id');
    await client.query('DROP TABLE people').catch(() => undefined);
    await client.end();

    const exported = await sluice(['audit', 'export', '--identity', 'replayed', '--journal', journal]);
    const session = (JSON.parse(exported.stdout.split('\n')[0] ?? '{}') as { session: string }).session;
    gateway.process.kill('SIGTERM');
    await gateway.exited;

    const replay = await sluice(['sessions', 'replay', session, '--journal', journal]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain(`session ${session}: replayed on orders (postgres)`);
    expect(replay.stdout).toMatch(/SELECT id, email FROM people ORDER BY id\n {2}allowed\n {2}3 rows/);
    expect(replay.stdout).toMatch(
      /id +email\n +1 +a\*\*\*@example\.com\n +2 +b\*\*\*@example\.com\n +… 1 more row/,
    );
    expect(replay.stdout).toContain('blocked by guardrail:ddl');
    expect(replay.stdout).toMatch(/ended .*: client disconnected$/m);
    expect(replay.stdout).not.toContain('ann@example.com');

    const json = await sluice(['sessions', 'replay', session, '--journal', journal, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      session,
      statements: [{ rows: 3 }, { decision: 'blocked' }],
    });

    const missing = await sluice(['sessions', 'replay', 'no-such-session', '--journal', journal]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('sluice: no session no-such-session in the journal\n');
  });
});

describe('sluice policy test with grants', () => {
  it('names the grant that allows a write, as a running gateway would apply it', async () => {
    const before = await sluice(
      ['policy', 'test', '--config', config, '--as', 'ci-bot', 'DELETE FROM people WHERE id = 1', '--json'],
      env(),
    );
    expect(JSON.parse(before.stdout)).toMatchObject({
      decision: 'approve',
      rule: 'writes-need-approval',
      grant: null,
    });
    const file = Journal.open(journal);
    const createdAt = new Date();
    const grant = {
      id: 'grt-testgrant',
      identity: 'ci-bot',
      group: null,
      connection: 'orders',
      allow: ['write' as const],
      tables: ['people'],
      reason: 'cleanup',
      createdBy: 'alice',
      createdAt,
      expiresAt: new Date(createdAt.getTime() + 600_000),
      revokedAt: null,
      revokedBy: null,
      requestId: null,
    };
    file.recordEvent('grant', grant.id, { action: 'created', actor: 'alice', ...grantRecord(grant) });
    file.close();
    const after = await sluice(
      ['policy', 'test', '--config', config, '--as', 'ci-bot', 'DELETE FROM people WHERE id = 1', '--json'],
      env(),
    );
    expect(JSON.parse(after.stdout)).toMatchObject({
      decision: 'allow',
      rule: 'grant:grt-testgrant',
      grant: { id: 'grt-testgrant', allow: ['write'], tables: ['people'], created_by: 'alice' },
    });
    const other = await sluice(
      ['policy', 'test', '--config', config, '--as', 'someone-else', 'DELETE FROM people WHERE id = 1'],
      env(),
    );
    expect(other.stdout).toContain('rule:     writes-need-approval');
  });
});
