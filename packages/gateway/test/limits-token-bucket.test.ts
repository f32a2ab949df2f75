import { describe, expect, it } from 'vitest';
import { StatementRate } from '../src/limits/statement-rate.js';
import { TokenBucket } from '../src/limits/token-bucket.js';

describe('the statement rate token bucket', () => {
  it('allows a burst, then one statement per refill interval, and never saves up past the burst', () => {
    const bucket = new TokenBucket(2, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    // Two per second: one token every 500 ms.
    expect(bucket.take(400)).toBe(false);
    expect(bucket.take(500)).toBe(true);
    expect(bucket.take(500)).toBe(false);
    // An hour of silence refills to the burst, not to 7200.
    const after = 3_600_000;
    expect([bucket.take(after), bucket.take(after), bucket.take(after), bucket.take(after)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('handles rates below one per second', () => {
    const bucket = new TokenBucket(0.5, 1, 0);
    expect(bucket.take(0)).toBe(true);
    expect(bucket.take(1999)).toBe(false);
    expect(bucket.take(2000)).toBe(true);
  });

  it('keeps one bucket per identity', () => {
    let now = 0;
    const rate = new StatementRate(1, 2, () => now);
    expect([rate.take('a'), rate.take('a'), rate.take('a')]).toEqual([true, true, false]);
    expect(rate.take('b')).toBe(true);
    now = 1000;
    expect(rate.take('a')).toBe(true);
    expect(rate.take('a')).toBe(false);
  });

  it('keeps the buckets still refilling when it sweeps at many identities', () => {
    let now = 0;
    const rate = new StatementRate(1, 1, () => now);
    expect(rate.take('busy')).toBe(true);
    for (let n = 0; n < 10_000; n += 1) rate.take(`caller-${n}`);
    now = 500;
    // The sweep at the next new identity drops nothing that is still refilling: busy stays empty.
    expect(rate.take('newcomer')).toBe(true);
    expect(rate.take('busy')).toBe(false);
  });
});
