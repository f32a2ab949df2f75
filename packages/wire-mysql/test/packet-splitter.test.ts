import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePackets, MysqlWireError, nextSequenceId, type Packet, PacketSplitter } from '../src/index.js';
import { cat, int3, physical, unpooledCopy } from './fixtures/bytes.js';
import { clientCases } from './fixtures/client-cases.js';
import { serverCases } from './fixtures/server-cases.js';

const MAX_PACKET_BYTES = 64 * 1024 * 1024;
const MAX_PAYLOAD = 0xffffff;
const LARGE_PAYLOAD_BYTES = 16 * 1024 * 1024 + 100;

const payloads: readonly Buffer[] = [...clientCases, ...serverCases].map((testCase) => testCase.payload);
const stream = cat(...payloads.map((payload, index) => physical(index % 256, payload)));

function split(chunks: readonly Buffer[], maxPacketBytes = MAX_PACKET_BYTES): Packet[] {
  const splitter = new PacketSplitter({ maxPacketBytes });
  const packets: Packet[] = [];
  for (const chunk of chunks) splitter.push(chunk, (packet) => packets.push(packet));
  expect(splitter.pendingBytes).toBe(0);
  return packets;
}

function hex(packets: readonly Packet[]): string[] {
  return packets.map((packet) => packet.payload.toString('hex'));
}

function chunked(bytes: Buffer, chunkBytes: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    chunks.push(unpooledCopy(bytes.subarray(offset, offset + chunkBytes)));
  }
  return chunks;
}

function wireErrorCode(action: () => void): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof MysqlWireError) return error.code;
    throw error;
  }
  return undefined;
}

/** A large payload whose bytes differ along its length, so a misplaced segment shows. */
function largePayload(bytes: number): Buffer {
  const payload = Buffer.alloc(bytes);
  for (let offset = 0; offset < bytes; offset += 4096) payload.writeUInt32LE(offset, offset);
  return payload;
}

