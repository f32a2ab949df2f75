import type { ScaleCluster } from './scale-cluster.js';

export interface StoredStatement {
  readonly gateway: string;
  readonly statement: string;
  /** The client as the gateway saw it: behind HAProxy, the one its PROXY header named. */
  readonly clientAddress: string;
}

/** The statement records in the shared store whose text contains `fragment`, in the store's order. */
export async function storedStatements(cluster: ScaleCluster, fragment: string): Promise<StoredStatement[]> {
  const rows = await cluster.storeQuery<{
    gateway: string;
    statement: string;
    client_address: string;
  }>(
    `SELECT gateway, payload::jsonb ->> 'statement' AS statement,
       payload::jsonb ->> 'client_address' AS client_address FROM records
     WHERE type = 'statement' AND strpos(payload::jsonb ->> 'statement', $1) > 0 ORDER BY id`,
    [fragment],
  );
  return rows.map((row) => ({
    gateway: row.gateway,
    statement: row.statement,
    clientAddress: row.client_address,
  }));
}
