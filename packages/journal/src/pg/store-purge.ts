import type pg from 'pg';
import { ChainHead, type ChainLink } from '../chain.js';
import type { PurgeCheckpoint, PurgeResult } from '../purge.js';
import type { SegmentSource } from '../segments/segment-source.js';
import { CONTROL_CHANNEL, RECORDS_CHANNEL } from './schema.js';
import { beginRecords, insertRecords } from './store-ingest.js';

export interface StorePurge {
  readonly result: PurgeResult;
  /** This gateway's chain head afterwards: the checkpoint, when records were deleted. */
  readonly head: ChainLink;
}

/**
 * Deletes this gateway's records older than `cutoff` from the shared store, as the SQLite store
 * does: in one transaction the records appended so far go in, the `purge` checkpoint (with the
 * hash of the last deleted record) becomes the chain's next record, and a permit for this
 * gateway's chain lets the store's delete trigger pass up to that record only. Other gateways'
 * chains are theirs to purge.
 */
export async function purgeStoreChain(
  client: pg.Client,
  gatewayId: string,
  source: SegmentSource,
  upTo: number,
  cutoff: Date,
  actor: string,
): Promise<StorePurge> {
  let purge: StorePurge;
  try {
    const stored = await beginRecords(client, gatewayId);
    const batch = source.read(stored, upTo, 'live', Number.MAX_SAFE_INTEGER);
    await insertRecords(client, gatewayId, batch.records);
    const found = await client.query<{ first: string | null; through: string | null; count: string }>(
      `SELECT min(seq) AS first, max(seq) AS through, count(*) AS count FROM records
       WHERE gateway = $1 AND at < $2`,
      [gatewayId, cutoff.toISOString()],
    );
    const bounds = found.rows[0];
    if (!bounds?.through) {
      await client.query('COMMIT');
      return {
        result: { purged: 0, through: null, throughHash: null, checkpoint: null },
        head: batch.head,
      };
    }
    const through = Number(bounds.through);
    const last = await client.query<{ hash: string }>(
      'SELECT hash FROM records WHERE gateway = $1 AND seq = $2',
      [gatewayId, through],
    );
    const purgedHash = last.rows[0]?.hash ?? '';
    const checkpoint: PurgeCheckpoint = {
      purged_from: Number(bounds.first),
      purged_through: through,
      purged_hash: purgedHash,
      purged_records: Number(bounds.count),
      older_than: cutoff.toISOString(),
      actor,
    };
    const record = new ChainHead(batch.head).seal(
      'purge',
      null,
      JSON.stringify(checkpoint),
      new Date().toISOString(),
    );
    await insertRecords(client, gatewayId, [record]);
    await client.query('INSERT INTO purge_permits (gateway, up_to) VALUES ($1, $2)', [gatewayId, through]);
    const removed = await client.query('DELETE FROM records WHERE gateway = $1 AND seq <= $2', [
      gatewayId,
      through,
    ]);
    await client.query('DELETE FROM purge_permits WHERE gateway = $1', [gatewayId]);
    await client.query('COMMIT');
    purge = {
      result: { purged: removed.rowCount ?? 0, through, throughHash: purgedHash, checkpoint: record.seq },
      head: { seq: record.seq, hash: record.hash },
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  await client.query('SELECT pg_notify($1, $2)', [RECORDS_CHANNEL, gatewayId]);
  await client.query('SELECT pg_notify($1, $2)', [
    CONTROL_CHANNEL,
    JSON.stringify({ kind: 'purge', gateway: gatewayId, through: purge.result.through }),
  ]);
  return purge;
}