describe('PacketSplitter', () => {
  const expectedHex = payloads.map((payload) => payload.toString('hex'));

  it('emits every packet of one chunk with its sequence id and raw bytes', () => {
    const packets = split([stream]);
    expect(hex(packets)).toEqual(expectedHex);
    expect(packets.map((packet) => packet.sequenceId)).toEqual(payloads.map((_, index) => index % 256));
    expect(packets.map((packet) => packet.lastSequenceId)).toEqual(payloads.map((_, index) => index % 256));
    expect(Buffer.concat(packets.map((packet) => packet.bytes)).equals(stream)).toBe(true);
  });

  it('emits the same packets whatever offset the stream is cut at', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(hex(split([stream.subarray(0, cut), stream.subarray(cut)]))).toEqual(expectedHex);
    }
  });

  it('emits the same packets from single-byte chunks, keeping unfinished bytes pending', () => {
    const splitter = new PacketSplitter({ maxPacketBytes: MAX_PACKET_BYTES });
    const packets: Packet[] = [];
    let sinceLastPacket = 0;
    for (let offset = 0; offset < stream.length; offset++) {
      const before = packets.length;
      splitter.push(stream.subarray(offset, offset + 1), (packet) => packets.push(packet));
      sinceLastPacket = packets.length > before ? 0 : sinceLastPacket + 1;
      expect(splitter.pendingBytes).toBe(sinceLastPacket);
    }
    expect(hex(packets)).toEqual(expectedHex);
  });

  it('emits the same packets for any random chunking', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 40 }),
        (cuts) => {
          const bounds = [0, ...cuts.sort((left, right) => left - right), stream.length];
          const chunks = bounds.slice(1).map((end, index) => stream.subarray(bounds[index], end));
          expect(hex(split(chunks))).toEqual(expectedHex);
        },
      ),
    );
  });

  it('hands out views of the chunk for packets inside it and private copies for packets spanning chunks', () => {
    const first = physical(0, payloads[0] ?? Buffer.alloc(0));
    const cut = first.length + 3;
    const head = unpooledCopy(stream.subarray(0, cut));
    const tail = unpooledCopy(stream.subarray(cut));
    const packets = split([head, tail]);

    expect(packets[0]?.payload.buffer).toBe(head.buffer);
    expect(packets[0]?.bytes.buffer).toBe(head.buffer);
    const spanning = packets[1];
    expect(spanning?.bytes.buffer).not.toBe(head.buffer);
    expect(spanning?.bytes.buffer).not.toBe(tail.buffer);
    expect(packets[2]?.payload.buffer).toBe(tail.buffer);

    const spanningHex = spanning?.payload.toString('hex');
    head.fill(0);
    tail.fill(0);
    expect(spanning?.payload.toString('hex')).toBe(spanningHex);
  });

  it('reassembles a 16 MiB + 100 byte payload sent as two physical packets, in any chunking', () => {
    const payload = largePayload(LARGE_PAYLOAD_BYTES);
    const small = physical(0, Buffer.from([0x0e]));
    const wire = cat(
      small,
      int3(MAX_PAYLOAD),
      Buffer.from([7]),
      payload.subarray(0, MAX_PAYLOAD),
      int3(LARGE_PAYLOAD_BYTES - MAX_PAYLOAD),
      Buffer.from([8]),
      payload.subarray(MAX_PAYLOAD),
      physical(9, Buffer.from([0x01])),
    );
    for (const chunks of [[wire], chunked(wire, 65_536), chunked(wire, 1_000_003)]) {
      const packets = split(chunks);
      expect(packets.map((packet) => packet.payload.length)).toEqual([1, LARGE_PAYLOAD_BYTES, 1]);
      const large = packets[1];
      expect(large?.sequenceId).toBe(7);
      expect(large?.lastSequenceId).toBe(8);
      expect(large?.payload.equals(payload)).toBe(true);
      expect(large?.bytes.equals(wire.subarray(small.length, wire.length - 5))).toBe(true);
      expect(packets[2]?.sequenceId).toBe(9);
    }
  });

  it('waits for the empty packet that ends a payload of exactly 0xFFFFFF bytes', () => {
    const payload = largePayload(MAX_PAYLOAD);
    const first = cat(int3(MAX_PAYLOAD), Buffer.from([255]), payload);
    const splitter = new PacketSplitter({ maxPacketBytes: MAX_PACKET_BYTES });
    const packets: Packet[] = [];
    splitter.push(first, (packet) => packets.push(packet));
    expect(packets).toEqual([]);
    splitter.push(physical(0, Buffer.alloc(0)), (packet) => packets.push(packet));
    expect(packets).toHaveLength(1);
    expect(packets[0]?.sequenceId).toBe(255);
    expect(packets[0]?.lastSequenceId).toBe(0);
    expect(packets[0]?.payload.equals(payload)).toBe(true);
  });

  it('refuses a continuation whose sequence id does not follow', () => {
    const wire = cat(
      int3(MAX_PAYLOAD),
      Buffer.from([3]),
      Buffer.alloc(MAX_PAYLOAD),
      physical(5, Buffer.alloc(1)),
    );
    expect(wireErrorCode(() => split([wire]))).toBe('sequence');
    expect(wireErrorCode(() => split(chunked(wire, 100_000)))).toBe('sequence');
  });

  it('refuses a packet over the limit as soon as its header arrives', () => {
    const header = cat(int3(2000), Buffer.from([0]));
    expect(wireErrorCode(() => split([header], 1000))).toBe('packet-too-large');
    expect(wireErrorCode(() => split([header.subarray(0, 2), header.subarray(2)], 1000))).toBe(
      'packet-too-large',
    );
    const continued = cat(
      int3(MAX_PAYLOAD),
      Buffer.from([0]),
      Buffer.alloc(MAX_PAYLOAD),
      int3(10),
      Buffer.from([1]),
    );
    expect(wireErrorCode(() => split(chunked(continued, 1 << 20), MAX_PAYLOAD + 5))).toBe('packet-too-large');
    expect(split([physical(0, Buffer.alloc(1000))], 1000)).toHaveLength(1);
  });

  it('does not reserve a large declared packet before its bytes arrive', () => {
    const splitter = new PacketSplitter({ maxPacketBytes: MAX_PACKET_BYTES });
    const before = process.memoryUsage().arrayBuffers;
    splitter.push(cat(int3(MAX_PAYLOAD - 1), Buffer.from([0]), Buffer.alloc(10)), () => {
      throw new Error('no packet is complete');
    });
    expect(splitter.pendingBytes).toBe(14);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024);
  });
});

describe('encodePackets', () => {
  it('frames a small payload as one packet', () => {
    expect(encodePackets(Buffer.from([0x0e]), 0).toString('hex')).toBe('010000000e');
    expect(encodePackets(Buffer.alloc(0), 3).toString('hex')).toBe('00000003');
  });

  it('splits a 16 MiB + 100 byte payload at 0xFFFFFF and the splitter joins it again', () => {
    const payload = largePayload(LARGE_PAYLOAD_BYTES);
    const wire = encodePackets(payload, 254);
    expect(wire.length).toBe(LARGE_PAYLOAD_BYTES + 8);
    expect(wire.subarray(0, 4).toString('hex')).toBe('fffffffe');
    expect(wire.subarray(4 + MAX_PAYLOAD, 8 + MAX_PAYLOAD).toString('hex')).toBe(
      cat(int3(LARGE_PAYLOAD_BYTES - MAX_PAYLOAD), Buffer.from([255])).toString('hex'),
    );
    const [packet] = split(chunked(wire, 1 << 20));
    expect(packet?.payload.equals(payload)).toBe(true);
    expect(packet?.lastSequenceId).toBe(255);
    expect(nextSequenceId(payload.length, 254)).toBe(0);
  });

  it('ends a payload of exactly 0xFFFFFF bytes with an empty packet, wrapping the sequence id', () => {
    const wire = encodePackets(Buffer.alloc(MAX_PAYLOAD, 1), 255);
    expect(wire.length).toBe(MAX_PAYLOAD + 8);
    expect(wire.subarray(MAX_PAYLOAD + 4).toString('hex')).toBe('00000000');
    expect(nextSequenceId(MAX_PAYLOAD, 255)).toBe(1);
  });

  it('refuses a sequence id that is not a byte', () => {
    expect(wireErrorCode(() => encodePackets(Buffer.alloc(1), 256))).toBe('sequence');
  });
});
