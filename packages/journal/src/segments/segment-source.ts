import { unlinkSync } from 'node:fs';
import { type ChainLink, recordHash } from '../chain.js';
import { JournalError } from '../errors.js';
import { listSegments, type SegmentFile } from './segment-files.js';
import { readSegment, type SegmentDamage } from './segment-reader.js';
import type { SealedRecord } from './segment-record.js';

export type SegmentTear = (SegmentDamage & { readonly segment: string }) | null;

export interface SegmentBatch {
  /** The records after the given head, each checked to continue the chain. */
  readonly records: readonly SealedRecord[];
  /** The last record of the batch (the given head when it is empty). */
  readonly head: ChainLink;
  /** Recovery only: the torn final record (or records) dropped from the newest segment. */
  readonly torn: SegmentTear;
  /** Whether records up to `upTo` were left for the next batch (`limit` reached). */
  readonly more: boolean;
}

/**
 * Reads the segment log on from a store's newest record, for whichever store takes the records
 * (the SQLite file, or the shared PostgreSQL store). It remembers how far each segment has been
 * read, so a live segment is not re-read from its start, and removes segments once ingested.
 */
export class SegmentSource {
  private readonly offsets = new Map<string, { readonly offset: number; readonly lastSeq: number }>();

  constructor(private readonly directory: string) {}

  /**
   * The records after `head` up to seq `upTo` (at most `limit`) that the gateway has appended
   * (`live`), or at start everything the segments hold (`recover`), where a torn tail is dropped.
   */
  read(head: ChainLink, upTo: number, mode: 'live' | 'recover', limit: number): SegmentBatch {
    const records: SealedRecord[] = [];
    let torn: SegmentTear = null;
    let link = head;
    const segments = listSegments(this.directory);
    for (const [index, segment] of segments.entries()) {
      const next = segments[index + 1];
      if (next && next.firstSeq <= link.seq + 1) continue;
      const known = this.offsets.get(segment.path);
      const from = known && known.lastSeq <= link.seq ? known.offset : 0;
      const read = readSegment(segment.path, from, { live: mode === 'live', newest: next === undefined });
      // Where the records taken so far end: the next batch reads on from there.
      let readTo = known && from > 0 ? known : null;
      for (const { record, end } of read.records) {
        if (record.seq > upTo || records.length >= limit) {
          if (readTo) this.offsets.set(segment.path, readTo);
          return { records, head: link, torn, more: records.length >= limit && record.seq <= upTo };
        }
        if (record.seq > link.seq) {
          check(record, link, segment);
          records.push(record);
          link = { seq: record.seq, hash: record.hash };
        }
        readTo = { offset: end, lastSeq: record.seq };
      }
      if (readTo) this.offsets.set(segment.path, readTo);
      if (read.damage?.kind === 'corrupt') throw corrupt(segment, read.damage);
      if (read.damage) torn = { ...read.damage, segment: segment.path };
    }
    return { records, head: link, torn, more: false };
  }

  /** Removes the segments older than the newest whose records are all in the store. */
  removeIngested(headSeq: number): void {
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

function check(record: SealedRecord, head: ChainLink, segment: SegmentFile): void {
  const fits =
    record.seq === head.seq + 1 && record.prevHash === head.hash && recordHash(record) === record.hash;
  if (fits) return;
  throw new JournalError(
    'corrupt',
    `sluice: record ${record.seq} in journal segment ${segment.path} does not continue the chain ` +
      `after record ${head.seq}; the journal is damaged: run \`sluice audit verify\` and keep the segment for inspection`,
  );
}

function corrupt(segment: SegmentFile, damage: SegmentDamage): JournalError {
  return new JournalError(
    'corrupt',
    `sluice: journal segment ${segment.path} is damaged at byte ${damage.offset} (${damage.reason}) ` +
      'with records after it; the gateway will not start on a damaged journal: run `sluice audit verify` ' +
      'and keep the segment for inspection',
  );
}
