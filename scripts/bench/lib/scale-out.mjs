// The scale-out contenders: `sluice-store`, one gateway whose journal is a shared PostgreSQL store
// (`journal.store`), and `sluice-2gw`, two gateways on one store behind HAProxy. Beside
// `sluice-users` (the same policy on the SQLite journal) they separate the cost of the store from
// the cost of the balancer. Both gateways run on this machine: the figures measure overhead, not
// the capacity two hosts would add.
import { randomBytes } from 'node:crypto';
import { gatewayContender } from './contenders.mjs';
import { startHaproxy } from './haproxy.mjs';
import { run } from './processes.mjs';
import { POLICY_USERS, startSluice } from './sluice.mjs';

const STORE_ROLE = 'sluice_store';

/**
 * A store database of its own on a scratch PostgreSQL server (`pg` from servers.mjs), owned by
 * a login role made for the stores. Resolves with what a gateway's `journal.store` needs.
 */
export async function createStore(pg, database) {
  pg.storePassword ??= await createStoreRole(pg);
  await pg.superSql(`CREATE DATABASE ${database} OWNER ${STORE_ROLE}`);
  return {
    url: `postgres://${STORE_ROLE}@${pg.host}:${pg.port}/${database}`,
    password: pg.storePassword,
  };
}

async function createStoreRole(pg) {
  const password = randomBytes(12).toString('hex');
  await pg.superSql(`CREATE ROLE ${STORE_ROLE} LOGIN PASSWORD '${password}'`);
  return password;
}

/** `sluice store migrate` with a gateway's configuration, once before any gateway starts on it. */
async function migrate({ config, env }) {
  await run('node', ['apps/cli/dist/main.js', 'store', 'migrate', '--config', config], { env });
}

/**
 * Starts the gateways of one store, in turn: the first migrates the store with its configuration,
 * then creates the account there before it starts; the others find the account in the store.
 */
async function startOnStore({ label, connections, policy, store, gatewayIds, admin }) {
  const gateways = [];
  for (const gatewayId of gatewayIds) {
    const first = gateways[0];
    gateways.push(
      await startSluice({
        label: `${label}-${gatewayId}`,
        connections,
        policy,
        store,
        gatewayId,
        admin,
        secret: first?.secret,
        beforeStart: first ? undefined : migrate,
      }),
    );
  }
  return gateways;
}

/**
 * A suite's two scale-out contenders, as `startSelected` takes them: `sluice-store` and
 * `sluice-2gw`, as users run Sluice, reached on `listener`; `store(database)` makes each its store.
 */
export function scaleOutStarters({ label, connections, listener, store }) {
  const starter = (start, name, database) => async () =>
    gatewayContender(
      await start({
        label: `${label}${name}`,
        connections,
        policy: POLICY_USERS,
        store: await store(database),
      }),
      listener,
    );
  return {
    'sluice-store': starter(startStoreGateway, 'store', 'sluice_store_one'),
    'sluice-2gw': starter(startTwoGateways, '2gw', 'sluice_store_two'),
  };
}

/** `sluice-store`: one gateway on a store of its own, clients straight to it. */
export async function startStoreGateway({ label, connections, policy, store }) {
  const [gateway] = await startOnStore({ label, connections, policy, store, gatewayIds: ['gw-a'] });
  return gateway;
}

/**
 * `sluice-2gw`: gateways gw-a and gw-b on one store, HAProxy in front balancing every listener.
 * `ports` are HAProxy's; `pid` lists the gateways' and HAProxy's processes, whose CPU time
 * together is the contender's; `observe` adds to each run's sample the sessions HAProxy sent
 * each gateway and the times a gateway failed its health check.
 */
export async function startTwoGateways({ label, connections, policy, store }) {
  const gateways = await startOnStore({
    label,
    connections,
    policy,
    store,
    gatewayIds: ['gw-a', 'gw-b'],
    admin: true,
  });
  const haproxy = await startHaproxy({
    label,
    services: connections.map((connection) => ({
      name: connection.name,
      servers: gateways.map((gateway) => ({
        name: gateway.gatewayId,
        port: gateway.ports[connection.name],
        checkPort: gateway.ports.admin,
      })),
    })),
  });
  const [first] = gateways;
  return {
    ports: haproxy.ports,
    user: first.user,
    secret: first.secret,
    pid: [...gateways.map((gateway) => gateway.pid), haproxy.pid],
    observe: async (measure) => {
      const before = await haproxy.counters();
      const sample = await measure();
      const after = await haproxy.counters();
      const gatewaySessions = {};
      let gatewayDowns = 0;
      for (const [name, counters] of Object.entries(after)) {
        gatewaySessions[name] = counters.sessions - (before[name]?.sessions ?? 0);
        gatewayDowns += counters.downs - (before[name]?.downs ?? 0);
      }
      return { ...sample, gatewaySessions, gatewayDowns };
    },
  };
}
