/**
 * Packet framing: 3-byte little-endian payload length, 1-byte sequence id, payload. A payload of
 * exactly 0xFFFFFF bytes continues in the next physical packet (possibly an empty one).
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html
 */
import { MAX_PACKET_PAYLOAD, PACKET_HEADER_BYTES } from './codes.js';
import { MysqlWireError } from './errors.js';

/** One logical packet as received. */
export interface Packet {
  /** Sequence id of the first physical packet. */
  readonly sequenceId: number;
  /** Sequence id of the last physical packet: the reply continues from this + 1. */
  readonly lastSequenceId: number;
  /** The payload, reassembled when the packet spanned several physical packets. */
  readonly payload: Buffer;
  /** The raw on-wire bytes of every physical packet, headers included, for byte-exact forwarding. */
  readonly bytes: Buffer;
}

export interface PacketSplitterOptions {
  /** Largest logical payload accepted; larger packets are refused before their bytes are buffered. */
  readonly maxPacketBytes: number;
}

const SEQUENCE_MODULO = 256;
const INITIAL_PARTIAL_BYTES = 64 * 1024;

/** Where the scan of a logical packet stands; shared by the in-chunk and the spanning paths. */
interface LogicalScan {
  firstSequenceId: number;
  lastSequenceId: number;
  payloadBytes: number;
  segments: number;
}

/**
 * Cuts a byte stream into logical packets without decoding them. After it throws, the stream has
 * lost its framing and the connection must be closed.
 */
export class PacketSplitter {
  private maxPacketBytes: number;
  /** Raw bytes of a logical packet spanning chunks, grown as they arrive. */
  private partial: Buffer | null = null;
  private partialFill = 0;
  /** Offset in `partial` of the physical header not parsed yet, or -1 while inside a body. */
  private headerAt = 0;
  /** End offset in `partial` of the physical packet whose header was parsed. */
  private segmentEnd = 0;
  private lastSegmentBytes = 0;
  private scan: LogicalScan = emptyScan();

  constructor(options: PacketSplitterOptions) {
    this.maxPacketBytes = options.maxPacketBytes;
  }

  /**
   * Calls onPacket for each complete logical packet, in order. A single physical packet inside one
   * chunk is a zero-copy view of it; anything spanning chunks or physical packets is copied.
   * Throws MysqlWireError 'packet-too-large' or 'sequence'.
   */
  push(chunk: Buffer, onPacket: (packet: Packet) => void): void {
    let offset = this.partial ? this.continuePartial(chunk, onPacket) : 0;
    while (offset < chunk.length) {
      const end = this.scanInChunk(chunk, offset);
      if (end === -1) {
        this.startPartial();
        this.continuePartial(chunk.subarray(offset), onPacket);
        return;
      }
      const bytes = chunk.subarray(offset, end);
      onPacket(this.finish(bytes));
      offset = end;
    }
  }

  /** Raises or lowers the size limit, e.g. from the small handshake limit to the session's. */
  setMaxPacketBytes(maxPacketBytes: number): void {
    this.maxPacketBytes = maxPacketBytes;
  }

  /** Bytes received but not yet emitted as a packet. */
  get pendingBytes(): number {
    return this.partialFill;
  }

  /** End offset of the logical packet starting at `offset` if it lies wholly in `chunk`, else -1. */
  private scanInChunk(chunk: Buffer, offset: number): number {
    this.scan = emptyScan();
    let cursor = offset;
    for (;;) {
      if (chunk.length - cursor < PACKET_HEADER_BYTES) return -1;
      const segmentBytes = this.acceptHeader(chunk, cursor);
      if (chunk.length - cursor - PACKET_HEADER_BYTES < segmentBytes) return -1;
      cursor += PACKET_HEADER_BYTES + segmentBytes;
      if (segmentBytes < MAX_PACKET_PAYLOAD) return cursor;
    }
  }

  private startPartial(): void {
    this.partial = Buffer.allocUnsafe(INITIAL_PARTIAL_BYTES);
    this.partialFill = 0;
    this.headerAt = 0;
    this.segmentEnd = 0;
    this.scan = emptyScan();
  }

  /** Feeds the logical packet under way from `chunk`; returns the chunk offset reached. */
  private continuePartial(chunk: Buffer, onPacket: (packet: Packet) => void): number {
    let offset = 0;
    for (;;) {
      if (this.headerAt !== -1) {
        offset += this.append(chunk, offset, this.headerAt + PACKET_HEADER_BYTES - this.partialFill);
        if (this.partialFill < this.headerAt + PACKET_HEADER_BYTES) return offset;
        this.lastSegmentBytes = this.acceptHeader(this.partialBuffer(), this.headerAt);
        this.segmentEnd = this.headerAt + PACKET_HEADER_BYTES + this.lastSegmentBytes;
        this.headerAt = -1;
      }
      offset += this.append(chunk, offset, this.segmentEnd - this.partialFill);
      if (this.partialFill < this.segmentEnd) return offset;
      if (this.lastSegmentBytes === MAX_PACKET_PAYLOAD) {
        this.headerAt = this.segmentEnd;
        continue;
      }
      const bytes = this.partialBuffer().subarray(0, this.partialFill);
      this.partial = null;
      this.partialFill = 0;
      onPacket(this.finish(bytes));
      return offset;
    }
  }

