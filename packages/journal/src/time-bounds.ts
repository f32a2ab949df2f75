import type Database from 'better-sqlite3';
import { replicaOf } from './schema.js';

interface Stamp {
  readonly seq: number;
  readonly at: string;
}

/**
 * The seq of the first record at or after `iso`, found by bisecting the seqs: records are
 * appended in time order (`at` is taken under the write lock), so no index on `at` is needed
 * and appends pay nothing for time searches. Null when every record is older. A clock that
 * stepped back can misplace the bound by the records of that step; callers keep their `at`
 * filters, so results stay exact within the bound.
 *
 * A replica of a shared store is in the store's order, not in time order: a gateway's records
 * reach the store late after an outage, and gateways' clocks differ. There the bounds come from
 * an index on `at` (the replica is written off the data path, so the index costs no append).
 */
export function firstSeqAtOrAfter(db: Database.Database, iso: string): number | null {
  if (replicaOf(db)) {
    return (
      db
        .prepare<[string], number | null>(
          'SELECT min(seq) FROM records WHERE gateway IS NOT NULL AND at >= ?',
        )
        .pluck()
        .get(iso) ?? null
    );
  }
  const from = db.prepare<[number], Stamp>('SELECT seq, at FROM records WHERE seq >= ? ORDER BY seq LIMIT 1');
  const last = db.prepare<[], Stamp>('SELECT seq, at FROM records ORDER BY seq DESC LIMIT 1').get();
  const first = from.get(0);
  if (!first || !last || last.at < iso) return null;
  let low = first.seq;
  let high = last.seq;
  // Invariant: the answer is in [low, high], and the record at or after `high` is not older.
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const stamp = from.get(middle);
    if (!stamp || stamp.at >= iso) high = middle;
    else low = stamp.seq + 1;
  }
  return from.get(low)?.seq ?? null;
}

/** The seq of the last record before `iso`; 0 when there is none. */
export function lastSeqBefore(db: Database.Database, iso: string): number {
  if (replicaOf(db)) {
    return (
      db
        .prepare<[string], number>(
          'SELECT coalesce(max(seq), 0) FROM records WHERE gateway IS NOT NULL AND at < ?',
        )
        .pluck()
        .get(iso) ?? 0
    );
  }
  const first = firstSeqAtOrAfter(db, iso);
  if (first !== null) {
    return (
      db
        .prepare<[number], number>('SELECT coalesce(max(seq), 0) FROM records WHERE seq < ?')
        .pluck()
        .get(first) ?? 0
    );
  }
  return db.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM records').pluck().get() ?? 0;
}
