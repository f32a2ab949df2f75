import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '@sluice/journal';
import { type ScratchPostgres, scratchDir, startPostgres } from '@sluice/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, sluice, startCli } from './support/cli.js';

let pgServer: ScratchPostgres;
let dir: string;
const running: RunningGateway[] = [];
const env = (): NodeJS.ProcessEnv => ({ ORDERS_DB_PASSWORD: pgServer.rolePassword });

beforeAll(async () => {
  pgServer = await startPostgres();
  dir = scratchDir('sluice-signals-');
});
afterAll(async () => {
  for (const gateway of running) gateway.process.kill('SIGKILL');
  await pgServer?.stop();
});

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function configYaml(journal: string, policy: string, listen = '127.0.0.1:0'): string {
  return `journal:
  path: ./${journal}
connections:
  orders:
    protocol: postgres
    listen: ${listen}
    upstream: postgres://${pgServer.roles.scram}@127.0.0.1:${pgServer.port}/${pgServer.database}
    upstream_password: \${ORDERS_DB_PASSWORD}
    policy: agents
policies:
  agents:
${policy}
`;
}

async function start(name: string, policy: string, options: readonly string[] = []) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, configYaml(`${name}.db`, policy));
  // Before the gateway starts: the journal has one writer while it runs.
  const added = await sluice(['agents', 'add', `${name}-bot`, '--config', file, '--json'], env());
  const { secret } = JSON.parse(added.stdout) as { secret: string };
  const gateway = await startCli(file, 1, env(), options);
  running.push(gateway);
  const url = `postgres://${name}-bot:${secret}@127.0.0.1:${gateway.ports.get('orders')}/${pgServer.database}`;
  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };
  return { file, gateway, connect };
}

async function logged(gateway: RunningGateway, msg: string, after = 0): Promise<Record<string, unknown>> {
  for (let tries = 0; tries < 200; tries++) {
    const entry = gateway.logs.slice(after).find((line) => line.msg === msg);
    if (entry) return entry;
    await pause(25);
  }
  throw new Error(`no "${msg}" in the log`);
}

const activeCount = async (marker: string): Promise<number> =>
  Number(
    (
      await pgServer.psql(
        `SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%/* ${marker} */%' AND state = 'active' AND pid <> pg_backend_pid()`,
      )
    ).trim(),
  );

describe('sluice start on SIGTERM under load', () => {
  it('lets running statements finish, refuses new connections, exits 0, and leaves a journal that verifies', async () => {
    const { file, gateway, connect } = await start('drain', '    guardrails: standard', ['--grace', '10s']);
    const clients = await Promise.all([connect(), connect(), connect()]);
    const outcomes = clients.map((client, n) =>
      client.query(`SELECT pg_sleep(1.5), ${n} AS n /* draining */`).then(
        (result) => result.rows[0]?.n as number,
        (error: unknown) => error,
      ),
    );
    for (let tries = 0; (await activeCount('draining')) < clients.length; tries++) {
      expect(tries).toBeLessThan(200);
      await pause(25);
    }
    const signalled = Date.now();
    gateway.process.kill('SIGTERM');
    await logged(gateway, 'draining sessions');
    await pause(100);
    const late = new pg.Client({
      connectionString: `postgres://x:y@127.0.0.1:${gateway.ports.get('orders')}/${pgServer.database}`,
    });
    late.on('error', () => undefined);
    await expect(late.connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await Promise.all(outcomes)).toEqual([0, 1, 2]);
    expect(await gateway.exited).toBe(0);
    // Sessions end as their statements finish: the process does not sit out the 10 s grace.
    expect(Date.now() - signalled).toBeLessThan(8000);
    const verified = await sluice(['audit', 'verify', '--config', file], env());
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/journal intact/);
    const journal = Journal.open(join(dir, 'drain.db'), { readonly: true });
    const records = [...journal.statements()];
    journal.close();
    const drained = records.filter((r) => r.statement?.includes('/* draining */'));
    expect(drained).toHaveLength(3);
    for (const record of drained) {
      expect(record.completed).toBe(true);
      expect(record.error ?? null).toBeNull();
    }
  });
});

const ALLOW_ALL = '    guardrails: standard\n    default: allow';
const BLOCK_HIDDEN = `${ALLOW_ALL}
    rules:
      - name: no-hidden
        match: { tables: [hidden_things] }
        action: block
    masking:
      detectors: [email]`;

describe('sluice start on SIGHUP', () => {
  it('applies new policies to open sessions at their next statement and masks new sessions, without dropping any', async () => {
    const { file, gateway, connect } = await start('reload', ALLOW_ALL);
    const open = await connect();
    // Allowed: it reaches the server, which has no such table.
    await expect(open.query('SELECT * FROM hidden_things')).rejects.toMatchObject({ code: '42P01' });
    const email = "SELECT 'alice@example.com' AS contact";
    expect((await open.query(email)).rows).toEqual([{ contact: 'alice@example.com' }]);

    writeFileSync(file, configYaml('reload.db', BLOCK_HIDDEN));
    const before = gateway.logs.length;
    gateway.process.kill('SIGHUP');
    expect(await logged(gateway, 'configuration reloaded', before)).toMatchObject({ changed: ['orders'] });
    const kept = await logged(
      gateway,
      'open sessions keep the masking and statement time limit they started with; end them to apply the new ones',
      before,
    );
    expect(kept.sessions).toHaveLength(1);

    const blocked = await open.query('SELECT * FROM hidden_things').catch((e: unknown) => e);
    expect(blocked).toMatchObject({ code: '42501' });
    expect((blocked as Error).message).toMatch(/^sluice: blocked by no-hidden/);
    const fresh = await connect();
    const masked = (await fresh.query(email)).rows[0] as { contact: string };
    expect(masked.contact).not.toBe('alice@example.com');
    await fresh.end();

    // A file with problems is refused; the policy in force stays, and so does the session.
    writeFileSync(file, configYaml('reload.db', '    guardrails: sometimes'));
    const beforeBad = gateway.logs.length;
    gateway.process.kill('SIGHUP');
    const refused = await logged(
      gateway,
      'configuration reload refused; the running configuration stays',
      beforeBad,
    );
    expect(String(refused.reason)).toMatch(/guardrails/);
    await expect(open.query('SELECT * FROM hidden_things')).rejects.toMatchObject({ code: '42501' });

    // What only a restart can change is refused with that said.
    writeFileSync(file, configYaml('reload.db', ALLOW_ALL, '127.0.0.1:1'));
    const beforeMove = gateway.logs.length;
    gateway.process.kill('SIGHUP');
    const moved = await logged(
      gateway,
      'configuration reload refused; the running configuration stays',
      beforeMove,
    );
    expect(String(moved.reason)).toMatch(/^restart needed: connection "orders": listen address/);
    await expect(open.query('SELECT * FROM hidden_things')).rejects.toMatchObject({ code: '42501' });

    expect((await open.query('SELECT 7 AS still')).rows).toEqual([{ still: 7 }]);
    await open.end();
    gateway.process.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  });
});
