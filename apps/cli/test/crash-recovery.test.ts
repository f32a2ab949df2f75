import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '@sluice/journal';
import {
  type ScratchMariadb,
  type ScratchPostgres,
  scratchDir,
  startMariadb,
  startPostgres,
} from '@sluice/testkit';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, sluice, startCli } from './support/cli.js';
import { executedStatements, logStatements } from './support/server-logs.js';

let postgres: ScratchPostgres;
let mariadb: ScratchMariadb;
let dir: string;
let config: string;
const env = (): NodeJS.ProcessEnv => ({
  ORDERS_DB_PASSWORD: postgres.rolePassword,
  BILLING_DB_PASSWORD: mariadb.appUser.password,
});

const MARKER = /SELECT 'crash-[pm]\d+-\d+'/g;

beforeAll(async () => {
  [postgres, mariadb] = await Promise.all([startPostgres(), startMariadb()]);
  dir = scratchDir('sluice-crash-');
  config = join(dir, 'sluice.yaml');
  writeFileSync(
    config,
    `journal:
  path: ./sluice.db
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:0
    upstream: postgres://${postgres.roles.scram}@127.0.0.1:${postgres.port}/${postgres.database}
    upstream_password: \${ORDERS_DB_PASSWORD}
    policy: agents
  billing:
    protocol: mysql
    listen: 127.0.0.1:0
    upstream: mysql://${mariadb.appUser.user}@127.0.0.1:${mariadb.port}/${mariadb.database}
    upstream_password: \${BILLING_DB_PASSWORD}
    policy: agents
policies:
  agents:
    guardrails: strict
`,
  );
  await logStatements(postgres, mariadb);
}, 120_000);

afterAll(async () => {
  await Promise.all([postgres?.stop(), mariadb?.stop()]);
});

/** Runs `SELECT 'crash-…'` statements one after the other until the connection breaks. */
async function postgresLoad(url: string, client: number): Promise<number> {
  const connection = new pg.Client({ connectionString: url });
  connection.on('error', () => undefined);
  await connection.connect();
  let sent = 0;
  try {
    for (;;) await connection.query(`SELECT 'crash-p${client}-${sent++}'`);
  } catch {
    return sent;
  }
}

async function mysqlLoad(uri: string, client: number): Promise<number> {
  const connection = await mysql.createConnection({ uri });
  connection.on('error', () => undefined);
  let sent = 0;
  try {
    for (;;) await connection.query(`SELECT 'crash-m${client}-${sent++}'`);
  } catch {
    return sent;
  }
}

function executed(): Set<string> {
  return executedStatements(postgres, mariadb, MARKER);
}

describe('sluice start killed with SIGKILL under load', () => {
  it('has a record of every statement the databases executed after a restart, and the chain verifies', async () => {
    const added = await sluice(['agents', 'add', 'crash-bot', '--config', config, '--json'], env());
    expect(added.code, added.stderr).toBe(0);
    const { secret } = JSON.parse(added.stdout) as { secret: string };
    const gateway: RunningGateway = await startCli(config, 2, env());
    const pgUrl = `postgres://crash-bot:${secret}@127.0.0.1:${gateway.ports.get('orders')}/${postgres.database}`;
    const myUrl = `mysql://crash-bot:${secret}@127.0.0.1:${gateway.ports.get('billing')}/${mariadb.database}`;
    const clients = [
      ...[0, 1, 2, 3].map((client) => postgresLoad(pgUrl, client)),
      ...[0, 1, 2, 3].map((client) => mysqlLoad(myUrl, client)),
    ];
    await new Promise((resolve) => setTimeout(resolve, 3000));
    gateway.process.kill('SIGKILL');
    const sent = await Promise.all(clients);
    expect(await gateway.exited).toBe(null);
    expect(
      sent.every((count) => count > 3),
      `statements per client: ${sent.join(', ')}`,
    ).toBe(true);

    // The restart ingests what the killed gateway left in its segment log, then serves again.
    const restarted = await startCli(config, 2, env());
    restarted.process.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    const torn = restarted.logs.filter((entry) => String(entry.msg).includes('torn final record'));
    expect(torn.length).toBeLessThanOrEqual(1);

    const journal = Journal.open(join(dir, 'sluice.db'), { readonly: true });
    let journalled: Set<string>;
    try {
      journalled = new Set([...journal.statements()].map((statement) => statement.statement));
    } finally {
      journal.close();
    }
    const ran = executed();
    expect(ran.size).toBeGreaterThan(40);
    expect([...ran].filter((text) => !journalled.has(text))).toEqual([]);
    const verify = await sluice(['audit', 'verify', '--journal', join(dir, 'sluice.db')]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^journal intact: \d+ record\(s\)/);
  });
});
