// Throughput of FrameSplitter on 8 KiB chunks of 100-byte DataRows, alternating with
// FrameSplitter + DataRow.decode and with pg-protocol's Parser on the same bytes.
// Run after a build: node packages/wire-postgres/bench/frame-splitter.mjs
import { Parser } from 'pg-protocol/dist/parser.js';
import { backend, FrameSplitter } from '../dist/index.js';

const STREAM_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 8 * 1024;
const ROUNDS = 5;
const MiB = 1024 * 1024;

function dataRow() {
  // 1 type byte + 4 length + 2 count + 3 × (4 + value) = 100 bytes.
  const values = [Buffer.from('12345678'), Buffer.from('someone@example.com'), Buffer.alloc(54, 'x')];
  return backend.DataRow.encode({ kind: 'data-row', values });
}

function buildChunks() {
  const row = dataRow();
  if (row.length !== 100) throw new Error(`row is ${row.length} bytes`);
  const stream = Buffer.alloc(Math.floor(STREAM_BYTES / row.length) * row.length);
  for (let offset = 0; offset < stream.length; offset += row.length) row.copy(stream, offset);
  const chunks = [];
  for (let offset = 0; offset < stream.length; offset += CHUNK_BYTES) {
    // Sockets hand out separate buffers: copy so no chunk shares memory with another.
    chunks.push(Buffer.from(stream.subarray(offset, offset + CHUNK_BYTES)));
  }
  return { chunks, bytes: stream.length, rows: stream.length / row.length };
}

const contenders = {
  FrameSplitter: (chunks) => {
    const splitter = new FrameSplitter({ untyped: false, maxFrameBytes: MiB });
    let frames = 0;
    for (const chunk of chunks) splitter.push(chunk, () => frames++);
    return frames;
  },
  'FrameSplitter + DataRow.decode': (chunks) => {
    const splitter = new FrameSplitter({ untyped: false, maxFrameBytes: MiB });
    let frames = 0;
    for (const chunk of chunks) {
      splitter.push(chunk, (frame) => {
        frames += backend.DataRow.decode(frame.bytes).values.length > 0 ? 1 : 0;
      });
    }
    return frames;
  },
  'pg-protocol Parser': (chunks) => {
    const parser = new Parser();
    let frames = 0;
    for (const chunk of chunks) parser.parse(chunk, () => frames++);
    return frames;
  },
};

const { chunks, bytes, rows } = buildChunks();
const results = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(contenders)) {
    const started = process.hrtime.bigint();
    const frames = run(chunks);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (frames !== rows) throw new Error(`${name} saw ${frames} frames, expected ${rows}`);
    results[name].push(bytes / MiB / seconds);
  }
}

const median = (values) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)];
const baseline = median(results.FrameSplitter);
console.log(
  `${(bytes / MiB).toFixed(0)} MiB of 100-byte DataRows in ${CHUNK_BYTES / 1024} KiB chunks, median of ${ROUNDS}`,
);
for (const [name, values] of Object.entries(results)) {
  const mibPerSecond = median(values);
  console.log(
    `${name.padEnd(32)} ${mibPerSecond.toFixed(0).padStart(6)} MiB/s  ×${(mibPerSecond / baseline).toFixed(2)}`,
  );
}
