import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sluice } from '../support/cli.js';
import { executedStatements } from '../support/server-logs.js';
import { Load } from './support/load.js';
import { type ScaleCluster, startScaleCluster } from './support/scale-cluster.js';
import { storedStatements } from './support/store-records.js';
import { until } from './support/until.js';

let cluster: ScaleCluster;
let secret: string;

beforeAll(async () => {
  cluster = await startScaleCluster({ mysql: true, logStatements: true });
  secret = await cluster.addAgent('load-bot');
}, 120_000);

afterAll(() => cluster?.stop(), 60_000);

const MARKED = /SELECT 'kill-[pm]\d+-\d+'/g;

describe('a gateway killed with SIGKILL under load behind HAProxy', () => {
  it('sends its clients to the other gateway, and once restarted every executed statement is journalled', async () => {
    const [a, b] = cluster.gateways;
    const load = new Load(cluster, {
      user: 'load-bot',
      secret,
      clients: { postgres: 3, mysql: 3 },
      prefix: 'kill',
    });
    load.start();
    try {
      const started = Date.now();
      await until('every client ran statements for 2 s', 60_000, async () => {
        return Date.now() - started >= 2000 && load.leastSince(0) >= 20;
      });
      const killedAt = Date.now();
      await a.kill();
      await until('every client ran statements for 2 s after the kill', 60_000, async () => {
        return Date.now() - killedAt >= 2000 && load.leastSince(killedAt) >= 20;
      });
      await until('HAProxy took gw-a out', 5000, async () =>
        (await cluster.haproxy.servers()).every(
          (server) => server.server !== 'gw-a' || server.status === 'DOWN',
        ),
      );
      await load.stop();

      const cut = load.clients.filter((client) => client.errors.some((error) => error.at >= killedAt));
      expect(cut.length, 'clients cut off by the kill').toBeGreaterThan(0);
      // A connection made after the kill reaches gw-b only, whatever HAProxy knew of gw-a by then.
      const reconnected = load.successes().filter((success) => success.connectedAt > killedAt);
      expect(reconnected.length).toBeGreaterThan(0);
      expect(new Set(reconnected.map((success) => success.gateway))).toEqual(new Set(['gw-b']));
      // From the error that cut a client off to its first result through gw-b.
      const resumed = cut.map((client) => {
        const cutAt = client.errors.find((error) => error.at >= killedAt)?.at ?? killedAt;
        const first = client.successes.find((success) => success.connectedAt > cutAt);
        return (first?.at ?? Number.POSITIVE_INFINITY) - cutAt;
      });
      const messages = new Set(cut.flatMap((client) => client.errors.map((error) => error.message)));
      expect(
        [...messages].filter((message) => !/Connection (terminated|lost)|ECONNRESET/.test(message)),
      ).toEqual([]);

      // The designed recovery: the restarted gateway ingests what its segment log holds.
      const restarting = Date.now();
      await a.start();
      const restartMs = Date.now() - restarting;
      const recovered = a.running.logs.find((entry) => String(entry.msg).includes('left in the segment log'));
      const torn = a.running.logs.filter((entry) => String(entry.msg).includes('torn final record'));
      expect(torn.length).toBeLessThanOrEqual(1);
      await until('HAProxy has gw-a back', 10_000, async () =>
        (await cluster.haproxy.servers()).every((server) => server.status === 'UP'),
      );

      const executed = executedStatements(cluster.postgres, cluster.mariadb, MARKED);
      const stored = await storedStatements(cluster, "'kill-");
      const journalled = new Set(stored.map((record) => record.statement));
      const succeeded = load.successes();
      expect(executed.size).toBeGreaterThan(200);
      expect([...executed].filter((statement) => !journalled.has(statement))).toEqual([]);
      expect(succeeded.filter((success) => !executed.has(success.statement))).toEqual([]);
      expect(stored.length, 'each statement journalled once').toBe(journalled.size);
      const byGateway = (gateway: string) => stored.filter((record) => record.gateway === gateway).length;
      console.log(
        `figures: kill -9 of gw-a under load: ${succeeded.length} statements by ${load.clients.length} clients ` +
          `(${succeeded.filter((s) => s.at <= killedAt).length} before the kill, ${succeeded.filter((s) => s.at > killedAt).length} after); ` +
          `${cut.length} clients cut off (${[...messages].join('; ')}), each running again through gw-b ` +
          `${Math.max(...resumed)} ms after its error at most; gw-a restarted in ${restartMs} ms, ingesting ` +
          `${recovered?.records ?? 0} records its segment log still held; the servers executed ${executed.size} marked statements, ` +
          `all journalled (gw-a ${byGateway('gw-a')}, gw-b ${byGateway('gw-b')} records)`,
      );

      const verify = await sluice(['audit', 'verify', '--config', b.configPath], cluster.env);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(/^journal intact: \d+ record\(s\) in 2 gateway chain\(s\)\n/);
    } finally {
      await load.stop();
    }
  }, 180_000);
});
