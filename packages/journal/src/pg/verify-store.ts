import type pg from 'pg';
import { JournalError } from '../errors.js';
import type { VerifyResult } from '../types.js';
import { ChainCheck, chainStart, chainsResult, type StoredRecord } from '../verify.js';
import { connectStore, type StoreAddress } from './connect.js';
import { checkStoreSchema } from './schema.js';

/** Records per page read from the store: memory stays bounded on a store of any size. */
const PAGE = 5000;

/**
 * Verifies every gateway's chain straight from the shared store (not a replica, which could be
 * out of date or altered on its own), reading each chain in keyset pages by (gateway, seq).
 */
export async function verifyStore(address: StoreAddress): Promise<VerifyResult> {
  const client = await connectStore(address, 'sluice audit verify').catch((error: unknown) => {
    throw new JournalError(
      'unavailable',
      `sluice: the shared store at ${address.host}:${address.port}/${address.database} cannot be reached (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  });
  try {
    await checkStoreSchema(client);
    const gateways = await client.query<{ gateway: string }>(
      'SELECT DISTINCT gateway FROM records ORDER BY gateway',
    );
    const checks: ChainCheck[] = [];
    for (const { gateway } of gateways.rows) checks.push(await verifyGateway(client, gateway));
    return chainsResult(checks);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function verifyGateway(client: pg.Client, gateway: string): Promise<ChainCheck> {
  const first = await client.query<{ first: string | null }>(
    'SELECT min(seq) AS first FROM records WHERE gateway = $1',
    [gateway],
  );
  const firstSeq = first.rows[0]?.first == null ? null : Number(first.rows[0].first);
  // The checkpoint is read before the walk: a chain after a purge starts where it says.
  const checkpoint =
    firstSeq !== null && firstSeq > 1
      ? await client.query<{ payload: string }>(
          `SELECT payload FROM records WHERE type = 'purge' AND gateway = $1
             AND (payload::jsonb ->> 'purged_through') = $2 ORDER BY id DESC LIMIT 1`,
          [gateway, String(firstSeq - 1)],
        )
      : undefined;
  const start = chainStart(gateway, firstSeq, () => checkpoint?.rows[0]?.payload);
  const check = new ChainCheck(start, gateway);
  let after = start.seq;
  for (;;) {
    const page = await client.query<Omit<StoredRecord, 'seq'> & { seq: string }>(
      `SELECT seq, at, type, ref, payload, prev_hash, hash FROM records
       WHERE gateway = $1 AND seq > $2 ORDER BY seq LIMIT ${PAGE}`,
      [gateway, after],
    );
    for (const row of page.rows) check.add({ ...row, seq: Number(row.seq) });
    const last = page.rows.at(-1);
    if (!last || page.rows.length < PAGE) return check;
    after = Number(last.seq);
  }
}
