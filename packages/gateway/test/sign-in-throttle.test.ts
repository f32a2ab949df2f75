import { describe, expect, it } from 'vitest';
import { SignInThrottle } from '../src/sign-in-throttle.js';

describe('SignInThrottle', () => {
  const limits = { perHost: 3, perUser: 5, windowMs: 60_000 };

  it('refuses a host past its limit until the window has passed, and lets other hosts in', () => {
    let now = 1_000_000;
    const throttle = new SignInThrottle(limits, () => now);
    for (let i = 0; i < 3; i++) {
      expect(throttle.refusal('10.0.0.1', `u${i}`)).toBeUndefined();
      throttle.failed('10.0.0.1', `u${i}`);
    }
    expect(throttle.refusal('10.0.0.1', 'anyone')).toBe(
      'too many failed sign-ins from 10.0.0.1; try again in 60 s',
    );
    expect(throttle.refusal('10.0.0.2', 'anyone')).toBeUndefined();
    now += 59_000;
    expect(throttle.refusal('10.0.0.1', 'anyone')).toMatch(/try again in 1 s$/);
    now += 1_000;
    expect(throttle.refusal('10.0.0.1', 'anyone')).toBeUndefined();
  });

  it('refuses a user name failed from many hosts, and no other name', () => {
    const throttle = new SignInThrottle(limits, () => 0);
    for (let i = 0; i < 5; i++) throttle.failed(`10.0.1.${i}`, 'target');
    expect(throttle.refusal('10.0.2.1', 'target')).toMatch(/^too many failed sign-ins for user "target"/);
    expect(throttle.refusal('10.0.2.1', 'other')).toBeUndefined();
  });

  it('holds a bounded number of counters under a flood of distinct names', () => {
    const throttle = new SignInThrottle({ perHost: 1e9, perUser: 2, windowMs: 60_000 }, () => 0);
    for (let i = 0; i < 30_000; i++) throttle.failed('10.0.0.9', `name-${i}`);
    // Still counting (not crashed, not unbounded): a repeated name is refused after its limit.
    throttle.failed('10.0.0.9', 'again');
    throttle.failed('10.0.0.9', 'again');
    expect(throttle.refusal('10.0.0.8', 'again')).toBeDefined();
    expect((throttle as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(
      10_000,
    );
  });
});
