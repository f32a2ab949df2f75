import type pg from 'pg';
import {
  type AccountRequest,
  type AccountRow,
  fromAccountRow,
  planAccountChange,
  requestedName,
  toAccountRow,
} from '../account-change.js';
import { ChainHead, type ChainLink } from '../chain.js';
import type { SegmentSource } from '../segments/segment-source.js';
import type { Account } from '../types.js';
import { CONTROL_CHANNEL, RECORDS_CHANNEL } from './schema.js';
import { beginRecords, insertRecords } from './store-ingest.js';

export interface StoreAccountChange {
  readonly account: Account;
  /** The account record: the head of this gateway's chain after the change. */
  readonly head: ChainLink;
}

const UPSERT_ACCOUNT = `
INSERT INTO accounts (name, groups, status, created_at, updated_at, expires_at, verifiers)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (name) DO UPDATE SET groups = excluded.groups, status = excluded.status,
  updated_at = excluded.updated_at, expires_at = excluded.expires_at, verifiers = excluded.verifiers`;

/**
 * An account change in the shared store, in one transaction: the gateway's records appended so
 * far go in first, then the account is read under a row lock (two gateways changing one account
 * take turns), changed as in the SQLite store, and its AC-2 event becomes the chain's next record.
 */
export async function changeStoreAccount(
  client: pg.Client,
  gatewayId: string,
  source: SegmentSource,
  upTo: number,
  request: AccountRequest,
): Promise<StoreAccountChange> {
  const name = requestedName(request);
  let change: StoreAccountChange;
  try {
    const stored = await beginRecords(client, gatewayId);
    const batch = source.read(stored, upTo, 'live', Number.MAX_SAFE_INTEGER);
    await insertRecords(client, gatewayId, batch.records);
    const found = await client.query<AccountRow>(
      `SELECT name, groups, status, created_at, updated_at, expires_at, verifiers
       FROM accounts WHERE name = $1 FOR UPDATE`,
      [name],
    );
    const current = found.rows[0];
    const at = new Date();
    const { account, event } = planAccountChange(request, current && fromAccountRow(current), at);
    const record = new ChainHead(batch.head).seal('account', account.name, event, at.toISOString());
    await insertRecords(client, gatewayId, [record]);
    const row = toAccountRow(account);
    await client.query(UPSERT_ACCOUNT, [
      row.name,
      row.groups,
      row.status,
      row.created_at,
      row.updated_at,
      row.expires_at,
      row.verifiers,
    ]);
    await client.query('COMMIT');
    change = { account, head: { seq: record.seq, hash: record.hash } };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  await client.query('SELECT pg_notify($1, $2)', [RECORDS_CHANNEL, gatewayId]);
  await client.query('SELECT pg_notify($1, $2)', [
    CONTROL_CHANNEL,
    JSON.stringify({ kind: 'account', name: change.account.name, status: change.account.status }),
  ]);
  return change;
}
