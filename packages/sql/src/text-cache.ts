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

/** Lookups over which the hit rate is judged. */
const WINDOW = 4096;
/** Below one hit in this many lookups, texts are not worth keeping: they do not repeat. */
const USEFUL_HIT_RATE = 32;
/** While they are not, one miss in this many is still kept, to notice when texts start repeating. */
const SAMPLED_MISSES = 32;

/**
 * Whole query strings as analysed before: a client that sends the same text again (an ORM's
 * fixed queries, prepared statements, a health check) skips lexing and fingerprinting
 * altogether from its third time on. An entry holds for the lexer state it was read in only;
 * the same text read in another state is a miss and replaces it. Analyses are shared between
 * the sessions that send the text, which is why they are readonly throughout.
 *
 * Texts with literals in them (pgbench's `WHERE aid = 4711`) mostly never come back: keeping
 * them costs more than it saves, in insertions and in garbage collection of what is kept. So a
 * text is kept only when seen a second time, and while fewer than one lookup in 32 hits, only
 * one miss in 32 is kept at all.
 */
export class TextCache {
  private readonly entries: LruCache<CachedText>;
  /** Texts seen once, kept only when seen again. */
  private readonly seenOnce: LruCache<true>;
  private lookups = 0;
  private hits = 0;
  private misses = 0;
  private keeping = true;

  constructor(capacity: number, maxBytes: number) {
    this.entries = new LruCache(capacity, maxBytes);
    this.seenOnce = new LruCache(capacity, maxBytes / 4);
  }

  /** Whether missed texts are kept in full now (false while texts do not repeat). */
  get keepingAll(): boolean {
    return this.keeping;
  }

  get(text: string, state: LexerState): readonly StatementAnalysis[] | undefined {
    this.lookups += 1;
    if (this.lookups === WINDOW) {
      this.keeping = this.hits * USEFUL_HIT_RATE >= WINDOW;
      this.lookups = 0;
      this.hits = 0;
    }
    const entry = this.entries.get(text);
    if (entry === undefined || entry.state !== stateKey(state)) return undefined;
    this.hits += 1;
    return entry.analyses;
  }

  set(text: string, state: LexerState, analyses: readonly StatementAnalysis[]): void {
    if (text.length > MAX_CACHED_TEXT) return;
    if (!this.keeping) {
      this.misses += 1;
      if (this.misses % SAMPLED_MISSES !== 0) return;
    }
    if (this.seenOnce.get(text) === undefined) {
      this.seenOnce.set(text, true, 2 * text.length);
      return;
    }
    // The text (up to two bytes a character) and the fingerprints, about as long again.
    this.entries.set(text, { state: stateKey(state), analyses }, 3 * text.length + ENTRY_OVERHEAD_BYTES);
  }
}
