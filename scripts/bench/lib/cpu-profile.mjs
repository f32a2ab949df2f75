// Reads a V8 .cpuprofile (node --cpu-prof) and sums its samples into the buckets that say where a
// gateway spends its time per statement: journal, SQL analysis, policy, masking, framing and
// relay, Node's socket path, GC. A sample counts for the function it was in (its self time); a
// sample in a builtin or native function without a file of its own, or in one of Node's modules
// off the socket path, counts for the nearest caller that is Sluice's, so `Map.get` in the lexer
// is SQL analysis, a hash under the journal is the journal's, and a `writeBuffer` under the relay
// is the socket path.
import { readFileSync } from 'node:fs';

const SOCKET_BUCKET = 'socket and streams (Node)';
/** Native functions that make the write syscall, by the name `summarizeProfile` gives them. */
const SOCKET_WRITES = new Set(['writeBuffer', 'writev', 'writeUtf8String', 'writeLatin1String']);

/** Buckets in the order they print; the first rule that matches a frame's file names its bucket. */
const RULES = [
  ['journal', /packages\/journal\/|statement-journal|control-journal|better-sqlite3|\/sqlite/],
  ['SQL analysis', /packages\/sql\/|node-sql-parser/],
  ['policy', /packages\/policy\/|statement-judge|approval-gate|approval-hold|grant/],
  ['masking', /packages\/masking\/|mask|value-shapes|scalar-values|array-values|record-values|value-types/],
  ['framing and relay', /packages\/wire-(postgres|mysql)\/|packages\/gateway\//],
  [SOCKET_BUCKET, /^node:(net|stream|internal\/(net|streams|stream_base_commons))/],
];
/** Node's own modules outside the socket path: their time belongs to whoever called them. */
const PASS_THROUGH = /^node:/;

function bucketOfUrl(url) {
  for (const [bucket, pattern] of RULES) if (pattern.test(url)) return bucket;
  return null;
}

function bucketOfName(name) {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'program (V8/native, no JS frame)';
  return null;
}

/** The bucket of a sample's leaf node, walking up to the first caller with a file. */
function bucketOf(node, parents) {
  const named = bucketOfName(node.callFrame.functionName);
  if (named) return named;
  let fallback = 'other';
  for (let current = node; current; current = parents.get(current.id)) {
    const { url } = current.callFrame;
    if (!url) continue;
    const bucket = bucketOfUrl(url);
    if (bucket) return bucket;
    if (!PASS_THROUGH.test(url)) return 'other';
    // Node's hashing under the journal is the journal's; a timer with no caller is Node's.
    if (fallback === 'other') fallback = `Node (${url.replace(/^node:(internal\/)?/, '')})`;
  }
  return fallback.startsWith('Node') ? 'other (Node internals)' : fallback;
}

function shortUrl(url) {
  return url.replace(/^file:\/\//, '').replace(/^.*?\/(packages|apps|node_modules)\//, '$1/');
}

/**
 * Per bucket: share of the non-idle samples; and the functions with the most self time.
 * Returns `{ totalMs, busyMs, buckets: [{ bucket, ms, share }], top: [{ name, ms, share }] }`.
 */
export function summarizeProfile(path, topCount = 30) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);
  const selfMs = new Map();
  const deltas = profile.timeDeltas;
  for (let index = 0; index < profile.samples.length; index++) {
    const id = profile.samples[index];
    // A sample's time is the gap to the next sample.
    const ms = (deltas[index + 1] ?? 0) / 1000;
    selfMs.set(id, (selfMs.get(id) ?? 0) + ms);
  }
  const buckets = new Map();
  const functions = new Map();
  let totalMs = 0;
  let socketWriteMs = 0;
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    const bucket = bucketOf(node, parents);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + ms);
    // The native socket writes (a file write has the same name): see `profileLines`.
    if (bucket === SOCKET_BUCKET && SOCKET_WRITES.has(node.callFrame.functionName)) socketWriteMs += ms;
    totalMs += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + ms);
  }
  const busyMs = totalMs - (buckets.get('idle') ?? 0);
  const share = (ms) => ms / busyMs;
  const offWrites = (bucket, ms) =>
    (bucket === SOCKET_BUCKET ? ms - socketWriteMs : ms) / (busyMs - socketWriteMs);
  return {
    totalMs,
    busyMs,
    socketWriteMs,
    buckets: [...buckets]
      .filter(([bucket]) => bucket !== 'idle')
      .sort((a, b) => b[1] - a[1])
      .map(([bucket, ms]) => ({ bucket, ms, share: share(ms), withoutWrites: offWrites(bucket, ms) })),
    top: [...functions]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, topCount)
      .map(([name, ms]) => ({ name, ms, share: share(ms) })),
  };
}

/**
 * The profiler samples on a wall clock, so a socket write that wakes the reader and loses the CPU
 * to it counts in full: on a busy machine most of `writeBuffer` is time off the CPU (compare the
 * process's system time per transaction). The second column leaves the socket writes out.
 */
export function profileLines(summary) {
  const percent = (share) => `${(100 * share).toFixed(1).padStart(5)} %`;
  return [
    `busy ${(summary.busyMs / 1000).toFixed(1)} s of ${(summary.totalMs / 1000).toFixed(1)} s sampled, ${(summary.socketWriteMs / 1000).toFixed(1)} s of it in socket writes`,
    '',
    '    all  without socket writes',
    ...summary.buckets.map(
      ({ bucket, share, withoutWrites }) => `${percent(share)}  ${percent(withoutWrites)}  ${bucket}`,
    ),
    '',
    'most self time:',
    ...summary.top.map(({ name, share }) => `${percent(share)}  ${name}`),
  ].join('\n');
}
