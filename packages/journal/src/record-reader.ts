import type Database from 'better-sqlite3';
import {
  countByType,
  type JournalExtent,
  type RecordRange,
  readEntriesAfter,
  readEntriesOfType,
  readExtent,
  readNewest,
  readOtherRecords,
} from './entries.js';
import { guarded, guardedIteration } from './errors.js';
import { type RecordSearch, type SearchPage, searchRecords } from './search.js';
import type { JournalEntry } from './types.js';

/**
 * Reads records of every type for audit evidence: searches, ranges, counts, and the file's
 * extent (`journal.records`). Each read first lets a writing journal flush what is pending.
 */
export class RecordReader {
  constructor(
    private readonly db: Database.Database,
    private readonly beforeRead: () => void,
  ) {}

  /** One page of a search, newest first. */
  search(search: RecordSearch): SearchPage {
    this.beforeRead();
    return guarded('search the journal', () => searchRecords(this.db, search));
  }

  /** Records other than statements and outcomes in a range, oldest first, read page by page. */
  otherRecords(range: RecordRange): IterableIterator<JournalEntry> {
    this.beforeRead();
    return guardedIteration('read records', readOtherRecords(this.db, range));
  }

  /** Up to `limit` records after `afterSeq`, oldest first, of every type; on a shared store, of one gateway if named. */
  after(afterSeq: number, limit: number, gateway?: string): JournalEntry[] {
    this.beforeRead();
    return guarded('read records', () => readEntriesAfter(this.db, afterSeq, limit, gateway));
  }

  /** Every record of one type other than statements and outcomes after `afterSeq`, oldest first. */
  ofType(type: string, afterSeq = 0): JournalEntry[] {
    this.beforeRead();
    return guarded(`read ${type} records`, () => readEntriesOfType(this.db, type, afterSeq));
  }

  /** The newest `limit` records, oldest first. */
  newest(limit: number): JournalEntry[] {
    if (limit <= 0) return [];
    this.beforeRead();
    return guarded('read the newest records', () => readNewest(this.db, limit));
  }

  /** Records per type in a range. */
  countByType(range: RecordRange): Map<string, number> {
    this.beforeRead();
    return guarded('count records', () => countByType(this.db, range));
  }

  /** How many records the file holds, its oldest and newest, each identity's last sign-in. */
  extent(): JournalExtent {
    this.beforeRead();
    return guarded('read the journal extent', () => readExtent(this.db));
  }
}
