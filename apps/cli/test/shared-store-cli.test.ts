import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ScratchPostgres, scratchDir, startPostgres } from '@sluice/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, sluice, startCli } from './support/cli.js';

let server: ScratchPostgres;
let dir: string;
const gateways: RunningGateway[] = [];
const env = (): NodeJS.ProcessEnv => ({
  ORDERS_DB_PASSWORD: server.rolePassword,
  STORE_PASSWORD: server.superuser.password,
});

/** A gateway's configuration in a directory of its own, on the shared store. */
function gatewayConfig(id: string): string {
  const home = join(dir, id);
  mkdirSync(home);
  const file = join(home, 'sluice.yaml');
  writeFileSync(
    file,
    `journal:
  path: ./sluice.db
  store: postgres://${server.superuser.user}@127.0.0.1:${server.port}/sluice_store
  store_password: \${STORE_PASSWORD}
  gateway_id: ${id}
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:0
    upstream: postgres://${server.roles.scram}@127.0.0.1:${server.port}/${server.database}
    upstream_password: \${ORDERS_DB_PASSWORD}
`,
  );
  return file;
}

beforeAll(async () => {
  server = await startPostgres();
  await server.psql('CREATE DATABASE sluice_store');
  dir = scratchDir('sluice-store-cli-');
});

afterAll(async () => {
  for (const gateway of gateways) gateway.process.kill('SIGKILL');
  await server?.stop();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > 5000) throw new Error(`not within 5 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('gateways sharing one store', () => {
  it('migrates the store, shares accounts and records between two gateways, and verifies both chains', async () => {
    const a = gatewayConfig('gw-a');
    const b = gatewayConfig('gw-b');
    const refused = await sluice(['start', '--config', a], env());
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('run `sluice store migrate`');

    const migrated = await sluice(['store', 'migrate', '--config', a], env());
    expect(migrated).toMatchObject({ code: 0, stdout: 'store schema: version 0 → 1\n' });
    const again = await sluice(['store', 'migrate', '--config', b, '--json'], env());
    expect(JSON.parse(again.stdout)).toMatchObject({ from: 1, to: 1 });

    gateways.push(await startCli(a, 1, env()), await startCli(b, 1, env()));
    const [gatewayA, gatewayB] = gateways as [RunningGateway, RunningGateway];
    const added = await sluice(['agents', 'add', 'etl-job', '--group', 'ci', '--config', a, '--json'], env());
    expect(added.code).toBe(0);
    const secret = (JSON.parse(added.stdout) as { secret: string }).secret;

    for (const [gateway, name] of [
      [gatewayA, 'a'],
      [gatewayB, 'b'],
    ] as const) {
      const client = await until(
        async () => {
          const client = new pg.Client({
            connectionString: `postgres://etl-job:${secret}@127.0.0.1:${gateway.ports.get('orders')}/app`,
          });
          return client.connect().then(
            () => client,
            () => null,
          );
        },
        (client) => client !== null,
        `gateway ${name} accepts the account`,
      );
      await client?.query(`SELECT 1 AS n /* via ${name} */`);
      await client?.end();
    }

    const tail = await until(
      () => sluice(['audit', 'export', '--config', b], env()),
      (result) => result.stdout.includes('via a') && result.stdout.includes('via b'),
      "gateway b's replica holds both gateways' statements",
    );
    expect(tail.code).toBe(0);

    const verified = await sluice(['audit', 'verify', '--config', a], env());
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(
      /^journal intact: \d+ record\(s\) in 2 gateway chain\(s\)\n {2}gateway gw-a: /,
    );
  });
});
