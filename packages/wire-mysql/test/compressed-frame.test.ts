import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  type CompressedFrame,
  CompressedFrameSplitter,
  decodeCompressedFrame,
  encodeCompressedFrame,
  encodeCompressedFrames,
  MysqlWireError,
} from '../src/index.js';
import { cat, int3, physical, unpooledCopy } from './fixtures/bytes.js';

/** A compressed frame built by hand: 3-byte body length, sequence id, 3-byte uncompressed length. */
function frameBytes(sequenceId: number, body: Buffer, uncompressedLength: number): Buffer {
  return cat(int3(body.length), Buffer.from([sequenceId]), int3(uncompressedLength), body);
}

const ping = physical(0, Buffer.from([0x0e]));
const query = physical(0, Buffer.from(`\x03SELECT '${'compressible '.repeat(20)}'`, 'latin1'));
const stored = frameBytes(0, ping, 0);
const deflated = frameBytes(1, deflateSync(query), query.length);

function splitAll(chunks: readonly Buffer[]): CompressedFrame[] {
  const splitter = new CompressedFrameSplitter();
  const frames: CompressedFrame[] = [];
  for (const chunk of chunks) splitter.push(unpooledCopy(chunk), (frame) => frames.push(frame));
  return frames;
}

describe('compressed frames (CLIENT_COMPRESS)', () => {
  it('decodes a stored frame and a deflated one', () => {
    expect(decodeCompressedFrame(stored)).toEqual({ sequenceId: 0, payload: ping });
    expect(decodeCompressedFrame(deflated)).toEqual({ sequenceId: 1, payload: query });
  });

  it('stores bodies under 50 bytes and deflates longer ones; every frame round-trips', () => {
    expect(encodeCompressedFrame({ sequenceId: 0, payload: ping })).toEqual(stored);
    const encoded = encodeCompressedFrame({ sequenceId: 1, payload: query });
    expect(encoded.readUIntLE(4, 3)).toBe(query.length);
    expect(encoded.length).toBeLessThan(query.length);
    expect(decodeCompressedFrame(encoded)).toEqual({ sequenceId: 1, payload: query });
  });

  it('stores a body that deflate would not shrink', () => {
    const noise = Buffer.from(Array.from({ length: 64 }, (_, index) => (index * 197 + 31) % 256));
    const encoded = encodeCompressedFrame({ sequenceId: 7, payload: noise });
    expect(encoded.readUIntLE(4, 3)).toBe(0);
    expect(decodeCompressedFrame(encoded)).toEqual({ sequenceId: 7, payload: noise });
  });

  it('splits a stream at every offset into the same frames', () => {
    const stream = cat(stored, deflated, stored);
    const whole = splitAll([stream]);
    expect(whole.map((frame) => frame.sequenceId)).toEqual([0, 1, 0]);
    for (let at = 0; at <= stream.length; at++) {
      expect(splitAll([stream.subarray(0, at), stream.subarray(at)])).toEqual(whole);
    }
    const bytewise = Array.from({ length: stream.length }, (_, index) => stream.subarray(index, index + 1));
    expect(splitAll(bytewise)).toEqual(whole);
  });

  it('cuts more than 16 MiB into numbered frames', () => {
    const bytes = Buffer.alloc(0xffffff + 10, 0x61);
    const framed = encodeCompressedFrames(bytes, 255);
    expect(framed.frames).toBe(2);
    const frames = splitAll([framed.bytes]);
    expect(frames.map((frame) => frame.sequenceId)).toEqual([255, 0]);
    expect(Buffer.concat(frames.map((frame) => frame.payload)).equals(bytes)).toBe(true);
  });

  it('refuses a frame whose body does not inflate to its stated length', () => {
    const lying = frameBytes(0, deflateSync(query), query.length + 1);
    expect(() => decodeCompressedFrame(lying)).toThrow(MysqlWireError);
    expect(() => decodeCompressedFrame(frameBytes(0, Buffer.from('not zlib at all'), 99))).toThrow(
      MysqlWireError,
    );
  });
});
