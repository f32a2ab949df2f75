import { LruCache } from './cache.js';
import { renderStatement } from './fingerprint.js';
import { lex } from './lexer.js';
import { nextLexerState } from './lexer-state.js';
import { reachOf } from './reach.js';
import { settingChangesOf } from './setting-changes.js';
import { primaryChange } from './settings.js';
import { type StatementSpan, spansOf, trimmedRange } from './split.js';
import { type CachedDml, decisiveFacts, type StatementStructure, structureOf } from './structure.js';
import { TextCache } from './text-cache.js';
import type { Token } from './tokens.js';
import type { AnalyzerOptions, Dialect, DmlTarget, LexerState, StatementAnalysis } from './types.js';
import { unanalysable } from './unanalysable.js';
import { whereAlwaysTrue } from './where.js';

/** Statements longer than this are judged from their tokens only: the parser could stall the process. */
export const LARGE_STATEMENT_BYTES = 64 * 1024;
const DEFAULT_CACHE_SIZE = 10_000;
/** The most the cache of whole query strings holds, texts and analyses, roughly. */
const TEXT_CACHE_BYTES = 16 * 1024 * 1024;
/** Longer fingerprints are not cached, so the cache's memory stays bounded. */
const MAX_CACHED_FINGERPRINT = 16 * 1024;
const NONE: readonly never[] = Object.freeze([]);
/** Time one analyze call may spend in node-sql-parser on statements missing from the cache. */
const PARSE_BUDGET_MS = 25;

/** Time spent analysing cache misses in the current call. */
interface ParseBudget {
  spentMs: number;
  /** Every statement was analysed in full, so the same text reads the same way next time. */
  repeatable: boolean;
}

/** Each change of quoting rules re-lexes the rest of a MySQL string; bounded so that it stays linear. */
const MAX_LEXER_RESTARTS = 16;

/** The index of the `ordinal`-th (from 0) word `keyword` in the tokens, or -1. */
function keywordIndex(tokens: readonly Token[], keyword: string, ordinal: number): number {
  let seen = 0;
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index] as Token;
    if (token.kind === 'word' && token.value === keyword) {
      if (seen === ordinal) return index;
      seen += 1;
    }
  }
  return -1;
}

function sameLexerState(a: LexerState, b: LexerState): boolean {
  return (
    a.standardConformingStrings === b.standardConformingStrings &&
    a.ansiQuotes === b.ansiQuotes &&
    a.noBackslashEscapes === b.noBackslashEscapes
  );
}

export class SqlAnalyzer {
  // One cache per dialect: a `dialect:` prefix on the key would cost a string copy per lookup.
  private readonly caches: Readonly<Record<Dialect, LruCache<StatementStructure>>>;
  /** In front of the fingerprint caches: a text seen before is neither lexed nor fingerprinted. */
  private readonly texts: TextCache;
  private hits = 0;
  private misses = 0;

  constructor(options: AnalyzerOptions = {}) {
    const size = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    this.caches = { postgres: new LruCache(size), mysql: new LruCache(size) };
    this.texts = new TextCache(size, TEXT_CACHE_BYTES);
  }

  get cacheStats(): { hits: number; misses: number; size: number } {
    return { hits: this.hits, misses: this.misses, size: this.caches.postgres.size + this.caches.mysql.size };
  }

  /** Splits and analyses a query string; one result per statement, in order. Never throws. */
  analyze(sql: string, state: LexerState): StatementAnalysis[] {
    const known = this.texts.get(sql, state);
    if (known !== undefined) {
      this.hits += known.length;
      return known.slice();
    }
    try {
      const budget: ParseBudget = { spentMs: 0, repeatable: true };
      const results = this.analyzeText(sql, state, budget);
      if (budget.repeatable) this.texts.set(sql, state, results.slice());
      return results;
    } catch {
      const { start, end } = trimmedRange(sql, 0, sql.length);
      return [unanalysable(sql.slice(start, end), '', state.dialect, 'the analyser failed on this text')];
    }
  }

  private analyzeText(sql: string, initial: LexerState, budget: ParseBudget): StatementAnalysis[] {
    const results: StatementAnalysis[] = [];
    let state = initial;
    let position = 0;
    // MySQL parses and runs a multi-statement string one statement at a time, so a SET that
    // changes quoting applies to the rest of the string; Postgres lexes the whole string first.
    let restarts = 0;
    for (;;) {
      const { tokens, error } = lex(sql, state, position);
      const { spans, tailStart } = spansOf(sql, tokens, state.dialect, position);
      let restart: number | null = null;
      for (const span of spans) {
        if (error !== null && span.start >= tailStart) break;
        const analysis = this.statement(
          sql,
          tokens.slice(span.firstToken, span.endToken),
          span,
          state.dialect,
          budget,
        );
        results.push(analysis);
        if (state.dialect !== 'mysql' || analysis.settingChanges.length === 0) continue;
        const next = this.stateAfter(state, analysis);
        const rest = tokens[span.endToken]?.end ?? sql.length;
        if ('unsupported' in next) {
          this.pushRest(
            results,
            sql,
            rest,
            state.dialect,
            `follows a setting the analyser cannot follow: ${next.unsupported}`,
          );
          budget.repeatable = false;
          return results;
        }
        if (!sameLexerState(state, next.state)) {
          restarts += 1;
          if (restarts > MAX_LEXER_RESTARTS) {
            this.pushRest(
              results,
              sql,
              rest,
              state.dialect,
              'too many changes of how SQL is read in one string',
            );
            budget.repeatable = false;
            return results;
          }
          state = next.state;
          restart = rest;
          break;
        }
      }
      if (restart !== null) {
        position = restart;
        continue;
      }
      if (error !== null) {
        this.pushRest(results, sql, tailStart, state.dialect, error.message, tokens);
        budget.repeatable = false;
      }
      return results;
    }
  }

