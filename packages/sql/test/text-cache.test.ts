import { describe, expect, it } from 'vitest';
import { defaultLexerState } from '../src/index.js';
import { TextCache } from '../src/text-cache.js';
import type { StatementAnalysis } from '../src/types.js';

const postgres = defaultLexerState('postgres');
const ANALYSES: readonly StatementAnalysis[] = [];

/** Looks a text up and, on a miss, offers it, as the analyser does. */
function use(cache: TextCache, text: string): boolean {
  if (cache.get(text, postgres) !== undefined) return true;
  cache.set(text, postgres, ANALYSES);
  return false;
}

describe('TextCache', () => {
  it('keeps a text from its second sighting and serves it from its third', () => {
    const cache = new TextCache(100, 1 << 20);
    expect([use(cache, 'SELECT 1'), use(cache, 'SELECT 1'), use(cache, 'SELECT 1')]).toEqual([
      false,
      false,
      true,
    ]);
  });

  it('stops keeping texts that never repeat, and starts again once they do', () => {
    const cache = new TextCache(10_000, 1 << 24);
    for (let id = 0; id < 8192; id += 1)
      use(cache, `SELECT abalance FROM pgbench_accounts WHERE aid = ${id}`);
    expect(cache.keepingAll).toBe(false);
    let hits = 0;
    for (let round = 0; round < 20_000; round += 1) if (use(cache, `SELECT * FROM t${round % 20}`)) hits += 1;
    expect(cache.keepingAll).toBe(true);
    expect(hits).toBeGreaterThan(15_000);
  });
});
