import * as crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import type { SealedRecord } from './segments/segment-record.js';

/** The `prev_hash` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The `prev_hash` of the first record of a gateway's chain in a shared store: it names the
 * gateway, so a chain cannot be passed off as another gateway's.
 */
export function chainGenesis(gatewayId: string): string {
  return sha256Hex(`sluice chain ${gatewayId}`);
}

export type RecordType =
  | 'session_start'
  | 'session_end'
  | 'statement'
  | 'statement_end'
  | 'account'
  /** A failed sign-in (IA-2), or a burst of them coalesced into one record with a count. */
  | 'sign_in_failed'
  /** A purge's checkpoint: the seq and hash of the last record it deleted (AU-11). */
  | 'purge'
  | ControlRecordType;

/** Approval requests and decisions, grant changes, and changes made through the admin API. */
export type ControlRecordType = 'approval' | 'grant' | 'admin';

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
  return sha256Hex(
    `${record.prevHash}\n${record.seq}\n${record.at}\n${record.type}\n${record.ref ?? ''}\n${record.payload}`,
  );
}

// Every append and every verified record pays one digest: the one-shot form (Node 20.12 and
// later) costs half of a Hash object's. Node 20.11 still runs Sluice, with the slower form.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * The end of the chain held in memory by the one process that writes a journal: records are
 * sealed (given their seq and hash) here and appended to the segment log, with no store read.
 */
export class ChainHead {
  constructor(private link: ChainLink) {}

  get seq(): number {
    return this.link.seq;
  }

  get hash(): string {
    return this.link.hash;
  }

  /** The record that would follow the head; the head moves only with `advance`, once it is written. */
  seal(
    type: RecordType,
    ref: string | null,
    payload: string,
    at: string,
    after: ChainLink = this.link,
  ): SealedRecord {
    const seq = after.seq + 1;
    const prevHash = after.hash;
    return {
      seq,
      at,
      type,
      ref,
      payload,
      prevHash,
      hash: recordHash({ seq, at, type, ref, payload, prevHash }),
    };
  }

  advance(link: ChainLink): void {
    this.link = { seq: link.seq, hash: link.hash };
  }
}

type InsertRecord = Database.Statement<[number, string, string, string | null, string, string, string]>;

/**
 * Appends chained records; statements are prepared once because appends are on the hot path.
 * Every append runs inside a `BEGIN IMMEDIATE` transaction: the head is read under the write
 * lock, so appends from several processes form one linear chain.
 */
export class Chain {
  private readonly selectHead: Database.Statement<[], ChainLink>;
  private readonly insertRecord: InsertRecord;

  constructor(db: Database.Database) {
    this.selectHead = db.prepare('SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1');
    this.insertRecord = db.prepare(
      'INSERT INTO records (seq, at, type, ref, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  head(): ChainLink | undefined {
    return this.selectHead.get();
  }

  /** Appends one record (inside a `BEGIN IMMEDIATE` transaction). */
  append(type: RecordType, ref: string | null, payload: string, at: string): ChainLink {
    return this.cursor().append(type, ref, payload, at);
  }

  /**
   * Reads the head once for a run of appends in one `BEGIN IMMEDIATE` transaction: no other
   * process can append before it commits, so the head is then followed in memory.
   */
  cursor(): ChainCursor {
    return new ChainCursor(this.insertRecord, this.selectHead.get());
  }
}

/** The end of the chain within one write transaction; valid only until that transaction ends. */
export class ChainCursor {
  private seq: number;
  private hash: string;

  constructor(
    private readonly insertRecord: InsertRecord,
    head: ChainLink | undefined,
  ) {
    this.seq = head?.seq ?? 0;
    this.hash = head?.hash ?? GENESIS_HASH;
  }

  append(type: RecordType, ref: string | null, payload: string, at: string): ChainLink {
    const seq = this.seq + 1;
    const prevHash = this.hash;
    const hash = recordHash({ seq, at, type, ref, payload, prevHash });
    this.insertRecord.run(seq, at, type, ref, payload, prevHash, hash);
    this.seq = seq;
    this.hash = hash;
    return { seq, hash };
  }
}
