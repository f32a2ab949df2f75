import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ScratchPostgres, scratchDir, startPostgres } from '@sluice/testkit';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, sluice, startCli } from './support/cli.js';

let pgServer: ScratchPostgres;
let gateway: RunningGateway;
let dir: string;
let config: string;
let journal: string;
const env = (): NodeJS.ProcessEnv => ({ ORDERS_DB_PASSWORD: pgServer.rolePassword });

beforeAll(async () => {
  pgServer = await startPostgres();
  dir = scratchDir('sluice-cli-');
  config = join(dir, 'sluice.yaml');
  journal = join(dir, 'sluice.db');
  writeFileSync(
    config,
    `journal:
  path: ./sluice.db
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:0
    upstream: postgres://${pgServer.roles.scram}@127.0.0.1:${pgServer.port}/${pgServer.database}
    upstream_password: \${ORDERS_DB_PASSWORD}
`,
  );
  gateway = await startCli(config, 1, env());
});
afterAll(async () => {
  gateway?.process.kill('SIGKILL');
  await pgServer?.stop();
});

async function addAgent(name: string, group: string): Promise<string> {
  const added = await sluice(['agents', 'add', name, '--group', group, '--config', config, '--json'], env());
  expect(added.code).toBe(0);
  return (JSON.parse(added.stdout) as { secret: string }).secret;
}

describe('sluice agents and sluice audit against a running gateway', () => {
  const statementCount = 25;

  it('creates an agent whose secret works at once, and journals every statement with its identity', async () => {
    const secret = await addAgent('etl-job', 'ci');
    expect(secret).toMatch(/^sluice_[A-Za-z0-9_-]{43}$/);
    const port = gateway.ports.get('orders');
    const client = new pg.Client({ connectionString: `postgres://etl-job:${secret}@127.0.0.1:${port}/app` });
    await client.connect();
    for (let i = 0; i < statementCount; i++) await client.query(`SELECT ${i} AS n /* etl ${i} */`);
    await client.query('SELECT $1::text AS t', ['parameterized']);
    await client.end();

    const exported = await sluice([
      'audit',
      'export',
      '--format',
      'jsonl',
      '--identity',
      'etl-job',
      '--journal',
      journal,
    ]);
    expect(exported.code).toBe(0);
    const records = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(statementCount + 1);
    for (const record of records) {
      expect(record).toMatchObject({
        identity: 'etl-job',
        groups: ['ci'],
        connection: 'orders',
        protocol: 'postgres',
      });
      expect(record).toHaveProperty('client_address');
      expect(record).toHaveProperty('duration_ms');
    }
    expect(records.at(-1)).toMatchObject({
      statement: 'SELECT $1::text AS t',
      parameters: ['parameterized'],
      rows: 1,
    });

    const tail = await sluice(['audit', 'tail', '-n', '4', '--journal', journal]);
    expect(tail.code).toBe(0);
    const lines = tail.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.some((line) => /#\d+ etl-job allowed: SELECT \$1::text AS t$/.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(/session .* ended: client disconnected$/);
  });

  it('exports CSV with a header row', async () => {
    const csv = await sluice(['audit', 'export', '--format', 'csv', '--config', config], env());
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\n')[0]).toMatch(/^id,time,session,identity,/);
  });

  it('lists, rotates and revokes agents, each an account event in the journal', async () => {
    const oldSecret = await addAgent('rotating-bot', 'ci');
    const rotated = await sluice(['agents', 'rotate', 'rotating-bot', '--journal', journal, '--json']);
    const newSecret = (JSON.parse(rotated.stdout) as { secret: string }).secret;
    expect(newSecret).not.toBe(oldSecret);
    const port = gateway.ports.get('orders');
    await expect(
      new pg.Client({
        connectionString: `postgres://rotating-bot:${oldSecret}@127.0.0.1:${port}/app`,
      }).connect(),
    ).rejects.toMatchObject({ code: '28P01' });

    expect((await sluice(['agents', 'revoke', 'rotating-bot', '--journal', journal])).code).toBe(0);
    const list = await sluice(['agents', 'list', '--journal', journal, '--json']);
    const accounts = JSON.parse(list.stdout) as { name: string; status: string }[];
    expect(accounts.find((a) => a.name === 'rotating-bot')?.status).toBe('revoked');

    const tail = await sluice(['audit', 'tail', '-n', '200', '--journal', journal, '--json']);
    const events = (
      JSON.parse(tail.stdout) as { type: string; payload: { action: string; account: string } }[]
    )
      .filter((e) => e.type === 'account' && e.payload.account === 'rotating-bot')
      .map((e) => e.payload.action);
    expect(events).toEqual(['create', 'rotate', 'revoke']);
    const secretsInJournal = tail.stdout.includes(newSecret) || tail.stdout.includes(oldSecret);
    expect(secretsInJournal).toBe(false);
  });

  it('verifies the chain, and fails after a row is edited in the SQLite file', async () => {
    const intact = await sluice(['audit', 'verify', '--journal', journal]);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/^journal intact: \d+ record/);

    // An attacker with the file can drop whatever guards the table has; the chain must still tell.
    const db = new Database(journal);
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
      name: string;
    }[];
    for (const trigger of triggers) db.exec(`DROP TRIGGER "${trigger.name}"`);
    const row = db.prepare("SELECT seq, payload FROM records WHERE type = 'statement' LIMIT 1").get() as {
      seq: number;
      payload: string;
    };
    db.prepare('UPDATE records SET payload = ? WHERE seq = ?').run(
      row.payload.replace('etl', 'ETL'),
      row.seq,
    );
    db.close();

    const tampered = await sluice(['audit', 'verify', '--journal', journal, '--json']);
    expect(tampered.code).toBe(1);
    const result = JSON.parse(tampered.stdout) as { ok: boolean; problems: { seq: number }[] };
    expect(result.ok).toBe(false);
    expect(result.problems[0]?.seq).toBe(row.seq);
  });

  it('drains on SIGTERM: running statements finish, then the process exits 0', async () => {
    const secret = await addAgent('slow-bot', 'ci');
    const port = gateway.ports.get('orders');
    const client = new pg.Client({ connectionString: `postgres://slow-bot:${secret}@127.0.0.1:${port}/app` });
    await client.connect();
    client.on('error', () => undefined);
    const running = client.query('SELECT pg_sleep(0.5), 1 AS finished');
    await new Promise((resolve) => setTimeout(resolve, 100));
    gateway.process.kill('SIGTERM');
    expect((await running).rows[0].finished).toBe(1);
    expect(await gateway.exited).toBe(0);
    expect(gateway.logs.some((entry) => entry.msg === 'gateway stopped')).toBe(true);
  });
});

describe('sluice check', () => {
  it('lists every problem with file:line and exits 1', async () => {
    const bad = join(scratchDir('sluice-check-'), 'bad.yaml');
    writeFileSync(
      bad,
      `connections:
  orders:
    protocol: postgres
    listen: not-an-address
    upstream: mysql://u@h/db
    policy: missing
`,
    );
    const result = await sluice(['check', '--config', bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.yaml:4:\d+ connections\.orders\.listen: /);
    expect(result.stderr).toMatch(/bad\.yaml:5:\d+ connections\.orders\.upstream: /);
    expect(result.stderr).toMatch(/bad\.yaml:6:\d+ connections\.orders\.policy: /);
  });

  it('accepts a good config', async () => {
    const result = await sluice(['check', '--config', config], { ORDERS_DB_PASSWORD: 'x' });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('ok (1 connection(s)');
  });
});