  private stateAfter(state: LexerState, analysis: StatementAnalysis) {
    let current = state;
    for (const change of analysis.settingChanges) {
      const next = nextLexerState(current, change);
      if ('unsupported' in next) return next;
      current = next.state;
    }
    return { state: current };
  }

  /** The rest of the text from `from` as one statement that cannot be analysed. */
  private pushRest(
    results: StatementAnalysis[],
    sql: string,
    from: number,
    dialect: Dialect,
    problem: string,
    tokens: readonly Token[] = [],
  ): void {
    const { start, end } = trimmedRange(sql, from, sql.length);
    if (start === end) return;
    const rest = tokens.filter((token) => token.start >= from);
    const fingerprint =
      `${renderStatement(rest, 0, rest.length, dialect, false).fingerprint} ?unterminated`.trim();
    results.push(unanalysable(sql.slice(start, end), fingerprint, dialect, problem));
  }

  private statement(
    sql: string,
    tokens: readonly Token[],
    span: StatementSpan,
    dialect: Dialect,
    budget: ParseBudget,
  ): StatementAnalysis {
    const text = sql.slice(span.start, span.end);
    const { fingerprint, conditional } = renderStatement(tokens, 0, tokens.length, dialect, false);
    const large = text.length > LARGE_STATEMENT_BYTES;
    // A string of many new statements must not stall the process either: past the budget, the
    // rest are judged from their tokens and left out of the cache, to be parsed another time.
    const parse = !large && budget.spentMs < PARSE_BUDGET_MS;
    // Whether version-gated code changes a statement depends on its literals (`WHERE 1=1 /*!80000
    // AND id = 5 */`), so such statements are judged afresh every time.
    const cache = this.caches[dialect];
    const cacheable = parse && !conditional && fingerprint.length <= MAX_CACHED_FINGERPRINT;
    if (!cacheable) budget.repeatable = false;
    let structure = cacheable ? cache.get(fingerprint) : undefined;
    if (structure === undefined) {
      this.misses += 1;
      const start = performance.now();
      structure = this.structure(tokens, sql, dialect, parse);
      budget.spentMs += performance.now() - start;
      if (cacheable) cache.set(fingerprint, structure);
    } else {
      this.hits += 1;
    }
    return this.materialize(text, fingerprint, tokens, sql, dialect, structure);
  }

  /**
   * Tokens inside version-gated executable comments run on some servers only: when the statement
   * means something else without them, it cannot be judged without knowing the server.
   */
  private structure(
    tokens: readonly Token[],
    sql: string,
    dialect: Dialect,
    parse: boolean,
  ): StatementStructure {
    const structure = structureOf(tokens, sql, dialect, parse);
    if (!tokens.some((token) => token.conditional)) return structure;
    const unconditional = tokens.filter((token) => !token.conditional);
    // A statement that is all version-gated code either runs as read or does nothing.
    if (unconditional.length === 0) return structure;
    const without = structureOf(unconditional, sql, dialect, parse);
    const same =
      decisiveFacts(without) === decisiveFacts(structure) &&
      this.whereTruths(tokens, structure, dialect) === this.whereTruths(unconditional, without, dialect);
    if (same) return structure;
    const problem = 'a versioned executable comment changes the statement on some servers only';
    return { ...structure, understood: false, problem };
  }

  private whereTruths(tokens: readonly Token[], structure: StatementStructure, dialect: Dialect): string {
    return structure.dml.map((target) => this.alwaysTrue(tokens, target, dialect)).join();
  }

  /** Whether every condition of the target holds for every row (false when it has none). */
  private alwaysTrue(tokens: readonly Token[], target: CachedDml, dialect: Dialect): boolean {
    if (target.conditions.length === 0) return false;
    return target.conditions.every(({ keyword, ordinal }) => {
      const index = keywordIndex(tokens, keyword, ordinal);
      return index >= 0 && whereAlwaysTrue(tokens, index, dialect);
    });
  }

  private materialize(
    text: string,
    fingerprint: string,
    tokens: readonly Token[],
    sql: string,
    dialect: Dialect,
    structure: StatementStructure,
  ): StatementAnalysis {
    const dml: readonly DmlTarget[] =
      structure.dml.length === 0
        ? NONE
        : structure.dml.map((target) => ({
            kind: target.kind,
            table: target.table,
            hasWhere: target.conditions.length > 0,
            whereAlwaysTrue: this.alwaysTrue(tokens, target, dialect),
          }));
    const settingChanges = structure.changesSettings ? settingChangesOf(sql, tokens, dialect) : NONE;
    return {
      text,
      fingerprint,
      dialect,
      kind: structure.kind,
      command: structure.command,
      parsed: structure.parsed,
      understood: structure.understood,
      problem: structure.problem,
      tablesRead: structure.tablesRead,
      tablesWritten: structure.tablesWritten,
      functions: structure.functions,
      dml,
      nestedDml: structure.nestedDml,
      dynamicSql: structure.dynamicSql,
      copy: structure.copy,
      fileAccess: structure.fileAccess,
      settingChange: primaryChange(settingChanges),
      settingChanges,
      outputColumns: structure.outputColumns,
      reach: reachOf(tokens, structure.command, structure.functions, dialect),
    };
  }
}
