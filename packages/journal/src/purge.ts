import type Database from 'better-sqlite3';
import type { Chain } from './chain.js';
import { JournalError } from './errors.js';
import { lastSeqBefore } from './time-bounds.js';

/** What a purge removed; the `purge` record that says so stays in the chain. */
export interface PurgeResult {
  /** Records deleted; 0 when nothing was older than the cutoff. */
  readonly purged: number;
  /** The seq of the last deleted record and its hash: the anchor of what remains. */
  readonly through: number | null;
  readonly throughHash: string | null;
  /** The seq of the `purge` checkpoint record, when records were deleted. */
  readonly checkpoint: number | null;
}

/** The payload of a `purge` record. */
export interface PurgeCheckpoint {
  readonly purged_from: number;
  readonly purged_through: number;
  readonly purged_hash: string;
  readonly purged_records: number;
  readonly older_than: string;
  readonly actor: string;
}

interface Bound {
  readonly seq: number;
  readonly hash: string;
}

/**
 * Deletes every record older than `cutoff` in one write transaction: the checkpoint record is
 * appended first (it carries the hash of the last deleted record, so the first remaining record
 * still links to something in the chain), then a permit lets the delete trigger pass for those
 * seqs only, and is removed before the transaction commits.
 */
export function purgeOlderThan(
  db: Database.Database,
  chain: Chain,
  cutoff: Date,
  actor: string,
): PurgeResult {
  const first = db.prepare<[], number | null>('SELECT min(seq) FROM records').pluck();
  const bound = db.prepare<[number], Bound>('SELECT seq, hash FROM records WHERE seq = ?');
  const count = db.prepare<[number], number>('SELECT count(*) FROM records WHERE seq <= ?').pluck();
  const permit = db.prepare<[number]>('INSERT INTO purge_permits (up_to) VALUES (?)');
  const remove = db.prepare<[number]>('DELETE FROM records WHERE seq <= ?');
  const clearPermits = db.prepare('DELETE FROM purge_permits');
  const run = db.transaction((): PurgeResult => {
    const through = lastSeqBefore(db, cutoff.toISOString()) || null;
    if (through === null) return { purged: 0, through: null, throughHash: null, checkpoint: null };
    const last = bound.get(through);
    if (!last) throw new JournalError('corrupt', `record ${through} disappeared during the purge`);
    const checkpoint: PurgeCheckpoint = {
      purged_from: first.get() ?? through,
      purged_through: through,
      purged_hash: last.hash,
      purged_records: count.get(through) ?? 0,
      older_than: cutoff.toISOString(),
      actor,
    };
    const link = chain.append('purge', null, JSON.stringify(checkpoint), new Date().toISOString());
    permit.run(through);
    const { changes } = remove.run(through);
    clearPermits.run();
    return { purged: changes, through, throughHash: last.hash, checkpoint: link.seq };
  });
  return run.immediate();
}

/** The checkpoint a chain starting after record `through` rests on, from the `purge` records. */
export function checkpointFor(db: Database.Database, through: number): PurgeCheckpoint | undefined {
  const row = db
    .prepare<[number], string>(
      `SELECT payload FROM records WHERE type = 'purge'
       AND json_extract(payload, '$.purged_through') = ? ORDER BY seq DESC LIMIT 1`,
    )
    .pluck()
    .get(through);
  if (row === undefined) return undefined;
  const parsed = JSON.parse(row) as PurgeCheckpoint;
  return typeof parsed.purged_hash === 'string' ? parsed : undefined;
}
