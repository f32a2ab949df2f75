import { deflateSync } from 'node:zlib';
import { chunked, mutatedBytes, mutatedFrom } from '@sluice/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CompressedFrameSplitter,
  decodeCompressedFrame,
  decodeSessionStateChanges,
  MysqlWireError,
  type Packet,
  PacketSplitter,
} from '../src/index.js';
import { cat, int1, int3, lenenc, physical } from './fixtures/bytes.js';
import { clientCases } from './fixtures/client-cases.js';
import { serverCases } from './fixtures/server-cases.js';

// Fixed seeds make a failure reproducible; the run counts keep the file near 10 s on 2 shared cores.
const SEED = 0x51c3;
const RUNS = 2000;
/** No decoder may spend this long on one input of a few kilobytes; a hang fails long before vitest's timeout. */
const BUDGET_MS = 250;

/** Runs `work`; anything thrown must be a MysqlWireError, and the call must stay within the time budget. */
function onlyWireErrors(work: () => unknown): void {
  const started = performance.now();
  try {
    work();
  } catch (error) {
    if (!(error instanceof MysqlWireError))
      throw new Error(`untyped throw: ${String(error)}`, { cause: error });
  }
  expect(performance.now() - started).toBeLessThan(BUDGET_MS);
}

const allCases = [...clientCases, ...serverCases];
const everyDecoder = allCases.map((testCase) => testCase.decode);
const payloads = allCases.map((testCase) => testCase.payload);

