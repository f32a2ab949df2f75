// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config syntax these tests feed in
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '@sluice/config';
import { type Gateway, startGateway } from '@sluice/gateway';
import { connectStore, migrateStore } from '@sluice/journal';
import { type ScratchPostgres, scratchDir } from '@sluice/testkit';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ADMIN_TOKEN,
  CONSOLE_POLICY,
  type ConsoleHarness,
  consoleDatabase,
  startConsoleHarness,
} from './support/console-harness.js';

// Two gateways on one store: the console of gw-a shows gw-b's records and decides its requests.
let server: ScratchPostgres;
let h: ConsoleHarness;
let b: Gateway;

const storeYaml = (gatewayId: string) =>
  [
    `  store: postgres://${server.roles.scram}@${server.host}:${server.port}/sluice_store`,
    '  store_password: ${UPSTREAM_PASSWORD}',
    `  gateway_id: ${gatewayId}`,
  ].join('\n');

beforeAll(async () => {
  server = await consoleDatabase();
  await server.psql(`CREATE DATABASE sluice_store OWNER ${server.roles.scram}`);
  const store = await connectStore(
    {
      host: server.host,
      port: server.port,
      user: server.roles.scram,
      password: server.rolePassword,
      database: 'sluice_store',
      sslMode: 'disable',
      sslRootCert: undefined,
    },
    'console test',
  );
  await migrateStore(store);
  await store.end();
  h = await startConsoleHarness({ pg: server, journalYaml: storeYaml('gw-a') });
  b = await startGatewayB();
});

afterAll(async () => {
  await b?.close(1000);
  await h?.close();
  await server?.stop();
});

/** gw-b: the same connection and policy, no admin API of its own. */
async function startGatewayB(): Promise<Gateway> {
  const dir = scratchDir('sluice-console-b-');
  const yaml = `
journal:
  path: ${join(dir, 'journal.db')}
${storeYaml('gw-b')}
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:0
    upstream: postgres://${server.roles.scram}@${server.host}:${server.port}/${server.database}
    upstream_password: \${UPSTREAM_PASSWORD}
    policy: gate
policies:
  gate:${CONSOLE_POLICY}
`;
  const file = join(dir, 'sluice.yaml');
  writeFileSync(file, yaml);
  const parsed = parseConfig(yaml, { file, env: { UPSTREAM_PASSWORD: server.rolePassword } });
  if (!parsed.ok) throw new Error(`test config invalid: ${JSON.stringify(parsed.problems)}`);
  return startGateway(parsed.config, pino({ level: process.env.SLUICE_TEST_LOG ?? 'silent' }));
}

/** The agent on gw-b: the account made through gw-a reaches gw-b through the store. */
async function agentOnB(): Promise<pg.Client> {
  const url = new URL(h.agentUrl);
  url.port = String(b.portOf('orders'));
  const deadline = Date.now() + 3000;
  for (;;) {
    const client = new pg.Client({ connectionString: url.toString() });
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('the console of one gateway among two on a shared store', () => {
  it('decides a statement held on the other gateway, and its journal shows both gateways’ chains', async () => {
    const onA = new pg.Client({ connectionString: h.agentUrl });
    await onA.connect();
    const onB = await agentOnB();
    const page = await h.signedInPage(ADMIN_TOKEN);
    try {
      await onA.query('SELECT item FROM orders WHERE id = 1 /* through gw-a */');
      await onB.query('SELECT item FROM orders WHERE id = 2 /* through gw-b */');
      const running = onB.query("UPDATE orders SET item = 'via b' WHERE id = 3 RETURNING item");
      const card = page.locator('article.approval.pending', { hasText: "SET item = 'via b'" });
      await card.waitFor({ timeout: 5000 });
      await expect(card.textContent()).resolves.toContain('via gw-b');
      await h.screenshot(page, 'shared-store-approval');
      await card.getByRole('button', { name: 'Approve' }).click();
      await expect(running).resolves.toMatchObject({ rows: [{ item: 'via b' }] });

      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Journal' }).click();
      await page
        .getByText(/Chain verified: \d+ records in 2 chains, one per gateway \(gw-a, gw-b\)/)
        .waitFor({ timeout: 5000 });
      const throughB = page.locator('li.record', { hasText: 'through gw-b' });
      await throughB.waitFor({ timeout: 5000 });
      await expect(throughB.textContent()).resolves.toContain('via gw-b');
      await expect(page.locator('li.record', { hasText: 'through gw-a' }).textContent()).resolves.toContain(
        'via gw-a',
      );
      await h.screenshot(page, 'shared-store-journal');
    } finally {
      await page.context().close();
      await onA.end();
      await onB.end();
    }
  });

  it('says a revocation made while the store is down holds on this gateway until the store is back', async () => {
    const page = await h.signedInPage(ADMIN_TOKEN);
    try {
      await server.pause();
      await vi.waitFor(
        async () => {
          const ready = (await (await fetch(`${h.admin.url}/readyz`)).json()) as {
            checks: { name: string; ok: boolean }[];
          };
          expect(ready.checks).toContainEqual(expect.objectContaining({ name: 'journal store', ok: false }));
        },
        { timeout: 10_000, interval: 100 },
      );
      await page
        .getByRole('navigation', { name: 'Pages' })
        .getByRole('link', { name: 'Identities & grants' })
        .click();
      const row = page.locator('tr', { hasText: 'ci-bot' });
      await row.getByText('service account').waitFor();
      page.once('dialog', (dialog) => void dialog.accept());
      await row.getByRole('button', { name: 'Revoke ci-bot' }).click();
      const note = page.getByRole('alert');
      await note.waitFor({ timeout: 5000 });
      await expect(note.textContent()).resolves.toBe(
        'The shared store is unreachable: the sessions of "ci-bot" on this gateway were closed and it cannot sign in ' +
          'here; the revocation reaches the store and every other gateway once the store is back (or revoke it ' +
          'through each gateway now).',
      );
      await row
        .getByText('service account (revoked on this gateway only, until the shared store is back)')
        .waitFor();
      await expect(row.getByRole('button', { name: 'Revoke ci-bot' }).count()).resolves.toBe(0);
      await h.screenshot(page, 'shared-store-revocation-pending');
      await page.setViewportSize({ width: 390, height: 844 });
      await h.screenshot(page, 'shared-store-revocation-pending');
      await page.setViewportSize({ width: 1280, height: 800 });
      await server.resume();
      await vi.waitFor(
        async () => {
          const agents = (await (
            await fetch(`${h.admin.url}/api/agents`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
          ).json()) as { name: string; status: string }[];
          expect(agents).toContainEqual(expect.objectContaining({ name: 'ci-bot', status: 'revoked' }));
        },
        { timeout: 15_000, interval: 100 },
      );
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Approvals' }).click();
      await page
        .getByRole('navigation', { name: 'Pages' })
        .getByRole('link', { name: 'Identities & grants' })
        .click();
      await page
        .locator('tr', { hasText: 'ci-bot' })
        .getByText('service account (revoked)')
        .waitFor({ timeout: 5000 });
      await h.screenshot(page, 'shared-store-revocation-done');
    } finally {
      await page.context().close();
    }
  });
});
