import { unlinkSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { type ChainLink, GENESIS_HASH, recordHash } from '../chain.js';
import { JournalError } from '../errors.js';
import { listSegments, type SegmentFile } from './segment-files.js';
import { readSegment, type SegmentDamage } from './segment-reader.js';
import type { SealedRecord } from './segment-record.js';

/** Records per store transaction: large enough to be cheap, small enough to keep readers' waits short. */
const RECORDS_PER_TRANSACTION = 20_000;
/** Rows per INSERT: one statement call per row costs more than SQLite's own work for it. */
const ROWS_PER_INSERT = 64;
const COLUMNS = '(seq, at, type, ref, payload, prev_hash, hash)';

export interface IngestRound {
  /** Records written into the store. */
  readonly ingested: number;
  /** The store's newest record afterwards. */
  readonly head: ChainLink;
  /** Recovery only: the torn final record (or records) dropped from the newest segment. */
  readonly torn: (SegmentDamage & { readonly segment: string }) | null;
}

/**
 * Moves records from the segment log into the store. The store's newest record is the cursor,
 * read and advanced in the same transaction that inserts the records, so two ingesters (the
 * worker and the writer's thread catching up for a reader) never insert a record twice. Each
 * record must continue the store's chain; segments whose records are all in the store are removed.
 */
export class SegmentIngest {
  private readonly selectHead: Database.Statement<[], ChainLink>;
  private readonly insertOne: Database.Statement<unknown[]>;
  private readonly insertMany: Database.Statement<unknown[]>;
  private readonly rows: unknown[] = [];
  /** How far each segment has been read, so a live segment is not re-read from its start. */
  private readonly offsets = new Map<string, { readonly offset: number; readonly lastSeq: number }>();

  constructor(
    private readonly db: Database.Database,
    private readonly directory: string,
  ) {
    this.selectHead = db.prepare('SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1');
    this.insertOne = db.prepare(`INSERT INTO records ${COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const values = Array.from({ length: ROWS_PER_INSERT }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ');
    this.insertMany = db.prepare(`INSERT INTO records ${COLUMNS} VALUES ${values}`);
  }

  /** The store's newest record. */
  head(): ChainLink {
    return this.selectHead.get() ?? { seq: 0, hash: GENESIS_HASH };
  }

  /**
   * Ingests the records up to seq `upTo` that the gateway has appended (`live`), or, at start,
   * everything the segments hold (`recover`), where a torn tail is dropped and reported.
   */
  run(upTo: number, mode: 'live' | 'recover'): IngestRound {
    let ingested = 0;
    let torn: IngestRound['torn'] = null;
    for (;;) {
      const round = this.db.transaction(() => this.ingestSome(upTo, mode)).immediate();
      ingested += round.ingested;
      torn ??= round.torn;
      if (!round.more) {
        this.removeIngested(round.head.seq);
        return { ingested, head: round.head, torn };
      }
    }
  }

  private ingestSome(upTo: number, mode: 'live' | 'recover'): IngestRound & { readonly more: boolean } {
    try {
      return this.readAndInsert(upTo, mode);
    } finally {
      this.insertRows();
    }
  }

  private readAndInsert(upTo: number, mode: 'live' | 'recover'): IngestRound & { readonly more: boolean } {
    let head = this.head();
    let ingested = 0;
    let torn: IngestRound['torn'] = null;
    const segments = listSegments(this.directory);
    for (const [index, segment] of segments.entries()) {
      const next = segments[index + 1];
      if (next && next.firstSeq <= head.seq + 1) continue;
      const known = this.offsets.get(segment.path);
      const from = known && known.lastSeq <= head.seq ? known.offset : 0;
      const read = readSegment(segment.path, from, { live: mode === 'live', newest: next === undefined });
      // Where the records taken so far end: the next round reads on from there.
      let readTo = known && from > 0 ? known : null;
      for (const { record, end } of read.records) {
        if (record.seq > upTo || ingested >= RECORDS_PER_TRANSACTION) {
          if (readTo) this.offsets.set(segment.path, readTo);
          return { ingested, head, torn, more: ingested >= RECORDS_PER_TRANSACTION && record.seq <= upTo };
        }
        if (record.seq > head.seq) {
          this.check(record, head, segment);
          this.queueRow(record);
          head = { seq: record.seq, hash: record.hash };
          ingested += 1;
        }
        readTo = { offset: end, lastSeq: record.seq };
      }
      if (readTo) this.offsets.set(segment.path, readTo);
      if (read.damage?.kind === 'corrupt') throw corrupt(segment, read.damage);
      if (read.damage) torn = { ...read.damage, segment: segment.path };
    }
    return { ingested, head, torn, more: false };
  }

  private queueRow(record: SealedRecord): void {
    this.rows.push(
      record.seq,
      record.at,
      record.type,
      record.ref,
      record.payload,
      record.prevHash,
      record.hash,
    );
    if (this.rows.length === ROWS_PER_INSERT * 7) {
      this.insertMany.run(this.rows);
      this.rows.length = 0;
    }
  }

  /** Inserts the rows still queued, one by one (fewer than a multi-row INSERT takes). */
  private insertRows(): void {
    for (let index = 0; index < this.rows.length; index += 7)
      this.insertOne.run(this.rows.slice(index, index + 7));
    this.rows.length = 0;
  }

  private check(record: SealedRecord, head: ChainLink, segment: SegmentFile): void {
    const fits =
      record.seq === head.seq + 1 && record.prevHash === head.hash && recordHash(record) === record.hash;
    if (fits) return;
    throw new JournalError(
      'corrupt',
      `sluice: record ${record.seq} in journal segment ${segment.path} does not continue the chain ` +
        `after record ${head.seq}; the journal is damaged: run \`sluice audit verify\` and keep the segment for inspection`,
    );
  }

  /** Segments older than the newest whose records are all in the store. */
  private removeIngested(headSeq: number): void {
    const segments = listSegments(this.directory);
    for (const [index, segment] of segments.entries()) {
      const next = segments[index + 1];
      if (!next || next.firstSeq > headSeq + 1) break;
      try {
        unlinkSync(segment.path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      this.offsets.delete(segment.path);
    }
  }
}

function corrupt(segment: SegmentFile, damage: SegmentDamage): JournalError {
  return new JournalError(
    'corrupt',
    `sluice: journal segment ${segment.path} is damaged at byte ${damage.offset} (${damage.reason}) ` +
      'with records after it; the gateway will not start on a damaged journal: run `sluice audit verify` ' +
      'and keep the segment for inspection',
  );
}
