import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

/** The `prev_hash` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

export type RecordType = 'session_start' | 'session_end' | 'statement' | 'statement_end' | 'account';

export interface ChainLink {
  readonly seq: number;
  readonly hash: string;
}

export interface ChainedRecord {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly ref: string | null;
  readonly payload: string;
  readonly prevHash: string;
}

/**
 * The hash covers the seq, so a record moved to another position no longer matches, and the
 * previous hash, so a record removed from the middle breaks the next link.
 */
export function recordHash(record: ChainedRecord): string {
  return createHash('sha256')
    .update(
      `${record.prevHash}\n${record.seq}\n${record.at}\n${record.type}\n${record.ref ?? ''}\n${record.payload}`,
    )
    .digest('hex');
}

/** Appends chained records; statements are prepared once because appends are on the hot path. */
export class Chain {
  private readonly selectHead: Database.Statement<[], ChainLink>;
  private readonly insertRecord: Database.Statement<
    [number, string, string, string | null, string, string, string]
  >;

  constructor(db: Database.Database) {
    this.selectHead = db.prepare('SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1');
    this.insertRecord = db.prepare(
      'INSERT INTO records (seq, at, type, ref, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  head(): ChainLink | undefined {
    return this.selectHead.get();
  }

  /**
   * Must run inside a `BEGIN IMMEDIATE` transaction: the head is read under the write lock, so
   * appends from several processes form one linear chain.
   */
  append(type: RecordType, ref: string | null, payload: string, at: string): ChainLink {
    const head = this.selectHead.get();
    const seq = (head?.seq ?? 0) + 1;
    const prevHash = head?.hash ?? GENESIS_HASH;
    const hash = recordHash({ seq, at, type, ref, payload, prevHash });
    this.insertRecord.run(seq, at, type, ref, payload, prevHash, hash);
    return { seq, hash };
  }
}
