import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, type ScratchPostgres, scratchDir, startPostgres } from '@sluice/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, type RunningGateway, sluice, startCli } from './support/cli.js';

const TOKEN = 'cli-test-admin-token';
let pgServer: ScratchPostgres;
let gateway: RunningGateway;
let config: string;
let url: string;
const env = (): NodeJS.ProcessEnv => ({ ORDERS_DB_PASSWORD: pgServer.rolePassword, ADMIN_TOKEN: TOKEN });
const api = (): string[] => ['--url', url, '--token', TOKEN];

beforeAll(async () => {
  pgServer = await startPostgres();
  const dir = scratchDir('sluice-admin-cli-');
  config = join(dir, 'sluice.yaml');
  const adminPort = await freePort();
  writeFileSync(
    config,
    `journal:
  path: ./sluice.db
admin:
  listen: 127.0.0.1:${adminPort}
  token: \${ADMIN_TOKEN}
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:0
    upstream: postgres://${pgServer.roles.scram}@127.0.0.1:${pgServer.port}/${pgServer.database}
    upstream_password: \${ORDERS_DB_PASSWORD}
`,
  );
  gateway = await startCli(config, 1, env());
  const deadline = Date.now() + 10_000;
  while (!gateway.logs.some((entry) => entry.msg === 'admin API ready')) {
    if (Date.now() > deadline) throw new Error('the admin API did not start');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  url = String(gateway.logs.find((entry) => entry.msg === 'admin API ready')?.url);
  expect(url).toBe(`http://127.0.0.1:${adminPort}`);
});

afterAll(async () => {
  gateway?.process.kill('SIGKILL');
  await pgServer?.stop();
});

describe('sluice commands over the admin API', () => {
  it('adds an agent through the API named by --config, whose secret logs in at once', async () => {
    const added = await sluice(
      ['agents', 'add', 'cli-bot', '--group', 'ci', '--config', config, '--json'],
      env(),
    );
    expect(added.stderr).toBe('');
    const { secret } = JSON.parse(added.stdout) as { secret: string };
    const port = gateway.ports.get('orders');
    const client = new pg.Client({ connectionString: `postgres://cli-bot:${secret}@127.0.0.1:${port}/app` });
    await client.connect();
    const listed = await sluice(['sessions', 'list', ...api(), '--json']);
    const sessions = JSON.parse(listed.stdout) as { id: string; identity: string }[];
    expect(sessions.map((session) => session.identity)).toEqual(['cli-bot']);
    expect((await sluice(['sessions', 'list', ...api()])).stdout).toMatch(/^ID\s+IDENTITY/);
    const ended = new Promise((resolve) => client.once('end', resolve));
    client.on('error', () => undefined);
    const killed = await sluice(['sessions', 'kill', sessions[0]!.id, '--reason', 'test', ...api()]);
    expect(killed).toMatchObject({ code: 0, stdout: `killed session ${sessions[0]!.id}\n` });
    await ended;
    const agents = await sluice(['agents', 'list', '--url', url, '--json'], { SLUICE_ADMIN_TOKEN: TOKEN });
    expect((JSON.parse(agents.stdout) as { name: string }[]).map((each) => each.name)).toContain('cli-bot');
  });

  it('requests a grant as an agent, watches, shows, approves it, and lists the grant', async () => {
    const added = await sluice(['agents', 'add', 'asker', ...api(), '--json']);
    const { secret } = JSON.parse(added.stdout) as { secret: string };
    const watcher = spawn(process.execPath, [CLI, 'approvals', 'watch', ...api(), '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    createInterface({ input: watcher.stdout }).on('line', (line) => lines.push(line));
    const requested = await sluice(
      [
        'grants',
        'request',
        '--agent',
        'asker',
        '--url',
        url,
        '--connection',
        'orders',
        '--allow',
        'write',
        '--for',
        '15m',
        '--reason',
        'fix',
        '--json',
      ],
      { SLUICE_AGENT_SECRET: secret },
    );
    expect(requested.stderr).toBe('');
    const { id } = JSON.parse(requested.stdout) as { id: string };
    const shown = await sluice(['approvals', 'show', id, ...api()]);
    expect(shown.stdout).toContain('asks for:   grant write on orders for 15m');
    const listed = await sluice(['approvals', 'list', '--state', 'pending', ...api()]);
    expect(listed.stdout).toContain(id);
    const approved = await sluice(['approvals', 'approve', id, ...api()]);
    expect(approved).toMatchObject({ code: 0, stdout: `approved ${id} (admin-token)\n` });
    const grants = JSON.parse((await sluice(['grants', 'list', ...api(), '--json'])).stdout) as {
      request: string;
    }[];
    expect(grants.map((grant) => grant.request)).toContain(id);
    const deadline = Date.now() + 5000;
    while (!lines.some((line) => line.includes('"approved"')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    watcher.kill('SIGINT');
    const actions = lines.map((line) => JSON.parse(line) as { action: string; request: { id: string } });
    const seen = actions.filter((each) => each.request.id === id).map((each) => each.action);
    // A watcher that connects after the request sees it as `pending` in the stream's opening list.
    expect([
      ['requested', 'approved'],
      ['pending', 'approved'],
    ]).toContainEqual(seen);
  });

  it('adds and revokes a grant, and refuses bad input with one line', async () => {
    const added = await sluice([
      'grants',
      'add',
      '--identity',
      'cli-bot',
      '--connection',
      'orders',
      '--allow',
      'write',
      '--allow',
      'ddl',
      '--tables',
      'orders,items',
      '--for',
      '30m',
      '--reason',
      'migration',
      ...api(),
      '--json',
    ]);
    const grant = JSON.parse(added.stdout) as { id: string; allow: string[]; tables: string[] };
    expect(grant).toMatchObject({ allow: ['write', 'ddl'], tables: ['orders', 'items'] });
    expect((await sluice(['grants', 'revoke', grant.id, ...api()])).stdout).toBe(`revoked ${grant.id}\n`);
    const again = await sluice(['grants', 'revoke', grant.id, ...api()]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`sluice: grant ${grant.id} is revoked already\n`);
    const denied = await sluice(['approvals', 'deny', 'apr-none', '--reason', 'x', ...api()]);
    expect(denied.stderr).toBe('sluice: no approval request apr-none\n');
    const badToken = await sluice(['grants', 'list', '--url', url, '--token', 'wrong']);
    expect(badToken).toMatchObject({ code: 1, stderr: 'sluice: invalid admin token\n' });
  });

  it('says in one line when the admin API cannot be reached', async () => {
    const port = await freePort();
    const result = await sluice(['approvals', 'list', '--url', `http://127.0.0.1:${port}`, '--token', TOKEN]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^sluice: cannot reach the admin API at http://127.0.0.1:${port}: .*ECONNREFUSED.*\\n$`),
    );
    const none = await sluice(['sessions', 'list'], { SLUICE_ADMIN_URL: '' });
    expect(none.stderr).toContain('sluice: no admin API given');
  });
});
