import { migrateStore } from '@sluice/journal';
import { type ScratchPostgres, startPostgres } from '@sluice/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AdminHarness, startAdminHarness } from './support/admin-harness.js';

/**
 * Two gateways on a shared store of its own (the protected database is another server), the
 * store taken away: a revocation is not refused, as it only takes away.
 */
let data: ScratchPostgres;
let store: ScratchPostgres;
let a: AdminHarness;
let b: AdminHarness;

beforeAll(async () => {
  [data, store] = await Promise.all([startPostgres(), startPostgres()]);
  // The harness gives its gateways one password (UPSTREAM_PASSWORD): the store's role gets it too.
  await store.psql(`CREATE ROLE sluice_store LOGIN PASSWORD '${data.rolePassword}'`);
  await store.psql('CREATE DATABASE sluice_store OWNER sluice_store');
  const address = { host: store.host, port: store.port, user: 'sluice_store', password: data.rolePassword };
  const migrating = new pg.Client({ ...address, database: 'sluice_store' });
  await migrating.connect();
  await migrateStore(migrating).finally(() => migrating.end());
  const journalYaml = (gatewayId: string) =>
    [
      `  store: postgres://sluice_store@${store.host}:${store.port}/sluice_store`,
      `  store_password: \${UPSTREAM_PASSWORD}`,
      `  gateway_id: ${gatewayId}`,
    ].join('\n');
  a = await startAdminHarness({ pg: data, journalYaml: journalYaml('gw-a') });
  b = await startAdminHarness({ pg: data, journalYaml: journalYaml('gw-b'), agentName: 'other-bot' });
}, 60_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
  await Promise.all([store?.stop(), data?.stop()]);
});

/** A session of ci-bot on `gateway`, and the error that ends it. */
async function session(gateway: AdminHarness): Promise<{ client: pg.Client; ended: Promise<Error> }> {
  const client = new pg.Client(gateway.pgUrl(a.agent.name, a.agent.secret));
  const ended = new Promise<Error>((resolve) => client.on('error', resolve));
  await client.connect();
  await client.query('SELECT 1');
  return { client, ended };
}

describe('a revocation while the shared store is unreachable', () => {
  it('ends the sessions here at once, and everywhere once the store is back', async () => {
    // B's replica of the accounts knows ci-bot (made on A) before the store goes.
    await vi.waitFor(
      async () =>
        expect((await b.api('GET', '/api/agents')).body).toContainEqual(
          expect.objectContaining({ name: 'ci-bot' }),
        ),
      { timeout: 5000, interval: 50 },
    );
    const onA = await session(a);
    const onB = await session(b);
    try {
      await store.pause();
      await vi.waitFor(
        async () => {
          const ready = await a.api('GET', '/readyz', { auth: null });
          expect(ready.body.checks).toContainEqual(
            expect.objectContaining({ name: 'journal store', ok: false }),
          );
        },
        { timeout: 10_000, interval: 100 },
      );

      // What only adds stays refused, with a 503 that says why.
      const created = await a.api('POST', '/api/agents', { body: { name: 'new-bot' } });
      expect(created).toMatchObject({
        status: 503,
        body: { error: 'sluice: the shared store is unreachable; account changes wait until it is back' },
      });
      const unknown = await a.api('POST', '/api/agents/nobody/revoke', { body: {} });
      expect(unknown.status).toBe(503);

      const revoked = await a.api('POST', '/api/agents/ci-bot/revoke', { body: { reason: 'leaked' } });
      expect(revoked.status).toBe(202);
      expect(revoked.body).toMatchObject({ name: 'ci-bot', revocation: 'pending' });
      expect(revoked.body.message).toMatch(
        /^sluice: the shared store is unreachable: the sessions of "ci-bot"/,
      );
      expect((await onA.ended).message).toBe('sluice: service account "ci-bot" was revoked');
      const again = new pg.Client(a.pgUrl(a.agent.name, a.agent.secret));
      await expect(again.connect()).rejects.toMatchObject({
        message: 'sluice: service account "ci-bot" is revoked',
      });
      await again.end().catch(() => undefined);
      expect((await a.api('GET', '/api/agents')).body).toContainEqual(
        expect.objectContaining({ name: 'ci-bot', status: 'active', revocation: 'pending' }),
      );
      // B cannot hear of it before the store is back.
      expect((await onB.client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);

      await store.resume();
      const back = Date.now();
      expect((await onB.ended).message).toBe('sluice: service account "ci-bot" was revoked');
      console.log(
        `figures: the revocation made in the outage ended B's session ${Date.now() - back} ms after the store was back`,
      );
      await vi.waitFor(
        async () => {
          for (const gateway of [a, b]) {
            const listed = (await gateway.api('GET', '/api/agents')).body as {
              name: string;
              status: string;
            }[];
            expect(listed.find((account) => account.name === 'ci-bot')).toMatchObject({ status: 'revoked' });
            expect(listed.find((account) => account.name === 'ci-bot')).not.toHaveProperty('revocation');
          }
        },
        { timeout: 10_000, interval: 100 },
      );
    } finally {
      await onA.client.end().catch(() => undefined);
      await onB.client.end().catch(() => undefined);
    }
  }, 60_000);
});
