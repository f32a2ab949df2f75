import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { migrateStore } from '@sluice/journal';
import {
  type RunningHaproxy,
  type ScratchMariadb,
  type ScratchPostgres,
  scratchDir,
  startHaproxy,
  startMariadb,
  startPostgres,
} from '@sluice/testkit';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { logStatements } from '../../support/server-logs.js';
import { ADMIN_TOKEN, BALANCER_ADDRESS, GatewayProcess } from './gateway-process.js';
import { until } from './until.js';

export type Protocol = 'postgres' | 'mysql';

export interface ScaleClusterOptions {
  /** A protected MariaDB and a MySQL listener on each gateway, behind a frontend of its own. */
  readonly mysql?: boolean;
  /** The `policies.agents` mapping, indented by four spaces; allow everything by default. */
  readonly policy?: string;
  /** The protected servers log every statement they execute (PostgreSQL's log, MariaDB's general log). */
  readonly logStatements?: boolean;
}

/**
 * Two `sluice start` processes, gw-a and gw-b, sharing a scratch PostgreSQL store, in front of
 * a protected PostgreSQL (and MariaDB), with HAProxy in front of both: what a deployment of
 * several gateways looks like, on one machine.
 */
export interface ScaleCluster {
  readonly store: ScratchPostgres;
  readonly postgres: ScratchPostgres;
  readonly mariadb: ScratchMariadb | undefined;
  readonly gateways: readonly [GatewayProcess, GatewayProcess];
  readonly haproxy: RunningHaproxy<Protocol>;
  /** What `sluice` commands of the cluster need in their environment. */
  readonly env: NodeJS.ProcessEnv;
  gateway(id: string): GatewayProcess;
  /** Creates a service account through gw-a; resolves with its secret once both gateways know it. */
  addAgent(name: string): Promise<string>;
  /** A PostgreSQL client connected through HAProxy, or to `port` (a gateway's own listener). */
  postgresClient(user: string, password: string, port?: number): Promise<pg.Client>;
  /** A MySQL connection through HAProxy, or to `port`. */
  mysqlConnection(user: string, password: string, port?: number): Promise<mysql.Connection>;
  /** A query on the shared store, as its superuser. */
  storeQuery<Row extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<Row[]>;
  stop(): Promise<void>;
}

const ALLOW_ALL = '    default: allow';

export async function startScaleCluster(options: ScaleClusterOptions = {}): Promise<ScaleCluster> {
  const [store, postgres, mariadb] = await Promise.all([
    startPostgres(),
    startPostgres(),
    options.mysql ? startMariadb() : undefined,
  ]);
  const dir = scratchDir('sluice-scale-');
  const env: NodeJS.ProcessEnv = {
    STORE_PASSWORD: store.superuser.password,
    ORDERS_DB_PASSWORD: postgres.rolePassword,
    BILLING_DB_PASSWORD: mariadb?.appUser.password ?? '',
    SLUICE_ADMIN_TOKEN: ADMIN_TOKEN,
  };
  const gateways = (['gw-a', 'gw-b'] as const).map(
    (id) =>
      new GatewayProcess({
        id,
        home: join(dir, id),
        store: { port: store.port, user: store.superuser.user },
        postgres: { port: postgres.port, user: postgres.roles.scram, database: postgres.database },
        mariadb: mariadb && { port: mariadb.port, user: mariadb.appUser.user, database: mariadb.database },
        policy: options.policy ?? ALLOW_ALL,
        env,
      }),
  ) as [GatewayProcess, GatewayProcess];
  // A pool: its connections to the store may end in a test's outage; later queries open new ones.
  const storeAddress = {
    host: store.host,
    port: store.port,
    user: store.superuser.user,
    password: store.superuser.password,
  };
  const storePool = new pg.Pool({ ...storeAddress, database: 'sluice_store', max: 2 });
  storePool.on('error', () => undefined);
  let haproxy: RunningHaproxy<Protocol> | undefined;
  const stopAll = async () => {
    await haproxy?.stop();
    await Promise.all(gateways.map((gateway) => gateway.kill().catch(() => undefined)));
    await storePool.end().catch(() => undefined);
    await Promise.all([store.stop(), postgres.stop(), mariadb?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await store.psql('CREATE DATABASE sluice_store');
    const migrating = new pg.Client({ ...storeAddress, database: 'sluice_store' });
    await migrating.connect();
    await migrateStore(migrating).finally(() => migrating.end());
    if (options.logStatements) await logStatements(postgres, mariadb);
    await Promise.all(gateways.map((gateway) => gateway.start()));
    haproxy = await startHaproxy<Protocol>({
      frontends: mariadb ? ['postgres', 'mysql'] : ['postgres'],
      servers: gateways.map((gateway) => ({
        name: gateway.id,
        ports: { postgres: gateway.ports.postgres, mysql: gateway.ports.mysql },
        healthPort: gateway.ports.admin,
      })),
      // Each client named to its gateway, from the one address the gateways trust to do so.
      sendProxy: 'v2',
      sourceAddress: BALANCER_ADDRESS,
    });
    const balancer = haproxy;
    await until('HAProxy has both gateways in service', 10_000, async () =>
      (await balancer.servers()).every((server) => server.status === 'UP'),
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  const balancer = haproxy;
  return {
    store,
    postgres,
    mariadb,
    gateways,
    haproxy: balancer,
    env,
    gateway(id) {
      const found = gateways.find((gateway) => gateway.id === id);
      if (!found) throw new Error(`no gateway ${id}`);
      return found;
    },
    async addAgent(name) {
      const added = await gateways[0].api('POST', '/api/agents', { name, groups: ['agents'] });
      if (added.status !== 201)
        throw new Error(`adding ${name}: ${added.status} ${JSON.stringify(added.body)}`);
      // Accounts reach the other gateway's replica, where its sign-ins look them up, within a second.
      await until(`gw-b knows the account ${name}`, 5000, async () => {
        const listed = await gateways[1].api('GET', '/api/agents');
        return (listed.body as { name: string }[]).some((account) => account.name === name);
      });
      return String(added.body.secret);
    },
    async postgresClient(user, password, port = balancer.ports.postgres) {
      const client = new pg.Client({
        host: '127.0.0.1',
        port,
        user,
        password,
        database: postgres.database,
      });
      await client.connect();
      return client;
    },
    mysqlConnection(user, password, port = balancer.ports.mysql) {
      if (!mariadb) throw new Error('the cluster has no MariaDB: start it with { mysql: true }');
      return mysql.createConnection({
        host: '127.0.0.1',
        port,
        user,
        password,
        database: mariadb.database,
      });
    },
    async storeQuery<Row extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
      return (await storePool.query<Row>(sql, params)).rows;
    },
    stop: stopAll,
  };
}
