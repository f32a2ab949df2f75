import type pg from 'pg';
import { JournalError } from '../errors.js';
import { connectStore, type StoreAddress } from './connect.js';
import { CONTROL_CHANNEL, checkStoreSchema, RECORDS_CHANNEL } from './schema.js';

/** The key space (first key of two) of the session lock a gateway holds on its id. */
const GATEWAY_LOCK = 0x51_1ce_003;

/**
 * The connection a gateway's records go in through. It holds the gateway's lock on its id for
 * as long as it lives, so that two processes never write one chain.
 */
export async function connectWriter(address: StoreAddress, gatewayId: string): Promise<pg.Client> {
  const client = await connectStore(address, `sluice gateway ${gatewayId}`);
  try {
    await checkStoreSchema(client);
    const lock = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
      [GATEWAY_LOCK, gatewayId],
    );
    if (!lock.rows[0]?.locked) {
      throw new JournalError(
        'locked',
        `sluice: another gateway runs as gateway_id ${gatewayId} on this store`,
      );
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** What a notification on the store's channels asks of a replica. */
export interface StoreNote {
  /** Records: another gateway's, or this one's, reached the store. */
  readonly records: boolean;
  /** An account changed. */
  readonly accounts: boolean;
}

/** The connection a replica reads through, listening for records and account changes. */
export async function connectReader(
  address: StoreAddress,
  gatewayId: string,
  onNote: (note: StoreNote) => void,
): Promise<pg.Client> {
  const client = await connectStore(address, `sluice gateway ${gatewayId} (replica)`);
  client.on('notification', (note) => {
    onNote({ records: true, accounts: note.channel === CONTROL_CHANNEL && isAccountNote(note.payload) });
  });
  try {
    await client.query(`LISTEN ${RECORDS_CHANNEL}`);
    await client.query(`LISTEN ${CONTROL_CHANNEL}`);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

function isAccountNote(payload: string | undefined): boolean {
  try {
    return (JSON.parse(payload ?? '') as { kind?: unknown }).kind === 'account';
  } catch {
    return false;
  }
}
