import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AgentClient, clientsOnBoth, connectAgent, PROTOCOLS, servedBy } from './support/clients.js';
import { HOLD_UPDATES, ORDERS_TABLE } from './support/policies.js';
import { describeRevocation, revoke, slowestEnd } from './support/revocation.js';
import { type ScaleCluster, startScaleCluster } from './support/scale-cluster.js';
import { storedStatements } from './support/store-records.js';

let cluster: ScaleCluster;
let secret: string;

beforeAll(async () => {
  cluster = await startScaleCluster({ mysql: true, policy: HOLD_UPDATES });
  await cluster.postgres.psql(ORDERS_TABLE, { user: cluster.postgres.roles.scram });
  await cluster.mariadb?.sql(ORDERS_TABLE);
  secret = await cluster.addAgent('scale-bot');
}, 120_000);

afterAll(() => cluster?.stop(), 60_000);

describe.each(PROTOCOLS)('%s clients through HAProxy in front of two gateways', (protocol) => {
  it('are served by both, each statement journalled by the gateway that served it and read on either', async () => {
    const clients: AgentClient[] = [];
    for (let i = 0; i < 4; i++) clients.push(await connectAgent(cluster, protocol, 'scale-bot', secret));
    const served = new Map<string, string>();
    const from = new Map<string, string>();
    for (const [i, client] of clients.entries()) {
      const marker = `through-${protocol}-${i}`;
      expect(await client.value(`SELECT '${marker}' AS marker`)).toBe(marker);
      served.set(`SELECT '${marker}' AS marker`, await servedBy(cluster, client));
      from.set(`SELECT '${marker}' AS marker`, `127.0.0.1:${client.localPort}`);
    }
    await Promise.all(clients.map((client) => client.close()));
    expect(new Set(served.values())).toEqual(new Set(['gw-a', 'gw-b']));

    await vi.waitFor(
      async () => {
        const stored = await storedStatements(cluster, `'through-${protocol}-`);
        expect(new Map(stored.map((record) => [record.statement, record.gateway]))).toEqual(served);
        // HAProxy's PROXY header named each client: the journal has its address, not HAProxy's.
        expect(new Map(stored.map((record) => [record.statement, record.clientAddress]))).toEqual(from);
      },
      { timeout: 5000, interval: 50 },
    );
    // Each gateway's readers (its replica of the store) hold both gateways' records.
    for (const gateway of cluster.gateways) {
      await vi.waitFor(
        async () => {
          const read = await gateway.api('GET', `/api/journal/statements?text=through-${protocol}-`);
          const records = read.body.records as { statement: string; gateway: string }[];
          expect(new Map(records.map((record) => [record.statement, record.gateway]))).toEqual(served);
        },
        { timeout: 5000, interval: 50 },
      );
    }
  });

  it('runs a statement held on one gateway once approved through the other one’s admin API', async () => {
    const clients = await clientsOnBoth(cluster, protocol, 'scale-bot', secret);
    const ids = { 'gw-a': 1, 'gw-b': 2 } as const;
    const held = [...clients].map(([gateway, client]) => {
      const id = ids[gateway as keyof typeof ids];
      return client.execute(`UPDATE orders SET status = 'paid-${protocol}' WHERE id = ${id}`);
    });
    let pending: { id: string; gateway: string; protocol: string }[] = [];
    await vi.waitFor(
      async () => {
        pending = (await cluster.gateways[0].api('GET', '/api/approvals?state=pending')).body;
        expect(pending.map((request) => request.gateway).sort()).toEqual(['gw-a', 'gw-b']);
      },
      { timeout: 5000, interval: 50 },
    );
    for (const request of pending) {
      expect(request.protocol).toBe(protocol);
      const other = cluster.gateways.find((gateway) => gateway.id !== request.gateway);
      const approved = await other?.api('POST', `/api/approvals/${request.id}/approve`, {});
      expect(approved).toMatchObject({
        status: 200,
        body: { id: request.id, state: 'approved', gateway: request.gateway },
      });
    }
    expect(await Promise.all(held)).toEqual([1, 1]);
    const statuses =
      protocol === 'postgres'
        ? await cluster.postgres.psql('SELECT status FROM orders WHERE id IN (1, 2) ORDER BY id')
        : await cluster.mariadb?.sql('SELECT status FROM orders WHERE id IN (1, 2) ORDER BY id');
    expect(statuses).toBe(`paid-${protocol}\npaid-${protocol}`);
    await Promise.all([...clients.values()].map((client) => client.close()));
  });
});

describe.each(['gw-a', 'gw-b'])('a revocation through %s', (via) => {
  it('ends the identity’s sessions on both gateways, of both protocols, within a second, and lets it sign in nowhere', async () => {
    const bystanders: AgentClient[] = [];
    for (const protocol of PROTOCOLS) {
      bystanders.push(...(await clientsOnBoth(cluster, protocol, 'scale-bot', secret)).values());
    }
    const revocation = await revoke(cluster, cluster.gateway(via), `doomed-by-${via}`);
    console.log(`figures: a revocation through ${via} ended its sessions: ${describeRevocation(revocation)}`);
    expect(slowestEnd(revocation)).toBeLessThan(1000);
    for (const bystander of bystanders) {
      expect(await bystander.value("SELECT 'still here'")).toBe('still here');
    }
    await Promise.all(bystanders.map((client) => client.close()));
  });
});