  /** Checks one physical header against the logical packet so far; returns its payload length. */
  private acceptHeader(source: Buffer, offset: number): number {
    const segmentBytes = source.readUIntLE(offset, 3);
    const sequenceId = source[offset + 3] ?? 0;
    const scan = this.scan;
    if (scan.segments === 0) {
      scan.firstSequenceId = sequenceId;
    } else if (sequenceId !== (scan.lastSequenceId + 1) % SEQUENCE_MODULO) {
      throw new MysqlWireError(
        'sequence',
        `continuation packet has sequence id ${sequenceId}, expected ${(scan.lastSequenceId + 1) % SEQUENCE_MODULO}`,
      );
    }
    if (scan.payloadBytes + segmentBytes > this.maxPacketBytes) {
      throw new MysqlWireError(
        'packet-too-large',
        `packet of at least ${scan.payloadBytes + segmentBytes} bytes exceeds the limit of ${this.maxPacketBytes} bytes`,
      );
    }
    scan.lastSequenceId = sequenceId;
    scan.payloadBytes += segmentBytes;
    scan.segments += 1;
    return segmentBytes;
  }

  /**
   * Copies up to `wanted` bytes of `chunk` from `offset` into the partial buffer; returns how many.
   * The buffer grows by doubling, so a peer that announces a large packet and sends little holds
   * only what it sent.
   */
  private append(chunk: Buffer, offset: number, wanted: number): number {
    const taken = Math.min(wanted, chunk.length - offset);
    if (taken <= 0) return 0;
    let partial = this.partialBuffer();
    const needed = this.partialFill + taken;
    if (needed > partial.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, partial.length * 2));
      partial.copy(grown, 0, 0, this.partialFill);
      partial = grown;
      this.partial = grown;
    }
    chunk.copy(partial, this.partialFill, offset, offset + taken);
    this.partialFill = needed;
    return taken;
  }

  private partialBuffer(): Buffer {
    if (!this.partial) this.partial = Buffer.allocUnsafe(INITIAL_PARTIAL_BYTES);
    return this.partial;
  }

  /** Builds the packet from its raw bytes, joining the payload segments when there are several. */
  private finish(bytes: Buffer): Packet {
    const { firstSequenceId, lastSequenceId, payloadBytes, segments } = this.scan;
    this.scan = emptyScan();
    if (segments === 1) {
      return {
        sequenceId: firstSequenceId,
        lastSequenceId,
        payload: bytes.subarray(PACKET_HEADER_BYTES),
        bytes,
      };
    }
    const payload = Buffer.allocUnsafe(payloadBytes);
    let written = 0;
    for (let offset = 0; offset < bytes.length; ) {
      const segmentBytes = bytes.readUIntLE(offset, 3);
      const start = offset + PACKET_HEADER_BYTES;
      bytes.copy(payload, written, start, start + segmentBytes);
      written += segmentBytes;
      offset = start + segmentBytes;
    }
    return { sequenceId: firstSequenceId, lastSequenceId, payload, bytes };
  }
}

function emptyScan(): LogicalScan {
  return { firstSequenceId: 0, lastSequenceId: 0, payloadBytes: 0, segments: 0 };
}

/**
 * Frames a payload as one or more physical packets numbered from `firstSequenceId` (wrapping at
 * 256). A payload that is a multiple of 0xFFFFFF bytes ends with an empty packet, as the
 * receiver needs a packet shorter than 0xFFFFFF to know the payload is complete.
 */
export function encodePackets(payload: Buffer, firstSequenceId: number): Buffer {
  checkSequenceId(firstSequenceId);
  const segments = Math.floor(payload.length / MAX_PACKET_PAYLOAD) + 1;
  const bytes = Buffer.allocUnsafe(payload.length + segments * PACKET_HEADER_BYTES);
  let written = 0;
  for (let segment = 0; segment < segments; segment++) {
    const start = segment * MAX_PACKET_PAYLOAD;
    const length = Math.min(MAX_PACKET_PAYLOAD, payload.length - start);
    bytes.writeUIntLE(length, written, 3);
    bytes[written + 3] = (firstSequenceId + segment) % SEQUENCE_MODULO;
    payload.copy(bytes, written + PACKET_HEADER_BYTES, start, start + length);
    written += PACKET_HEADER_BYTES + length;
  }
  return bytes;
}

/** The sequence id that follows the last physical packet `encodePackets` writes for a payload. */
export function nextSequenceId(payloadBytes: number, firstSequenceId: number): number {
  checkSequenceId(firstSequenceId);
  return (firstSequenceId + Math.floor(payloadBytes / MAX_PACKET_PAYLOAD) + 1) % SEQUENCE_MODULO;
}

function checkSequenceId(sequenceId: number): void {
  if (!Number.isInteger(sequenceId) || sequenceId < 0 || sequenceId >= SEQUENCE_MODULO) {
    throw new MysqlWireError('sequence', `sequence id ${sequenceId} is not a byte`);
  }
}