describe('every packet decoder on mutated payloads', () => {
  for (const testCase of allCases) {
    it(`${testCase.name} throws only MysqlWireError`, () => {
      fc.assert(
        fc.property(mutatedBytes(testCase.payload), (payload) =>
          onlyWireErrors(() => testCase.decode(payload)),
        ),
        { seed: SEED, numRuns: RUNS / 4 },
      );
    });
  }

  it('a payload of one packet given to every other decoder throws only MysqlWireError', () => {
    fc.assert(
      fc.property(mutatedFrom(payloads), (payload) => {
        for (const decode of everyDecoder) onlyWireErrors(() => decode(payload));
      }),
      { seed: SEED, numRuns: RUNS / 4 },
    );
  });

  it('huge length-encoded integers and 1 MB strings neither throw untyped errors nor hang', () => {
    const hostile = [
      lenenc(0xffffffffffffffffn),
      lenenc(0x7fffffff),
      cat(int1(0xfc), Buffer.from([0xff])),
      cat(int1(0xfd), Buffer.from([0xff, 0xff])),
      cat(int1(0xfe), Buffer.alloc(4, 0xff)),
      int1(0xfb),
      int1(0xff),
    ];
    const big = Buffer.alloc(1024 * 1024, 0x61);
    const invalid = Buffer.from([0xc0, 0x80, 0xff, 0xed, 0xa0, 0x80, 0]);
    for (const command of [0x00, 0x03, 0x16, 0x17, 0x11, 0x0a, 0xfe, 0x0c]) {
      for (const tail of [...hostile, big, invalid]) {
        const payload = cat(int1(command), tail, tail);
        for (const decode of everyDecoder) onlyWireErrors(() => decode(payload));
        onlyWireErrors(() => decodeSessionStateChanges(payload));
      }
    }
  });

  it('decodeSessionStateChanges on mutated OK-packet tails throws only MysqlWireError', () => {
    const tracked = cat(
      int1(0),
      lenstr2('autocommit', 'OFF'),
      int1(1),
      lenenc(5),
      lenenc(4),
      Buffer.from('shop'),
    );
    fc.assert(
      fc.property(mutatedBytes(tracked), (data) => onlyWireErrors(() => decodeSessionStateChanges(data))),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

/** A session-track system-variable entry: type 0, entry length, name, value. */
function lenstr2(name: string, value: string): Buffer {
  const entry = cat(lenenc(name.length), Buffer.from(name), lenenc(value.length), Buffer.from(value));
  return cat(lenenc(entry.length), entry);
}

function splitAll(chunks: readonly Buffer[], maxPacketBytes: number): Packet[] {
  const splitter = new PacketSplitter({ maxPacketBytes });
  const packets: Packet[] = [];
  let received = 0;
  for (const chunk of chunks) {
    received += chunk.length;
    splitter.push(chunk, (packet) => packets.push(packet));
    expect(splitter.pendingBytes).toBeLessThanOrEqual(received);
  }
  return packets;
}

describe('PacketSplitter on mutated streams', () => {
  const cuts = fc.array(fc.nat(), { maxLength: 6 });
  const physicalPackets = payloads.map((payload, index) => physical(index % 256, payload));

  it('mutated packet streams in random chunks throw only MysqlWireError and respect the limit', () => {
    const stream = fc
      .array(mutatedFrom(physicalPackets), { minLength: 1, maxLength: 6 })
      .map((packets) => Buffer.concat(packets));
    fc.assert(
      fc.property(stream, cuts, (bytes, offsets) => {
        onlyWireErrors(() => {
          for (const packet of splitAll(chunked(bytes, offsets), 4096)) {
            expect(packet.payload.length).toBeLessThanOrEqual(4096);
          }
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('a 16 MiB continuation with a wrong sequence id or a length off by one is handled', () => {
    const full = Buffer.alloc(0xffffff, 0x61);
    const cases = [
      cat(int3(0xffffff), int1(0), full, int3(0), int1(2)),
      cat(int3(0xffffff), int1(0), full, int3(1), int1(1), int1(0x61)),
      cat(int3(0xfffffe), int1(0), full),
      cat(int3(0xffffff), int1(0), full.subarray(1)),
    ];
    for (const stream of cases) {
      // Not under the per-input budget: copying 16 MiB takes its time on a loaded machine.
      try {
        splitAll(chunked(stream, [65536, 0xffffff]), 32 * 1024 * 1024);
      } catch (error) {
        expect(error).toBeInstanceOf(MysqlWireError);
      }
      expect(() => splitAll([stream], 1024 * 1024)).toThrow(MysqlWireError);
    }
  });

  it('a packet announcing 16 MiB holds only the bytes actually sent', () => {
    const splitter = new PacketSplitter({ maxPacketBytes: 64 * 1024 * 1024 });
    const before = process.memoryUsage().arrayBuffers;
    splitter.push(cat(int3(0xffffff), int1(0)), () => expect.fail('no packet is complete'));
    for (let sent = 0; sent < 64; sent += 1) splitter.push(Buffer.alloc(1024), () => undefined);
    expect(splitter.pendingBytes).toBe(4 + 64 * 1024);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(4 * 1024 * 1024);
  });

  it('truncation at every byte of a packet stream leaves only whole packets', () => {
    const stream = Buffer.concat(physicalPackets.slice(0, 8));
    for (let cut = 0; cut <= stream.length; cut += 1) {
      onlyWireErrors(() => splitAll([stream.subarray(0, cut)], 4096));
    }
  });
});

/** A compressed frame built by hand: compressed length, sequence id, uncompressed length, body. */
function compressedFrame(sequenceId: number, payload: Buffer, deflate: boolean): Buffer {
  const body = deflate ? deflateSync(payload) : payload;
  return cat(int3(body.length), int1(sequenceId), int3(deflate ? payload.length : 0), body);
}

describe('compressed framing on mutated streams', () => {
  const query = physical(
    0,
    cat(int1(0x03), Buffer.from('SELECT 1 FROM dual WHERE a = "some text long enough to deflate"')),
  );
  const frames = [compressedFrame(0, query, true), compressedFrame(1, query, false)];

  it('decodeCompressedFrame throws only MysqlWireError', () => {
    fc.assert(
      fc.property(mutatedFrom(frames), (frame) => onlyWireErrors(() => decodeCompressedFrame(frame))),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('CompressedFrameSplitter on mutated streams in random chunks throws only MysqlWireError', () => {
    const stream = fc
      .array(mutatedFrom(frames), { minLength: 1, maxLength: 4 })
      .map((parts) => Buffer.concat(parts));
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 6 }), (bytes, offsets) => {
        onlyWireErrors(() => {
          const splitter = new CompressedFrameSplitter();
          for (const chunk of chunked(bytes, offsets)) splitter.push(chunk, () => undefined);
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('a 16 MiB frame arriving in 4 KiB chunks is split in linear time', () => {
    // Found by fuzzing: the splitter joined its pending bytes on every chunk, and a 4 MB frame
    // in 4 KiB chunks blocked the event loop for 15 s (a 16 MiB one for minutes).
    const total = 0xffffff;
    const splitter = new CompressedFrameSplitter();
    const piece = Buffer.alloc(4096, 0x61);
    let frames = 0;
    const started = performance.now();
    splitter.push(cat(int3(total), int1(0), int3(0)), () => frames++);
    for (let sent = 0; sent < total; sent += piece.length) {
      splitter.push(piece.subarray(0, Math.min(piece.length, total - sent)), () => frames++);
    }
    expect(frames).toBe(1);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('a deflate bomb inflates no further than its declared length', () => {
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024));
    const frame = cat(int3(bomb.length), int1(0), int3(100), bomb);
    expect(() => decodeCompressedFrame(frame)).toThrow(MysqlWireError);
  });
});
