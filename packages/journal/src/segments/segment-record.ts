import { crc32 } from 'node:zlib';
import type { RecordType } from '../chain.js';

/** A record with its place in the chain, as appended to a segment and ingested into a store. */
export interface SealedRecord {
  readonly seq: number;
  readonly at: string;
  readonly type: RecordType;
  readonly ref: string | null;
  readonly payload: string;
  readonly prevHash: string;
  readonly hash: string;
}

// The byte for each record type; appending a type keeps every earlier segment readable.
const TYPES: readonly RecordType[] = [
  'session_start',
  'session_end',
  'statement',
  'statement_end',
  'account',
  'sign_in_failed',
  'purge',
  'approval',
  'grant',
  'admin',
];
const TYPE_CODES = new Map(TYPES.map((type, code) => [type, code]));

/** Body length (u32) and CRC-32 of the body (u32), both little-endian. */
export const RECORD_HEADER_BYTES = 8;
/** type (u8), seq (f64), previous hash and hash (32 bytes each), `at` length (u8). */
const FIXED_BODY_BYTES = 1 + 8 + 32 + 32 + 1;
/** No record of Sluice comes near this; a larger length is damage, not data. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/**
 * Encodes records back to back for one append: per record a header (body length, CRC-32 of
 * the body), then the body — type, seq, previous hash, hash, `at`, `ref` (length -1 for none)
 * and the payload to the end of the body. The length and checksum let a reader tell a record
 * torn by a crash from damage.
 */
export function encodeRecords(records: readonly SealedRecord[]): Buffer {
  let total = 0;
  const sizes: number[] = [];
  for (const record of records) {
    const size =
      FIXED_BODY_BYTES +
      record.at.length +
      4 +
      (record.ref === null ? 0 : Buffer.byteLength(record.ref)) +
      Buffer.byteLength(record.payload);
    sizes.push(size);
    total += RECORD_HEADER_BYTES + size;
  }
  const buffer = Buffer.allocUnsafe(total);
  let offset = 0;
  records.forEach((record, index) => {
    const size = sizes[index] ?? 0;
    const body = offset + RECORD_HEADER_BYTES;
    let at = body;
    at = buffer.writeUInt8(typeCode(record.type), at);
    at = buffer.writeDoubleLE(record.seq, at);
    at += buffer.write(record.prevHash, at, 32, 'hex');
    at += buffer.write(record.hash, at, 32, 'hex');
    at = buffer.writeUInt8(record.at.length, at);
    at += buffer.write(record.at, at, 'latin1');
    if (record.ref === null) {
      at = buffer.writeInt32LE(-1, at);
    } else {
      const refBytes = buffer.write(record.ref, at + 4, 'utf8');
      buffer.writeInt32LE(refBytes, at);
      at += 4 + refBytes;
    }
    buffer.write(record.payload, at, 'utf8');
    buffer.writeUInt32LE(size, offset);
    buffer.writeUInt32LE(crc32(buffer.subarray(body, body + size)), offset + 4);
    offset = body + size;
  });
  return buffer;
}

/** What is found at an offset of a segment's bytes. */
export type RecordRead =
  | { readonly kind: 'record'; readonly record: SealedRecord; readonly end: number }
  /** The bytes end before the record does: a write still under way, or torn by a crash. */
  | { readonly kind: 'incomplete' }
  /** The record is all there but wrong: torn only if nothing follows it, otherwise damage. */
  | { readonly kind: 'damaged'; readonly reason: string; readonly end: number };

/** Reads the record at `offset` (which must be below `bytes.length`). Never throws. */
export function readRecordAt(bytes: Buffer, offset: number): RecordRead {
  if (bytes.length - offset < RECORD_HEADER_BYTES) return { kind: 'incomplete' };
  const size = bytes.readUInt32LE(offset);
  const body = offset + RECORD_HEADER_BYTES;
  if (size < FIXED_BODY_BYTES + 4 || size > MAX_RECORD_BYTES) {
    return { kind: 'damaged', reason: `a record length of ${size} bytes`, end: bytes.length };
  }
  const end = body + size;
  if (end > bytes.length) return { kind: 'incomplete' };
  if (crc32(bytes.subarray(body, end)) !== bytes.readUInt32LE(offset + 4)) {
    return { kind: 'damaged', reason: 'a record whose checksum does not match', end };
  }
  const record = decodeBody(bytes, body, end);
  if (record === null) return { kind: 'damaged', reason: 'a record that cannot be decoded', end };
  return { kind: 'record', record, end };
}

function decodeBody(bytes: Buffer, start: number, end: number): SealedRecord | null {
  const type = TYPES[bytes.readUInt8(start)];
  const seq = bytes.readDoubleLE(start + 1);
  const prevHash = bytes.toString('hex', start + 9, start + 41);
  const hash = bytes.toString('hex', start + 41, start + 73);
  const atLength = bytes.readUInt8(start + 73);
  let at = start + 74;
  if (type === undefined || !Number.isSafeInteger(seq) || seq < 1 || at + atLength + 4 > end) return null;
  const time = bytes.toString('latin1', at, at + atLength);
  at += atLength;
  const refLength = bytes.readInt32LE(at);
  at += 4;
  if (refLength < -1 || at + Math.max(refLength, 0) > end) return null;
  const ref = refLength === -1 ? null : bytes.toString('utf8', at, at + refLength);
  at += Math.max(refLength, 0);
  return { seq, at: time, type, ref, payload: bytes.toString('utf8', at, end), prevHash, hash };
}

function typeCode(type: RecordType): number {
  const code = TYPE_CODES.get(type);
  if (code === undefined) throw new TypeError(`no segment code for record type ${type}`);
  return code;
}
