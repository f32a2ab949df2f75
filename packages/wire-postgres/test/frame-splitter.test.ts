import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Frame, FrameSplitter, WireError } from '../src/index.js';
import { backendCases } from './fixtures/backend-cases.js';
import { cstr, int32, typed, uint32, untyped } from './fixtures/bytes.js';
import { frontendCases } from './fixtures/frontend-cases.js';

const MAX_FRAME_BYTES = 1024 * 1024;

const typedFrames: readonly Buffer[] = [...frontendCases, ...backendCases]
  .filter((testCase) => testCase.typed)
  .map((testCase) => testCase.frame);
const stream = Buffer.concat(typedFrames);

function split(
  chunks: readonly Buffer[],
  options = { untyped: false, maxFrameBytes: MAX_FRAME_BYTES },
): Frame[] {
  const splitter = new FrameSplitter(options);
  const frames: Frame[] = [];
  for (const chunk of chunks) splitter.push(chunk, (frame) => frames.push(frame));
  expect(splitter.pendingBytes).toBe(0);
  return frames;
}

function hex(frames: readonly Frame[]): string[] {
  return frames.map((frame) => frame.bytes.toString('hex'));
}

/** Socket chunks own their memory; small Buffer.from copies would share Node's pool and prove nothing. */
function unpooledCopy(bytes: Buffer): Buffer {
  const copy = Buffer.alloc(bytes.length);
  bytes.copy(copy);
  return copy;
}

function wireErrorCode(action: () => void): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof WireError) return error.code;
    throw error;
  }
  return undefined;
}

