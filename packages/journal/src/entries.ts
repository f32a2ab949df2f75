import type Database from 'better-sqlite3';
import { parseObject } from './payload-fields.js';
import { firstSeqAtOrAfter, lastSeqBefore } from './time-bounds.js';
import type { JournalEntry } from './types.js';

/** A time range of the journal; either end may be open. `to` is exclusive. */
export interface RecordRange {
  readonly from?: Date;
  readonly to?: Date;
}

interface Row {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly ref: string | null;
  readonly payload: string;
  readonly hash: string;
}

const PAGE_SIZE = 1000;

// Everything but statements and their outcomes: the few records of sessions, sign-ins,
// accounts, approvals, grants, admin calls and purges, read through their partial index.
const OTHER_RECORDS_SQL = `
SELECT seq, at, type, ref, payload, hash FROM records
WHERE type NOT IN ('statement', 'statement_end') AND seq > @after
  AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)
ORDER BY seq LIMIT @pageSize`;

/** The records other than statements in a range, oldest first, a page at a time. */
export function* readOtherRecords(db: Database.Database, range: RecordRange): Generator<JournalEntry> {
  const select = db.prepare<[Record<string, string | number | null>], Row>(OTHER_RECORDS_SQL);
  const bounds = { from: range.from?.toISOString() ?? null, to: range.to?.toISOString() ?? null };
  let after = 0;
  for (;;) {
    const page = select.all({ ...bounds, after, pageSize: PAGE_SIZE });
    for (const row of page) yield { ...row, payload: parseObject(row.payload, `record ${row.seq}`) };
    const last = page.at(-1);
    if (!last || page.length < PAGE_SIZE) return;
    after = last.seq;
  }
}

/** The whole file's extent and each identity's last sign-in, for retention and AC-2 evidence. */
export interface JournalExtent {
  readonly records: number;
  readonly oldest: { readonly seq: number; readonly at: string } | null;
  readonly newest: { readonly seq: number; readonly at: string } | null;
  /** Identity → time of its newest session start, over the whole file. */
  readonly lastSignIn: ReadonlyMap<string, string>;
}

export function readExtent(db: Database.Database): JournalExtent {
  const bound = (order: 'ASC' | 'DESC') =>
    db
      .prepare<[], { seq: number; at: string }>(`SELECT seq, at FROM records ORDER BY seq ${order} LIMIT 1`)
      .get() ?? null;
  const records = db.prepare<[], number>('SELECT count(*) FROM records').pluck().get() ?? 0;
  const rows = db
    .prepare<[], { identity: string | null; last: string }>(
      `SELECT json_extract(payload, '$.identity') AS identity, max(at) AS last FROM records
       WHERE type NOT IN ('statement', 'statement_end') AND type = 'session_start' GROUP BY 1`,
    )
    .all();
  const lastSignIn = new Map<string, string>();
  for (const row of rows) if (row.identity !== null) lastSignIn.set(row.identity, row.last);
  return { records, oldest: bound('ASC'), newest: bound('DESC'), lastSignIn };
}

/** How many records of each type a range holds: the exact counts a report states. */
export function countByType(db: Database.Database, range: RecordRange): Map<string, number> {
  const from = range.from?.toISOString() ?? null;
  const to = range.to?.toISOString() ?? null;
  const rows = db
    .prepare<[Record<string, string | number | null>], { type: string; count: number }>(
      `SELECT type, count(*) AS count FROM records
       WHERE seq >= @fromSeq AND seq <= @toSeq
         AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)
       GROUP BY type ORDER BY type`,
    )
    .all({
      from,
      to,
      fromSeq: from === null ? 0 : (firstSeqAtOrAfter(db, from) ?? Number.MAX_SAFE_INTEGER),
      toSeq: to === null ? Number.MAX_SAFE_INTEGER : lastSeqBefore(db, to),
    });
  return new Map(rows.map((row) => [row.type, row.count]));
}

/** Up to `limit` records after `afterSeq`, oldest first (forwarding reads the journal this way). */
export function readEntriesAfter(db: Database.Database, afterSeq: number, limit: number): JournalEntry[] {
  return db
    .prepare<[number, number], Row>(
      'SELECT seq, at, type, ref, payload, hash FROM records WHERE seq > ? ORDER BY seq LIMIT ?',
    )
    .all(afterSeq, limit)
    .map((row) => ({ ...row, payload: parseObject(row.payload, `record ${row.seq}`) }));
}

/**
 * Every record of one rare type after `afterSeq`, oldest first (grants read back at start). The
 * type condition is repeated as the partial index states it, so SQLite can use that index.
 */
export function readEntriesOfType(db: Database.Database, type: string, afterSeq: number): JournalEntry[] {
  return db
    .prepare<[string, number], Row>(
      `SELECT seq, at, type, ref, payload, hash FROM records
       WHERE type = ? AND type NOT IN ('statement', 'statement_end') AND seq > ? ORDER BY seq`,
    )
    .all(type, afterSeq)
    .map((row) => ({ ...row, payload: parseObject(row.payload, `record ${row.seq}`) }));
}

/** The newest `limit` records, oldest first. */
export function readNewest(db: Database.Database, limit: number): JournalEntry[] {
  return db
    .prepare<[number], Row>(
      'SELECT seq, at, type, ref, payload, hash FROM (SELECT * FROM records ORDER BY seq DESC LIMIT ?) ORDER BY seq',
    )
    .all(limit)
    .map((row) => ({ ...row, payload: parseObject(row.payload, `record ${row.seq}`) }));
}
