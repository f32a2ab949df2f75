import type Database from 'better-sqlite3';
import { chainGenesis, GENESIS_HASH, recordHash } from './chain.js';
import { checkpointFor } from './purge.js';
import { replicaOf } from './schema.js';
import type { ChainSummary, VerifyProblem, VerifyResult } from './types.js';

export interface StoredRecord {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly ref: string | null;
  readonly payload: string;
  readonly prev_hash: string;
  readonly hash: string;
}

interface Link {
  readonly seq: number;
  readonly hash: string;
}

/**
 * Walks a chain in seq order and reports every record that does not fit it:
 * - its content does not hash to its stored hash: the record was edited, or moved to another
 *   seq (the seq is hashed), which is how reordered or swapped records show;
 * - seqs are missing before it: records were deleted from the middle (or the start);
 * - its prev_hash is not the hash of the record before it: the link was cut or rewired.
 *
 * A chain alone cannot tell that the NEWEST records were deleted: what remains is a valid,
 * shorter chain. Detecting that needs the head hash kept somewhere else (`headHash` is
 * returned for that), as does a rewrite of the whole chain with recomputed hashes.
 */
export class ChainCheck {
  readonly problems: VerifyProblem[] = [];
  checked = 0;
  private previous: Link;
  private readonly purgedThrough: number | null;

  constructor(
    start: Link & { readonly purged?: boolean },
    private readonly gateway?: string,
  ) {
    this.previous = start;
    this.purgedThrough = start.purged ? start.seq : null;
  }

  add(record: StoredRecord): void {
    this.checked += 1;
    for (const problem of problemsOf(record, this.previous)) {
      this.problems.push(this.gateway === undefined ? problem : { ...problem, gateway: this.gateway });
    }
    this.previous = { seq: record.seq, hash: record.hash };
  }

  get head(): Link | null {
    return this.checked === 0 ? null : this.previous;
  }

  summary(): ChainSummary {
    return {
      gateway: this.gateway ?? '',
      checked: this.checked,
      headSeq: this.head?.seq ?? null,
      headHash: this.head?.hash ?? null,
      purgedThrough: this.purgedThrough,
    };
  }
}

/** The result of several gateways' chains (a shared store, or a replica of one). */
export function chainsResult(checks: readonly ChainCheck[]): VerifyResult {
  const problems = checks.flatMap((check) => check.problems);
  return {
    ok: problems.length === 0,
    checked: checks.reduce((sum, check) => sum + check.checked, 0),
    problems,
    headHash: null,
    headSeq: null,
    purgedThrough: null,
    chains: checks.map((check) => check.summary()),
  };
}

export function verifyChain(db: Database.Database): VerifyResult {
  if (replicaOf(db)) return verifyReplica(db);
  const select = db.prepare<[], StoredRecord>(
    'SELECT seq, at, type, ref, payload, prev_hash, hash FROM records ORDER BY seq',
  );
  const start = startOf(db);
  const check = new ChainCheck(start);
  for (const record of select.iterate()) check.add(record);
  return {
    ok: check.problems.length === 0,
    checked: check.checked,
    problems: check.problems,
    headHash: check.head?.hash ?? null,
    headSeq: check.head?.seq ?? null,
    purgedThrough: start.seq === 0 ? null : start.seq,
  };
}

/** A replica holds each gateway's chain, in its own seqs (`chain_seq`) from its own genesis. */
function verifyReplica(db: Database.Database): VerifyResult {
  const gateways = db
    .prepare<[], string>('SELECT DISTINCT gateway FROM records WHERE gateway IS NOT NULL ORDER BY gateway')
    .pluck()
    .all();
  const select = db.prepare<[string], StoredRecord>(
    `SELECT chain_seq AS seq, at, type, ref, payload, prev_hash, hash FROM records
     WHERE gateway = ? ORDER BY chain_seq`,
  );
  const first = db
    .prepare<[string], number | null>('SELECT min(chain_seq) FROM records WHERE gateway = ?')
    .pluck();
  const checkpoint = db
    .prepare<[string, number], string>(
      `SELECT payload FROM records WHERE type = 'purge' AND gateway = ?
       AND json_extract(payload, '$.purged_through') = ? ORDER BY seq DESC LIMIT 1`,
    )
    .pluck();
  const checks = gateways.map((gateway) => {
    const start = chainStart(gateway, first.get(gateway) ?? null, (through) =>
      checkpoint.get(gateway, through),
    );
    const check = new ChainCheck(start, gateway);
    for (const record of select.iterate(gateway)) check.add(record);
    return check;
  });
  return chainsResult(checks);
}

/**
 * Where a gateway's chain in a shared store starts: its genesis, or after a purge the record its
 * checkpoint names (the checkpoint's payload read by `checkpointPayload`).
 */
export function chainStart(
  gateway: string,
  first: number | null,
  checkpointPayload: (through: number) => string | undefined,
): Link & { readonly purged: boolean } {
  const genesis = { seq: 0, hash: chainGenesis(gateway), purged: false };
  if (first === null || first <= 1) return genesis;
  const payload = checkpointPayload(first - 1);
  if (payload === undefined) return genesis;
  const hash = (JSON.parse(payload) as { purged_hash?: unknown }).purged_hash;
  return typeof hash === 'string' ? { seq: first - 1, hash, purged: true } : genesis;
}

/**
 * Where the remaining chain starts: the genesis, or after a purge the last purged record as its
 * checkpoint (itself a record of the chain, so editing it shows) describes it. Without such a
 * checkpoint, missing first records are reported as deleted.
 */
function startOf(db: Database.Database): Link {
  const first = db.prepare<[], number | null>('SELECT min(seq) FROM records').pluck().get() ?? null;
  if (first === null || first <= 1) return { seq: 0, hash: GENESIS_HASH };
  const checkpoint = checkpointFor(db, first - 1);
  return checkpoint ? { seq: first - 1, hash: checkpoint.purged_hash } : { seq: 0, hash: GENESIS_HASH };
}

function problemsOf(record: StoredRecord, previous: Link): VerifyProblem[] {
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
