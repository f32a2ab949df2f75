import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatLimit, StatementTimer } from '../src/statement-timer.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('StatementTimer', () => {
  it('cancels once when statements stay in flight past the limit, and says so in Sluice’s words', () => {
    const cancel = vi.fn();
    const timer = new StatementTimer(1000, cancel);
    timer.track(true);
    vi.advanceTimersByTime(999);
    expect(cancel).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(cancel).toHaveBeenCalledTimes(1);
    expect(timer.fired).toBe(true);
    timer.track(true);
    timer.statementDone(true);
    vi.advanceTimersByTime(5000);
    expect(cancel).toHaveBeenCalledTimes(1);
    expect(timer.message).toBe('sluice: statement cancelled after 1s (max_statement_time)');
    timer.track(false);
    expect(timer.fired).toBe(false);
  });

  it('gives each statement the whole limit and stops when nothing is in flight', () => {
    const cancel = vi.fn();
    const timer = new StatementTimer(1000, cancel);
    timer.track(true);
    vi.advanceTimersByTime(800);
    timer.statementDone(true);
    vi.advanceTimersByTime(800);
    timer.statementDone(false);
    timer.track(false);
    vi.advanceTimersByTime(5000);
    expect(cancel).not.toHaveBeenCalled();
  });

  it('writes the limit as a policy would', () => {
    expect([1000, 90_000, 300_000, 7_200_000, 1500].map(formatLimit)).toEqual([
      '1s',
      '90s',
      '5m',
      '2h',
      '1500ms',
    ]);
  });
});
