import { deflateSync, inflateSync } from 'node:zlib';
import { type MysqlRawPacket, mysqlPackets } from './mysql-raw.js';

/**
 * MySQL compressed frames built by hand: 3-byte compressed length, sequence id, 3-byte
 * uncompressed length (0: stored as is), body.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_compression.html
 */
export function mysqlCompressedFrame(sequenceId: number, bytes: Buffer, deflate: boolean): Buffer {
  const body = deflate ? deflateSync(bytes) : bytes;
  const header = Buffer.alloc(7);
  header.writeUIntLE(body.length, 0, 3);
  header[3] = sequenceId & 0xff;
  header.writeUIntLE(deflate ? bytes.length : 0, 4, 3);
  return Buffer.concat([header, body]);
}

/** The packets carried by the whole compressed frames in `bytes` from `offset`; stops at a frame that does not inflate. */
export function mysqlPacketsInFrames(bytes: Buffer, offset = 0): MysqlRawPacket[] {
  const carried: Buffer[] = [];
  let at = offset;
  while (bytes.length - at >= 7) {
    const length = bytes.readUIntLE(at, 3);
    const uncompressed = bytes.readUIntLE(at + 4, 3);
    if (bytes.length - at - 7 < length) break;
    const body = bytes.subarray(at + 7, at + 7 + length);
    try {
      carried.push(uncompressed === 0 ? body : inflateSync(body));
    } catch {
      break;
    }
    at += 7 + length;
  }
  return mysqlPackets(Buffer.concat(carried));
}
