import { TokenBucket } from './token-bucket.js';

/** Buckets are swept once there are this many: full ones carry no state worth keeping. */
const SWEEP_AT = 10_000;

/**
 * `limits.statements_per_second`: one token bucket per identity, shared by all its sessions on
 * every connection, so opening more sessions does not buy a higher rate.
 */
export class StatementRate {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Whether `identity` may run one more statement now. */
  take(identity: string): boolean {
    const now = this.clock();
    let bucket = this.buckets.get(identity);
    if (!bucket) {
      if (this.buckets.size >= SWEEP_AT) this.sweep(now);
      bucket = new TokenBucket(this.perSecond, this.burst, now);
      this.buckets.set(identity, bucket);
    }
    return bucket.take(now);
  }

  get describe(): string {
    return `${this.perSecond} statements per second (burst ${this.burst})`;
  }

  private sweep(now: number): void {
    for (const [identity, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(identity);
  }
}
