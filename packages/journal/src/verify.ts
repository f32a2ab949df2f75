import type Database from 'better-sqlite3';
import { GENESIS_HASH, recordHash } from './chain.js';
import { checkpointFor } from './purge.js';
import type { VerifyProblem, VerifyResult } from './types.js';

interface StoredRecord {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly ref: string | null;
  readonly payload: string;
  readonly prev_hash: string;
  readonly hash: string;
}

/**
 * Walks the chain in seq order and reports every record that does not fit it:
 * - its content does not hash to its stored hash: the record was edited, or moved to another
 *   seq (the seq is hashed), which is how reordered or swapped records show;
 * - seqs are missing before it: records were deleted from the middle (or the start);
 * - its prev_hash is not the hash of the record before it: the link was cut or rewired.
 *
 * A chain alone cannot tell that the NEWEST records were deleted: what remains is a valid,
 * shorter chain. Detecting that needs the head hash kept somewhere else (`headHash` is
 * returned for that), as does a rewrite of the whole chain with recomputed hashes.
 */
export function verifyChain(db: Database.Database): VerifyResult {
  const select = db.prepare<[], StoredRecord>(
    'SELECT seq, at, type, ref, payload, prev_hash, hash FROM records ORDER BY seq',
  );
  const problems: VerifyProblem[] = [];
  let checked = 0;
  const start = startOf(db);
  let previous: { readonly seq: number; readonly hash: string } = start;
  for (const record of select.iterate()) {
    checked += 1;
    problems.push(...problemsOf(record, previous));
    previous = { seq: record.seq, hash: record.hash };
  }
  return {
    ok: problems.length === 0,
    checked,
    problems,
    headHash: checked === 0 ? null : previous.hash,
    headSeq: checked === 0 ? null : previous.seq,
    purgedThrough: start.seq === 0 ? null : start.seq,
  };
}

/**
 * Where the remaining chain starts: the genesis, or after a purge the last purged record as its
 * checkpoint (itself a record of the chain, so editing it shows) describes it. Without such a
 * checkpoint, missing first records are reported as deleted.
 */
function startOf(db: Database.Database): { readonly seq: number; readonly hash: string } {
  const first = db.prepare<[], number | null>('SELECT min(seq) FROM records').pluck().get() ?? null;
  if (first === null || first <= 1) return { seq: 0, hash: GENESIS_HASH };
  const checkpoint = checkpointFor(db, first - 1);
  return checkpoint ? { seq: first - 1, hash: checkpoint.purged_hash } : { seq: 0, hash: GENESIS_HASH };
}

function problemsOf(
  record: StoredRecord,
  previous: { readonly seq: number; readonly hash: string },
): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  const expectedSeq = previous.seq + 1;
  const recomputed = recordHash({ ...record, prevHash: record.prev_hash });
  if (recomputed !== record.hash) {
    problems.push({
      seq: record.seq,
      message: 'content does not match its hash: the record was edited or moved from another position',
    });
  }
  if (record.seq !== expectedSeq) {
    const missing =
      expectedSeq === record.seq - 1
        ? `record ${expectedSeq} is`
        : `records ${expectedSeq}–${record.seq - 1} are`;
    problems.push({ seq: record.seq, message: `${missing} missing: deleted from the chain` });
  } else if (record.prev_hash !== previous.hash) {
    const before = previous.seq === 0 ? 'the start of the chain' : `record ${previous.seq}`;
    problems.push({ seq: record.seq, message: `does not follow ${before}: the chain link is broken` });
  }
  return problems;
}
