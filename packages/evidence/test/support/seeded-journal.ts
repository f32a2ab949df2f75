import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAdmin } from '@sluice/admin';
import { parseConfig, type SluiceConfig } from '@sluice/config';
import type { Actor } from '@sluice/control';
import { startGateway } from '@sluice/gateway';
import { generateSecret, makeVerifiers } from '@sluice/identity';
import { Journal } from '@sluice/journal';
import { scratchDir, startMariadb, startPostgres } from '@sluice/testkit';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { pino } from 'pino';

export interface SeededJournal {
  readonly dir: string;
  readonly journalPath: string;
  readonly configPath: string;
  readonly config: SluiceConfig;
  stop(): Promise<void>;
}

const alice: Actor = { name: 'alice', groups: ['dba'], via: 'oidc', roles: ['approver'] };
const ADMIN_TOKEN = 'admin-token-for-the-evidence-test';

/**
 * A journal written by a real gateway: PostgreSQL traffic through node-postgres, MySQL traffic
 * through mysql2, blocks by guardrail and rule, approvals approved, denied and expired, failed
 * sign-ins (wrong secret, revoked, expired), and account and grant changes through the admin API.
 */
export async function seedJournal(): Promise<SeededJournal> {
  const [postgres, mariadb] = await Promise.all([startPostgres(), startMariadb()]);
  const dir = scratchDir('sluice-evidence-');
  const journalPath = join(dir, 'journal.db');
  const yaml = `
journal:
  path: ${journalPath}
  retention: 400d
admin:
  listen: 127.0.0.1:0
  token: ${ADMIN_TOKEN}
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:0
    upstream: postgres://${postgres.roles.scram}@${postgres.host}:${postgres.port}/${postgres.database}
    upstream_password: \${PG_PASSWORD}
    policy: gate
  billing:
    protocol: mysql
    listen: 127.0.0.1:0
    upstream: mysql://${mariadb.appUser.user}@${mariadb.host}:${mariadb.port}/${mariadb.database}
    upstream_password: \${MY_PASSWORD}
    policy: open
policies:
  gate:
    guardrails: strict
    rules:
      - name: no-payroll
        match: { tables: [payroll] }
        action: block
      - name: deletes-need-approval
        match: { kind: [delete] }
        action: approve
        approval: { timeout: 1s }
  open:
    guardrails: off
`;
  const configPath = join(dir, 'sluice.yaml');
  writeFileSync(configPath, yaml);
  const parsed = parseConfig(yaml, {
    file: configPath,
    env: { PG_PASSWORD: postgres.rolePassword, MY_PASSWORD: mariadb.appUser.password },
  });
  if (!parsed.ok) throw new Error(`config invalid: ${JSON.stringify(parsed.problems)}`);
  const config = parsed.config;
  await postgres.psql(
    "CREATE TABLE items (id int PRIMARY KEY, note text); INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c'); GRANT ALL ON items TO PUBLIC;",
  );

  const setup = Journal.open(journalPath);
  const addAgent = (name: string, expiresAt: Date | null = null): string => {
    const secret = generateSecret();
    setup.createAccount({ name, groups: ['ci'], expiresAt, verifiers: { ...makeVerifiers(secret) } }, 'test');
    return secret;
  };
  const ciSecret = addAgent('ci-bot');
  const goneSecret = addAgent('gone-bot');
  const oldSecret = addAgent('old-bot', new Date(Date.now() + 1500));
  addAgent('idle-bot');
  setup.close();

  const log = pino({ level: 'silent' });
  const gateway = await startGateway(config, log);
  const admin = await startAdmin({ config, control: gateway.control, journal: gateway.journal, log });
  const pgUrl = (user: string, password: string) =>
    `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${gateway.portOf('orders')}/${postgres.database}`;
  const api = (path: string, body: unknown) =>
    fetch(`${admin.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const client = new pg.Client({ connectionString: pgUrl('ci-bot', ciSecret) });
  await client.connect();
  for (let index = 0; index < 3; index += 1)
    await client.query('SELECT id, note FROM items WHERE id = $1', [index]);
  for (let index = 0; index < 3; index += 1)
    await client.query('SELECT * FROM payroll').catch(() => undefined);
  await client.query('DROP TABLE items').catch(() => undefined);
  await decide(client, gateway.control, 'DELETE FROM items WHERE id = 1', (id) =>
    gateway.control.approvals.approve(id, alice),
  );
  await decide(client, gateway.control, 'DELETE FROM items WHERE id = 2', (id) =>
    gateway.control.approvals.deny(id, alice, 'not now'),
  );
  await client.query('DELETE FROM items WHERE id = 3').catch(() => undefined);
  await client.end();

  const my = await mysql.createConnection({
    host: '127.0.0.1',
    port: gateway.portOf('billing'),
    user: 'ci-bot',
    password: ciSecret,
    database: mariadb.database,
  });
  await my.query('SELECT 1');
  await my.query('SELECT 2');
  await my.end();
  const refused = await mysql
    .createConnection({
      host: '127.0.0.1',
      port: gateway.portOf('billing'),
      user: 'ci-bot',
      password: 'wrong',
    })
    .then(
      (connection) => connection.end().then(() => false),
      () => true,
    );
  if (!refused) throw new Error('a MySQL sign-in with a wrong secret succeeded');

  for (let attempt = 0; attempt < 6; attempt += 1) await failToConnect(pgUrl('ci-bot', 'wrong-secret'));
  await api('/api/grants', {
    identity: 'ci-bot',
    connection: 'orders',
    allow: ['write'],
    for: '30m',
    reason: 'migration',
  });
  await api('/api/agents/gone-bot/revoke', { reason: 'left the team' });
  await failToConnect(pgUrl('gone-bot', goneSecret));
  await new Promise((resolve) => setTimeout(resolve, 1600));
  await failToConnect(pgUrl('old-bot', oldSecret));

  await admin.close();
  await gateway.close(1000);
  return {
    dir,
    journalPath,
    configPath,
    config,
    async stop() {
      await Promise.all([postgres.stop(), mariadb.stop()]);
    },
  };
}

async function decide(
  client: pg.Client,
  control: import('@sluice/control').Control,
  sql: string,
  decision: (id: string) => unknown,
): Promise<void> {
  const running = client.query(sql).catch(() => undefined);
  const deadline = Date.now() + 5000;
  for (;;) {
    const request = control.approvals.list({ state: 'pending' })[0];
    if (request) {
      decision(request.id);
      break;
    }
    if (Date.now() > deadline) throw new Error(`no approval request for ${sql}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await running;
}

async function failToConnect(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  const connected = await client.connect().then(
    () => true,
    () => false,
  );
  await client.end().catch(() => undefined);
  if (connected) throw new Error('a sign-in that should fail succeeded');
}
