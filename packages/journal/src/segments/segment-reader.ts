import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readRecordAt, type SealedRecord } from './segment-record.js';

/** Where reading a segment stopped short of its end, and why. */
export interface SegmentDamage {
  /** `torn`: the last record of the newest segment, cut off by a crash; `corrupt`: anything else. */
  readonly kind: 'torn' | 'corrupt';
  readonly offset: number;
  readonly bytes: number;
  readonly reason: string;
}

export interface SegmentRead {
  /** Each whole record with the offset just after it. */
  readonly records: { readonly record: SealedRecord; readonly end: number }[];
  /** The offset after the last whole record read. */
  readonly end: number;
  readonly damage: SegmentDamage | null;
}

/**
 * Reads the whole records of a segment from `offset`. While the gateway runs (`live`), bytes
 * after the last whole record belong to an append under way and are left for the next read.
 * At recovery, a bad or partial record at the very end of the newest segment is a torn write;
 * one with more records after it, or in an older segment, is corruption.
 */
export function readSegment(
  path: string,
  offset: number,
  mode: { readonly live: boolean; readonly newest: boolean },
): SegmentRead {
  const bytes = readFrom(path, offset);
  const records: { record: SealedRecord; end: number }[] = [];
  let at = 0;
  while (at < bytes.length) {
    const read = readRecordAt(bytes, at);
    if (read.kind === 'record') {
      records.push({ record: read.record, end: offset + read.end });
      at = read.end;
      continue;
    }
    if (mode.live && read.kind === 'incomplete') break;
    const atEnd = read.kind === 'incomplete' || read.end >= bytes.length || allZero(bytes, at);
    const kind = mode.newest && !mode.live && atEnd ? 'torn' : 'corrupt';
    const reason = read.kind === 'incomplete' ? 'a record cut off by the end of the file' : read.reason;
    return {
      records,
      end: offset + at,
      damage: { kind, offset: offset + at, bytes: bytes.length - at, reason },
    };
  }
  return { records, end: offset + at, damage: null };
}

function readFrom(path: string, offset: number): Buffer {
  const file = openSync(path, 'r');
  try {
    const size = fstatSync(file).size;
    const bytes = Buffer.allocUnsafe(Math.max(0, size - offset));
    let read = 0;
    while (read < bytes.length) {
      const count = readSync(file, bytes, read, bytes.length - read, offset + read);
      if (count === 0) break;
      read += count;
    }
    return bytes.subarray(0, read);
  } finally {
    closeSync(file);
  }
}

/** A file system may leave a crashed append's blocks zero-filled: still a torn tail. */
function allZero(bytes: Buffer, from: number): boolean {
  for (let index = from; index < bytes.length; index++) if (bytes[index] !== 0) return false;
  return true;
}
