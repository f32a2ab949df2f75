import type Database from 'better-sqlite3';
import { type ChainLink, GENESIS_HASH } from '../chain.js';
import type { SealedRecord } from './segment-record.js';
import { SegmentSource, type SegmentTear } from './segment-source.js';

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
  readonly torn: SegmentTear;
}

/**
 * Moves records from the segment log into the SQLite store. The store's newest record is the
 * cursor, read and advanced in the same transaction that inserts the records, so two ingesters
 * (the worker and the writer's thread catching up for a reader) never insert a record twice.
 * Each record must continue the store's chain; segments whose records are all in the store are removed.
 */
export class SegmentIngest {
  private readonly selectHead: Database.Statement<[], ChainLink>;
  private readonly insertOne: Database.Statement<unknown[]>;
  private readonly insertMany: Database.Statement<unknown[]>;
  private readonly rows: unknown[] = [];
  private readonly source: SegmentSource;

  constructor(
    private readonly db: Database.Database,
    directory: string,
  ) {
    this.source = new SegmentSource(directory);
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
      ingested += round.records.length;
      torn ??= round.torn;
      if (!round.more) {
        this.source.removeIngested(round.head.seq);
        return { ingested, head: round.head, torn };
      }
    }
  }

  private ingestSome(upTo: number, mode: 'live' | 'recover') {
    try {
      const batch = this.source.read(this.head(), upTo, mode, RECORDS_PER_TRANSACTION);
      for (const record of batch.records) this.queueRow(record);
      return batch;
    } finally {
      this.insertRows();
    }
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
}
