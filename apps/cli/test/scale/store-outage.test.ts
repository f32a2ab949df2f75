import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sluice } from '../support/cli.js';
import { clientsOnBoth } from './support/clients.js';
import { watchHealth } from './support/health-watch.js';
import { Load } from './support/load.js';
import { HOLD_UPDATES, ORDERS_TABLE } from './support/policies.js';
import { describeRevocation, revoke, slowestEnd } from './support/revocation.js';
import { type ScaleCluster, startScaleCluster } from './support/scale-cluster.js';
import { storedStatements } from './support/store-records.js';
import { until } from './support/until.js';

let cluster: ScaleCluster;
let secret: string;

beforeAll(async () => {
  cluster = await startScaleCluster({ mysql: true, policy: HOLD_UPDATES });
  await cluster.postgres.psql(ORDERS_TABLE, { user: cluster.postgres.roles.scram });
  secret = await cluster.addAgent('load-bot');
}, 120_000);

afterAll(() => cluster?.stop(), 60_000);

const OUTAGE_MS = 30_000;

describe('the shared store down for 30 s under load behind HAProxy', () => {
  it('keeps statements flowing through both gateways, and once it is back every one is journalled', async () => {
    const load = new Load(cluster, {
      user: 'load-bot',
      secret,
      clients: { postgres: 2, mysql: 2 },
      prefix: 'outage',
      // New sessions all along: sign-ins too must work without the store.
      statementsPerConnection: 100,
    });
    load.start();
    try {
      const started = Date.now();
      await until('every client ran statements for a second', 60_000, async () => {
        return Date.now() - started >= 1000 && load.leastSince(0) >= 20;
      });

      await cluster.store.pause();
      const downAt = Date.now();
      const health = watchHealth(cluster);
      const decided = await approveOnItsOwnGateway();
      await until(
        'the store has been down for 30 s',
        OUTAGE_MS + 5000,
        async () => Date.now() - downAt >= OUTAGE_MS,
      );
      const samples = await health.stop();
      await cluster.store.resume();
      const backAt = Date.now();

      const during = load.successes().filter((success) => success.at > downAt && success.at < backAt);
      expect(load.leastSince(downAt + OUTAGE_MS / 2)).toBeGreaterThan(20);
      expect(new Set(during.map((success) => success.gateway))).toEqual(new Set(['gw-a', 'gw-b']));
      // HAProxy kept both gateways in service, as /readyz answered 200 all along, degraded once
      // each gateway had noticed the store gone.
      expect(samples.length).toBeGreaterThan(10);
      expect(
        samples.filter((sample) => [...sample.haproxy.values()].some((status) => status !== 'UP')),
      ).toEqual([]);
      const statuses = samples.flatMap((sample) => [...sample.readyz.values()].map((ready) => ready.status));
      expect(new Set(statuses)).toEqual(new Set([200]));
      const settled = samples.filter((sample) => sample.at > downAt + 5000);
      expect(settled.length).toBeGreaterThan(0);
      for (const sample of settled) {
        for (const ready of sample.readyz.values()) {
          expect(ready.degraded).toBe(true);
          expect(ready.checks).toContainEqual(
            expect.objectContaining({ name: 'journal store', ok: false, degraded: true }),
          );
        }
      }
      const waiting = settled.flatMap((sample) =>
        [...sample.readyz.values()].map((ready) => {
          const detail = ready.checks.find((check) => check.name === 'journal store')?.detail ?? '';
          return Number(/(\d+) records wait/.exec(detail)?.[1] ?? 0);
        }),
      );

      // Caught up: the store holds every statement that succeeded while it was down.
      const before = new Set(
        load
          .successes()
          .filter((success) => success.at < backAt)
          .map((s) => s.statement),
      );
      await until('the store holds every statement of the outage', 60_000, () => allStored(before));
      const caughtUpMs = Date.now() - backAt;
      await load.stop();

      const succeeded = load.successes();
      await until('the store holds every statement', 60_000, () =>
        allStored(new Set(succeeded.map((success) => success.statement))),
      );
      const stored = await storedStatements(cluster, "'outage-");
      expect(stored.length, 'each statement journalled once').toBe(
        new Set(stored.map((s) => s.statement)).size,
      );
      console.log(
        `figures: store down ${Math.round((backAt - downAt) / 1000)} s under load: ${during.length} statements ` +
          `(${Math.round(during.length / ((backAt - downAt) / 1000))}/s) by ${load.clients.length} clients through both gateways during it, ` +
          `${load.clients.reduce((sum, client) => sum + client.errors.length, 0)} client errors; /readyz 200 and degraded, ` +
          `HAProxy kept both gateways in ${samples.length} samples; up to ${Math.max(...waiting)} records waited in a segment log; ` +
          `caught up ${caughtUpMs} ms after the store was back; ${succeeded.length} statements in all, each journalled once`,
      );

      // The approval decided in the outage reached the store: the other gateway shows it.
      await until('gw-b shows the approval gw-a decided in the outage', 10_000, async () => {
        const shown = await cluster.gateways[1].api('GET', `/api/approvals/${decided}`);
        return shown.body?.state === 'approved' && shown.body?.gateway === 'gw-a';
      });

      // Each gateway's replica of the store catches up too, both chains whole.
      const heads = await cluster.storeQuery<{ gateway: string; head: string }>(
        'SELECT gateway, max(seq) AS head FROM records GROUP BY gateway ORDER BY gateway',
      );
      const replicatingSince = Date.now();
      for (const gateway of cluster.gateways) {
        await until(`${gateway.id}'s replica holds both chains to their heads`, 30_000, async () => {
          const verified = await gateway.api('GET', '/api/journal/verify');
          const chains = (verified.body.chains ?? []) as { gateway: string; head_seq: number }[];
          return (
            verified.body.ok === true &&
            heads.every((head) =>
              chains.some((c) => c.gateway === head.gateway && c.head_seq >= Number(head.head)),
            )
          );
        });
      }
      console.log(
        `figures: replicas verified up to the store's heads ${Date.now() - replicatingSince} ms after the load stopped`,
      );

      // The control state flows again: a revocation through gw-b ends sessions on both within a second.
      const revocation = await revoke(cluster, cluster.gateways[1], 'after-outage-bot');
      console.log(
        `figures: after the outage a revocation through gw-b ended its sessions: ${describeRevocation(revocation)}`,
      );
      expect(slowestEnd(revocation)).toBeLessThan(1000);

      const verify = await sluice(
        ['audit', 'verify', '--config', cluster.gateways[0].configPath],
        cluster.env,
      );
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(/^journal intact: \d+ record\(s\) in 2 gateway chain\(s\)\n/);
    } finally {
      await load.stop();
    }
  }, 300_000);
});

/** In the outage: an update held on gw-a runs once approved through gw-a's own API; resolves with the request's id. */
async function approveOnItsOwnGateway(): Promise<string> {
  const a = cluster.gateways[0];
  const clients = await clientsOnBoth(cluster, 'postgres', 'load-bot', secret);
  try {
    const held = clients.get('gw-a')?.execute("UPDATE orders SET status = 'paid in the outage' WHERE id = 1");
    let id = '';
    await until('gw-a holds the update', 5000, async () => {
      id = (await a.api('GET', '/api/approvals?state=pending')).body[0]?.id ?? '';
      return id !== '';
    });
    const approved = await a.api('POST', `/api/approvals/${id}/approve`, {});
    expect(approved).toMatchObject({ status: 200, body: { state: 'approved', gateway: 'gw-a' } });
    expect(await held).toBe(1);
    return id;
  } finally {
    await Promise.all([...clients.values()].map((client) => client.close()));
  }
}

/** Every one of `statements` has a record in the shared store. */
async function allStored(statements: ReadonlySet<string>): Promise<boolean> {
  const stored = new Set((await storedStatements(cluster, "'outage-")).map((record) => record.statement));
  return [...statements].every((statement) => stored.has(statement));
}
