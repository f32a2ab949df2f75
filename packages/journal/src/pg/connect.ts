import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';

/** Where the shared store is: the fields of `journal.store` (an upstream URL) Sluice connects with. */
export interface StoreTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  readonly password: { reveal(): string } | undefined;
  readonly sslMode: 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  readonly sslRootCert: string | undefined;
}

/** What a worker thread receives: a StoreTarget with the password as text (secrets do not cross threads). */
export type StoreAddress = Omit<StoreTarget, 'password'> & { readonly password: string | undefined };

/** How long connecting to the store may take before it counts as unreachable. */
export const STORE_CONNECT_TIMEOUT_MS = 5000;

export function storeAddress(target: StoreTarget): StoreAddress {
  return { ...target, password: target.password?.reveal() };
}

/** The `pg` settings of a store connection; `application_name` says which gateway holds it. */
export function storeClientConfig(address: StoreAddress, applicationName: string): pg.ClientConfig {
  return {
    host: address.host,
    port: address.port,
    user: address.user,
    database: address.database,
    password: address.password,
    ssl: sslOptions(address),
    application_name: applicationName,
    connectionTimeoutMillis: STORE_CONNECT_TIMEOUT_MS,
    keepAlive: true,
  };
}

/** A connected client; the caller ends it. Errors on an idle connection are left to its owner's `error` listener. */
export async function connectStore(address: StoreAddress, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client(storeClientConfig(address, applicationName));
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

function sslOptions(address: StoreAddress): false | ConnectionOptions {
  // node-postgres has no `prefer`: it either requires TLS or never asks for it.
  if (address.sslMode === 'disable' || address.sslMode === 'prefer') return false;
  const verify = address.sslMode === 'verify-ca' || address.sslMode === 'verify-full';
  return {
    rejectUnauthorized: verify,
    ...(address.sslRootCert ? { ca: readFileSync(address.sslRootCert, 'utf8') } : {}),
    ...(address.sslMode === 'verify-full' ? {} : { checkServerIdentity: () => undefined }),
  };
}
