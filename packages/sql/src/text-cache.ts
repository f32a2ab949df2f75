import { LruCache } from './cache.js';
import type { LexerState, StatementAnalysis } from './types.js';

/** Longer query strings are not kept whole: they are rarely repeated, and memory stays bounded. */
const MAX_CACHED_TEXT = 16 * 1024;
/** What an entry costs besides its text (the analyses' objects), roughly, in bytes. */
const ENTRY_OVERHEAD_BYTES = 512;

interface CachedText {
  /** The lexer state the text was read in, as `stateKey` numbers it. */
  readonly state: number;
  readonly analyses: readonly StatementAnalysis[];
}

/** The settings that change how a text reads, as one small number. */
function stateKey(state: LexerState): number {
  return (
    (state.dialect === 'mysql' ? 1 : 0) |
    (state.standardConformingStrings ? 2 : 0) |
    (state.ansiQuotes ? 4 : 0) |
    (state.noBackslashEscapes ? 8 : 0)
  );
}

/**
 * Whole query strings as analysed before: a client that sends the same text again (pgbench,
 * an ORM's fixed queries, a health check) skips lexing and fingerprinting altogether from its
 * third time on. An entry
 * holds for the lexer state it was read in only; the same text read in another state is a miss
 * and replaces it. Analyses are shared between the sessions that send the text, which is why
 * they are readonly throughout.
 */
export class TextCache {
  private readonly entries: LruCache<CachedText>;
  /**
   * Texts seen once, which are kept only when seen again: most texts with literals in them
   * (pgbench's `WHERE aid = 4711`) never come back, and keeping their analyses until they are
   * evicted costs the garbage collector more than the cache saves.
   */
  private readonly seenOnce: LruCache<true>;

  constructor(capacity: number, maxBytes: number) {
    this.entries = new LruCache(capacity, maxBytes);
    this.seenOnce = new LruCache(capacity, maxBytes / 4);
  }

  get(text: string, state: LexerState): readonly StatementAnalysis[] | undefined {
    const entry = this.entries.get(text);
    return entry !== undefined && entry.state === stateKey(state) ? entry.analyses : undefined;
  }

  set(text: string, state: LexerState, analyses: readonly StatementAnalysis[]): void {
    if (text.length > MAX_CACHED_TEXT) return;
    if (this.seenOnce.get(text) === undefined) {
      this.seenOnce.set(text, true, 2 * text.length);
      return;
    }
    // The text (up to two bytes a character) and the fingerprints, about as long again.
    this.entries.set(text, { state: stateKey(state), analyses }, 3 * text.length + ENTRY_OVERHEAD_BYTES);
  }
}
