import type pg from 'pg';
import { type ChainLink, chainGenesis } from '../chain.js';
import type { SealedRecord } from '../segments/segment-record.js';
import type { SegmentSource, SegmentTear } from '../segments/segment-source.js';
import { RECORDS_CHANNEL, RECORDS_ORDER_LOCK } from './schema.js';

/** Records per store transaction, and per INSERT (each INSERT sends its rows as eight arrays). */
const RECORDS_PER_TRANSACTION = 20_000;
const ROWS_PER_INSERT = 5000;

const INSERT_RECORDS = `
INSERT INTO records (gateway, seq, at, type, ref, payload, prev_hash, hash)
SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`;

export interface StoreRound {
  readonly ingested: number;
  /** This gateway's newest record in the store afterwards. */
  readonly head: ChainLink;
  readonly torn: SegmentTear;
}

/** This gateway's newest record in the store (its chain's genesis when it has none). */
export async function storeHead(client: pg.Client, gatewayId: string): Promise<ChainLink> {
  const found = await client.query<{ seq: string; hash: string }>(
    'SELECT seq, hash FROM records WHERE gateway = $1 ORDER BY seq DESC LIMIT 1',
    [gatewayId],
  );
  const row = found.rows[0];
  return row ? { seq: Number(row.seq), hash: row.hash } : { seq: 0, hash: chainGenesis(gatewayId) };
}

/**
 * Inserts records of this gateway's chain; the caller holds a transaction with RECORDS_ORDER_LOCK
 * taken, so that ids become visible in the order they are given.
 */
export async function insertRecords(
  client: pg.Client,
  gatewayId: string,
  records: readonly SealedRecord[],
): Promise<void> {
  for (let start = 0; start < records.length; start += ROWS_PER_INSERT) {
    const rows = records.slice(start, start + ROWS_PER_INSERT);
    await client.query(INSERT_RECORDS, [
      gatewayId,
      rows.map((record) => record.seq),
      rows.map((record) => record.at),
      rows.map((record) => record.type),
      rows.map((record) => record.ref),
      rows.map((record) => record.payload),
      rows.map((record) => record.prevHash),
      rows.map((record) => record.hash),
    ]);
  }
}

/** Opens a transaction in which this gateway's records may be inserted, and reads its head in it. */
export async function beginRecords(client: pg.Client, gatewayId: string): Promise<ChainLink> {
  await client.query('BEGIN');
  await client.query('SELECT pg_advisory_xact_lock($1)', [RECORDS_ORDER_LOCK]);
  return storeHead(client, gatewayId);
}

/**
 * Moves this gateway's records from the segment log into the shared store. The cursor is the
 * gateway's newest record in the store, read in the transaction that inserts after it, so a
 * round cut short by a lost connection is simply repeated: no record is lost or inserted twice.
 */
export async function ingestIntoStore(
  client: pg.Client,
  gatewayId: string,
  source: SegmentSource,
  upTo: number,
  mode: 'live' | 'recover',
): Promise<StoreRound> {
  let ingested = 0;
  let torn: SegmentTear = null;
  for (;;) {
    const head = await beginRecords(client, gatewayId);
    let batch: ReturnType<SegmentSource['read']>;
    try {
      batch = source.read(head, upTo, mode, RECORDS_PER_TRANSACTION);
      await insertRecords(client, gatewayId, batch.records);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    if (batch.records.length > 0)
      await client.query('SELECT pg_notify($1, $2)', [RECORDS_CHANNEL, gatewayId]);
    ingested += batch.records.length;
    torn ??= batch.torn;
    if (!batch.more) {
      source.removeIngested(batch.head.seq);
      return { ingested, head: batch.head, torn };
    }
  }
}
