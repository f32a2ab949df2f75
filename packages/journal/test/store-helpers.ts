import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ScratchPostgres, startPostgres } from '@sluice/testkit';
import pg from 'pg';
import { connectStore, migrateStore, type StoreAddress } from '../src/index.js';

/** A scratch PostgreSQL with a migrated, empty store database `sluice_store`. */
export async function startStore(): Promise<{ server: ScratchPostgres; address: StoreAddress }> {
  const server = await startPostgres();
  await server.psql('CREATE DATABASE sluice_store');
  const address: StoreAddress = {
    host: server.host,
    port: server.port,
    user: server.superuser.user,
    database: 'sluice_store',
    password: server.superuser.password,
    sslMode: 'disable',
    sslRootCert: undefined,
  };
  const client = await connectStore(address, 'test');
  try {
    await migrateStore(client);
  } finally {
    await client.end();
  }
  return { server, address };
}

/** Runs `work` on a superuser connection to the store, as someone with access to it would. */
export async function onStore<T>(address: StoreAddress, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectStore(address, 'test');
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Stops (fast) or starts the scratch server in place: same directory, same port. */
export function pgCtl(server: ScratchPostgres, action: 'stop' | 'start'): void {
  const binDir = readFileSync(join(server.dir, 'pg-bin-dir'), 'utf8').trim();
  const args = ['-D', join(server.dir, 'data'), '-l', join(server.dir, 'postgres.log'), '-w', '-t', '30'];
  const command = [
    join(binDir, 'pg_ctl'),
    ...args,
    ...(action === 'stop' ? ['-m', 'fast', 'stop'] : ['start']),
  ];
  const asRoot = process.getuid?.() === 0;
  execFileSync(
    asRoot ? 'runuser' : (command[0] as string),
    asRoot ? ['-u', 'postgres', '--', ...command] : command.slice(1),
    {
      stdio: 'ignore',
    },
  );
}

export { pg };
