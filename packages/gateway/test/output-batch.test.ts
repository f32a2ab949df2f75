import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OutputBatch } from '../src/output-batch.js';

/** A destination that keeps every write as it was handed over, and what reached it in total. */
function destination(highWaterMark = 1 << 20) {
  const writes: Buffer[][] = [];
  const stream = new Writable({
    highWaterMark,
    writev(chunks, done) {
      writes.push(chunks.map(({ chunk }) => chunk as Buffer));
      done();
    },
    write(chunk: Buffer, _encoding, done) {
      writes.push([chunk]);
      done();
    },
  });
  return { stream, writes, bytes: () => Buffer.concat(writes.flat()) };
}

function frames(count: number, size: number): Buffer {
  const chunk = Buffer.alloc(count * size);
  for (let index = 0; index < chunk.length; index += 1) chunk[index] = index % 251;
  return chunk;
}

describe('OutputBatch', () => {
  it('writes the adjacent frames of one chunk as one slice of it, without copying', () => {
    const chunk = frames(10, 20);
    const batch = new OutputBatch();
    for (let at = 0; at < chunk.length; at += 20) batch.add(chunk.subarray(at, at + 20));
    const out = destination();
    expect(batch.flushTo(out.stream)).toBe(true);
    expect(out.writes).toHaveLength(1);
    expect(out.writes[0]?.[0]?.buffer).toBe(chunk.buffer);
    expect(out.bytes()).toEqual(chunk);
  });

  it('writes a chunk of rewritten small frames once, every byte in order', () => {
    const chunk = frames(500, 100);
    const batch = new OutputBatch();
    const expected: Buffer[] = [];
    for (let at = 0; at < chunk.length; at += 100) {
      // Every other frame replaced by a new buffer, as a masked row is.
      const frame = at % 200 === 0 ? Buffer.from(`masked row ${at}`) : chunk.subarray(at, at + 100);
      batch.add(frame);
      expected.push(frame);
    }
    const out = destination();
    batch.flushTo(out.stream);
    expect(out.writes).toHaveLength(1);
    expect(out.writes[0]).toHaveLength(1);
    expect(out.bytes()).toEqual(Buffer.concat(expected));
    expect(batch.empty).toBe(true);
  });

  it('writes large pieces as they are, corked into one write', () => {
    const big = frames(1, 64 * 1024);
    const batch = new OutputBatch();
    batch.add(big);
    batch.add(Buffer.from('between'));
    batch.add(frames(1, 32 * 1024));
    const out = destination();
    batch.flushTo(out.stream);
    expect(out.writes).toHaveLength(1);
    expect(out.writes[0]).toHaveLength(3);
    expect(out.writes[0]?.[0]?.buffer).toBe(big.buffer);
  });

  it('says when the destination asks to slow down', () => {
    const batch = new OutputBatch();
    batch.add(Buffer.alloc(100));
    batch.add(Buffer.alloc(100));
    const out = destination(50);
    // The first write goes through at once; a second flush finds the stream over its mark.
    out.stream.cork();
    expect(batch.flushTo(out.stream)).toBe(false);
  });
});
