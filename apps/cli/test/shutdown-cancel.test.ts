import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ScratchPostgres, scratchDir, startPostgres } from '@sluice/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, sluice, startCli } from './support/cli.js';

let pgServer: ScratchPostgres;
let gateway: RunningGateway;
let config: string;
const env = (): NodeJS.ProcessEnv => ({ ORDERS_DB_PASSWORD: pgServer.rolePassword });

beforeAll(async () => {
  pgServer = await startPostgres();
  config = join(scratchDir('sluice-shutdown-'), 'sluice.yaml');
  writeFileSync(
    config,
    `journal:
  path: ./sluice.db
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:0
    upstream: postgres://${pgServer.roles.scram}@127.0.0.1:${pgServer.port}/${pgServer.database}
    upstream_password: \${ORDERS_DB_PASSWORD}
    policy: agents
policies:
  agents:
    guardrails: standard
`,
  );
  gateway = await startCli(config, 1, env(), ['--grace', '1s']);
});
afterAll(async () => {
  gateway?.process.kill('SIGKILL');
  await pgServer?.stop();
});

const sleeping = async (): Promise<number> =>
  Number(
    (
      await pgServer.psql(
        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(3600) /* sigterm */%' AND pid <> pg_backend_pid()",
      )
    ).trim(),
  );

describe('sluice start on SIGTERM', () => {
  it('cancels a statement still running after the drain period, so nothing of it stays on the server', async () => {
    const added = await sluice(['agents', 'add', 'sleepy-bot', '--config', config, '--json'], env());
    const { secret } = JSON.parse(added.stdout) as { secret: string };
    const port = gateway.ports.get('orders');
    const client = new pg.Client({
      connectionString: `postgres://sleepy-bot:${secret}@127.0.0.1:${port}/app`,
    });
    client.on('error', () => undefined);
    await client.connect();
    const outcome = client.query('SELECT pg_sleep(3600) /* sigterm */').catch((e: unknown) => e);
    for (let tries = 0; (await sleeping()) === 0; tries++) {
      expect(tries).toBeLessThan(200);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    gateway.process.kill('SIGTERM');
    expect(await outcome).toMatchObject({ code: '57P01' });
    expect(await gateway.exited).toBe(0);
    let left = await sleeping();
    for (let tries = 0; left > 0 && tries < 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      left = await sleeping();
    }
    expect(left).toBe(0);
  });
});