describe('FrameSplitter', () => {
  const expectedHex = typedFrames.map((frame) => frame.toString('hex'));

  it('emits every frame of one chunk, with its type byte as code', () => {
    const frames = split([stream]);
    expect(hex(frames)).toEqual(expectedHex);
    expect(frames.map((frame) => frame.code)).toEqual(typedFrames.map((frame) => frame[0]));
  });

  it('emits the same frames whatever offset the stream is cut at', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(hex(split([stream.subarray(0, cut), stream.subarray(cut)]))).toEqual(expectedHex);
    }
  });

  it('emits the same frames from single-byte chunks, keeping unfinished bytes pending', () => {
    const splitter = new FrameSplitter({ untyped: false, maxFrameBytes: MAX_FRAME_BYTES });
    const frames: Frame[] = [];
    let sinceLastFrame = 0;
    for (let offset = 0; offset < stream.length; offset++) {
      const before = frames.length;
      splitter.push(stream.subarray(offset, offset + 1), (frame) => frames.push(frame));
      sinceLastFrame = frames.length > before ? 0 : sinceLastFrame + 1;
      expect(splitter.pendingBytes).toBe(sinceLastFrame);
    }
    expect(hex(frames)).toEqual(expectedHex);
  });

  it('emits the same frames for any random chunking', () => {
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

  it('hands out views of the chunk for frames inside it and private copies for frames spanning chunks', () => {
    const first = typedFrames[0] ?? Buffer.alloc(0);
    const cut = first.length + 3;
    const head = unpooledCopy(stream.subarray(0, cut));
    const tail = unpooledCopy(stream.subarray(cut));
    const frames = split([head, tail]);

    expect(frames[0]?.bytes.buffer).toBe(head.buffer);
    expect(frames[0]?.bytes.byteOffset).toBe(head.byteOffset);
    const spanning = frames[1];
    expect(spanning?.bytes.buffer).not.toBe(head.buffer);
    expect(spanning?.bytes.buffer).not.toBe(tail.buffer);
    expect(frames[2]?.bytes.buffer).toBe(tail.buffer);

    const spanningHex = spanning?.bytes.toString('hex');
    head.fill(0);
    tail.fill(0);
    expect(spanning?.bytes.toString('hex')).toBe(spanningHex);
  });

  it('reassembles frames far larger than a chunk, exactly', () => {
    const big = typed('d', Buffer.alloc(300 * 1024, 0x61).fill(0x62, 100_000));
    const small = typed('S');
    const whole = Buffer.concat([small, big, small, big, small]);
    for (const chunkBytes of [8 * 1024, 65_537, 200_000]) {
      const chunks: Buffer[] = [];
      for (let offset = 0; offset < whole.length; offset += chunkBytes) {
        chunks.push(unpooledCopy(whole.subarray(offset, offset + chunkBytes)));
      }
      const frames = split(chunks);
      expect(frames.map((frame) => frame.bytes.length)).toEqual([5, big.length, 5, big.length, 5]);
      expect(frames[1]?.bytes.equals(big)).toBe(true);
      expect(frames[3]?.bytes.equals(big)).toBe(true);
    }
  });

  it('refuses a huge declared length before its body arrives', () => {
    const header = Buffer.concat([Buffer.from('D'), uint32(0x7fffffff)]);
    expect(wireErrorCode(() => split([header]))).toBe('frame-too-large');
    expect(wireErrorCode(() => split([header.subarray(0, 2), header.subarray(2)]))).toBe('frame-too-large');
  });

  it('does not reserve a large declared frame before its bytes arrive', () => {
    const declared = 512 * 1024 * 1024;
    const splitter = new FrameSplitter({ untyped: false, maxFrameBytes: declared });
    const before = process.memoryUsage().arrayBuffers;
    splitter.push(Buffer.concat([Buffer.from('d'), uint32(declared), Buffer.alloc(10)]), () => {
      throw new Error('no frame is complete');
    });
    expect(splitter.pendingBytes).toBe(15);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024);
  });

  it('refuses declared lengths too small to be a frame', () => {
    expect(wireErrorCode(() => split([Buffer.concat([Buffer.from('Q'), int32(3)])]))).toBe('bad-length');
    const untypedOptions = { untyped: true, maxFrameBytes: MAX_FRAME_BYTES };
    expect(wireErrorCode(() => split([int32(7)], untypedOptions))).toBe('bad-length');
    expect(wireErrorCode(() => split([int32(-1)], untypedOptions))).toBe('frame-too-large');
  });

  it('splits untyped frames with code 0 and switches to typed frames from inside onFrame', () => {
    const startup = untyped(int32(196608), cstr('user'), cstr('alice'), Buffer.from([0]));
    const query = typed('Q', cstr('SELECT 1'));
    const splitter = new FrameSplitter({ untyped: true, maxFrameBytes: MAX_FRAME_BYTES });
    const frames: Frame[] = [];
    splitter.push(Buffer.concat([startup, query, query]), (frame) => {
      frames.push(frame);
      if (frame.code === 0) splitter.setUntyped(false);
    });
    expect(frames.map((frame) => frame.code)).toEqual([0, 0x51, 0x51]);
    expect(hex(frames)).toEqual([startup, query, query].map((frame) => frame.toString('hex')));
  });

  it('reads a header left incomplete before the switch with the new mode', () => {
    const sslRequest = untyped(int32(80877103));
    const startup = untyped(int32(196608), cstr('user'), cstr('bob'), Buffer.from([0]));
    const query = typed('Q', cstr('SELECT 2'));
    const splitter = new FrameSplitter({ untyped: true, maxFrameBytes: MAX_FRAME_BYTES });
    const frames: Frame[] = [];
    splitter.push(sslRequest, (frame) => frames.push(frame));
    splitter.push(Buffer.concat([startup, query.subarray(0, 3)]), (frame) => frames.push(frame));
    expect(splitter.pendingBytes).toBe(3);
    splitter.setUntyped(false);
    splitter.push(query.subarray(3), (frame) => frames.push(frame));
    expect(hex(frames)).toEqual([sslRequest, startup, query].map((frame) => frame.toString('hex')));
  });
});
