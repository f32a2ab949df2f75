import type Database from 'better-sqlite3';
import { parseObject } from './payload-fields.js';
import { hasChainColumns } from './schema.js';
import { firstSeqAtOrAfter, lastSeqBefore } from './time-bounds.js';
import type { JournalEntry } from './types.js';

/** A time range of the journal; either end may be open. `to` is exclusive. */
export interface RecordRange {
  readonly from?: Date;
  readonly to?: Date;
}

export interface EntryRow {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly ref: string | null;
  readonly payload: string;
  readonly hash: string;
  readonly gateway: string | null;
}

const PAGE_SIZE = 1000;

/** The columns every entry read selects; a file older than schema 3 has no gateway. */
export function entryColumns(db: Database.Database): string {
  return `seq, at, type, ref, payload, hash, ${hasChainColumns(db) ? 'gateway' : 'NULL AS gateway'}`;
}

/** A row as an entry: the payload parsed, the gateway only where the record has one. */
export function toEntry({ gateway, ...row }: EntryRow): JournalEntry {
  const entry = { ...row, payload: parseObject(row.payload, `record ${row.seq}`) };
  return gateway === null ? entry : { ...entry, gateway };
}

// Everything but statements and their outcomes: the few records of sessions, sign-ins,
// accounts, approvals, grants, admin calls and purges, read through their partial index.
const otherRecordsSql = (columns: string) => `
SELECT ${columns} FROM records
WHERE type NOT IN ('statement', 'statement_end') AND seq > @after
  AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)
ORDER BY seq LIMIT @pageSize`;

/** The records other than statements in a range, oldest first, a page at a time. */
export function* readOtherRecords(db: Database.Database, range: RecordRange): Generator<JournalEntry> {
  const select = db.prepare<[Record<string, string | number | null>], EntryRow>(
    otherRecordsSql(entryColumns(db)),
  );
  const bounds = { from: range.from?.toISOString() ?? null, to: range.to?.toISOString() ?? null };
  let after = 0;
  for (;;) {
    const page = select.all({ ...bounds, after, pageSize: PAGE_SIZE });
    for (const row of page) yield toEntry(row);
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
export function readEntriesAfter(
  db: Database.Database,
  afterSeq: number,
  limit: number,
  gateway?: string,
): JournalEntry[] {
  if (gateway === undefined || !hasChainColumns(db)) {
    return db
      .prepare<[number, number], EntryRow>(
        `SELECT ${entryColumns(db)} FROM records WHERE seq > ? ORDER BY seq LIMIT ?`,
      )
      .all(afterSeq, limit)
      .map(toEntry);
  }
  return db
    .prepare<[number, string, number], EntryRow>(
      `SELECT ${entryColumns(db)} FROM records WHERE seq > ? AND gateway = ? ORDER BY seq LIMIT ?`,
    )
    .all(afterSeq, gateway, limit)
    .map(toEntry);
}

/**
 * Every record of one rare type after `afterSeq`, oldest first (grants read back at start). The
 * type condition is repeated as the partial index states it, so SQLite can use that index.
 */
export function readEntriesOfType(db: Database.Database, type: string, afterSeq: number): JournalEntry[] {
  return db
    .prepare<[string, number], EntryRow>(
      `SELECT ${entryColumns(db)} FROM records
       WHERE type = ? AND type NOT IN ('statement', 'statement_end') AND seq > ? ORDER BY seq`,
    )
    .all(type, afterSeq)
    .map(toEntry);
}

/** The newest `limit` records, oldest first. */
export function readNewest(db: Database.Database, limit: number): JournalEntry[] {
  return db
    .prepare<[number], EntryRow>(
      `SELECT ${entryColumns(db)} FROM (SELECT * FROM records ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
    )
    .all(limit)
    .map(toEntry);
}
