import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  defaultLexerState,
  fingerprint,
  type LexerState,
  lex,
  SqlAnalyzer,
  splitStatements,
} from '../src/index.js';

// The sql package has no error class: lexing reports unterminated constructs as values, so the
// property is that nothing throws at all, on any text, in any lexer state.
const SEED = 0x51c3;
const RUNS = 1500;
/** Per call on inputs of a few kilobytes; a quadratic path or a hang fails well before the test timeout. */
const BUDGET_MS = 250;

const STATES: readonly LexerState[] = [
  defaultLexerState('postgres'),
  { ...defaultLexerState('postgres'), standardConformingStrings: false },
  defaultLexerState('mysql'),
  { ...defaultLexerState('mysql'), ansiQuotes: true },
  { ...defaultLexerState('mysql'), noBackslashEscapes: true },
];

const SEEDS = [
  "SELECT a, 'it''s', E'\\n', $$body$$, $tag$ x $tag$ FROM t WHERE b = $1 -- tail",
  'INSERT INTO "T" (a) VALUES (1), (2), (3); UPDATE t SET a = ? WHERE id IN (1, 2, 3)',
  "/* outer /* nested */ */ SELECT `quoted` FROM db.t WHERE x = 'a\\'b' # comment",
  'CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql; SELECT f()',
  '/*!50000 DROP TABLE t */; /*M!100000 SELECT 1 */ SELECT @a := 1, @@session.sql_mode',
  "SELECT U&'d\\0061t', X'ff', B'101', N'n', _utf8mb4'x' COLLATE utf8mb4_bin",
  'BEGIN; DECLARE c CURSOR FOR SELECT 1; FETCH c; COMMIT',
];

/** Pieces that open constructs, so mutations leave them unterminated or oddly nested. */
const OPENERS = [
  "'",
  '"',
  '`',
  '$$',
  '$a$',
  '/*',
  '*/',
  '--',
  '#',
  '(',
  ')',
  ';',
  '\\',
  "E'",
  'U&"',
  '/*!',
  '\n',
  '\0',
  '\uD800',
  '\uFFFF',
];

const sqlText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .tuple(
      fc.constantFrom(...SEEDS),
      fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...OPENERS), fc.string({ maxLength: 4 }))), {
        maxLength: 6,
      }),
      fc.nat(),
    )
    .map(([seed, inserts, cut]) => {
      let text = seed;
      for (const [at, piece] of inserts) {
        const offset = at % (text.length + 1);
        text = text.slice(0, offset) + piece + text.slice(offset);
      }
      return cut % 3 === 0 ? text.slice(0, cut % (text.length + 1)) : text;
    }),
);

function withinBudget<T>(work: () => T): T {
  const started = performance.now();
  const result = work();
  expect(performance.now() - started).toBeLessThan(BUDGET_MS);
  return result;
}

describe('lexer, splitter and fingerprint on hostile text', () => {
  it('never throw on mutated statements in any lexer state, and tokens stay inside the text', () => {
    fc.assert(
      fc.property(sqlText, fc.constantFrom(...STATES), (sql, state) => {
        const { tokens, error } = withinBudget(() => lex(sql, state));
        for (const token of tokens) {
          expect(token.start).toBeGreaterThanOrEqual(0);
          expect(token.end).toBeLessThanOrEqual(sql.length);
          expect(token.end).toBeGreaterThan(token.start);
        }
        if (error) expect(error.position).toBeLessThanOrEqual(sql.length);
        const pieces = withinBudget(() => splitStatements(sql, state));
        if (Array.isArray(pieces))
          for (const piece of pieces) expect(sql.slice(piece.start, piece.end)).toBe(piece.text);
        expect(typeof withinBudget(() => fingerprint(sql, state))).toBe('string');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('the analyzer never throws on mutated statements', () => {
    const analyzer = new SqlAnalyzer();
    fc.assert(
      fc.property(sqlText, fc.constantFrom(...STATES), (sql, state) => {
        expect(Array.isArray(withinBudget(() => analyzer.analyze(sql, state)))).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS / 3 },
    );
  });

  const extremes: readonly [string, string][] = [
    ['10,000 nested parentheses', `SELECT ${'('.repeat(10_000)}1${')'.repeat(10_000)}`],
    ['10,000 unclosed parentheses', `SELECT ${'('.repeat(10_000)}1`],
    ['10,000 nested subqueries', `${'SELECT * FROM ('.repeat(10_000)}SELECT 1${') s'.repeat(10_000)}`],
    ['a 1 MB identifier', `SELECT ${'a'.repeat(1024 * 1024)} FROM t`],
    ['a 1 MB quoted identifier', `SELECT "${'b'.repeat(1024 * 1024)}" FROM t`],
    ['an unterminated 1 MB string', `SELECT '${'c'.repeat(1024 * 1024)}`],
    ['an unterminated 1 MB comment', `SELECT 1 /* ${'d'.repeat(1024 * 1024)}`],
    ['an unterminated dollar quote', `SELECT $body$ ${'e'.repeat(1024 * 1024)}`],
    ['100,000 nested comment openers', `SELECT 1 ${'/*'.repeat(100_000)}`],
    ['100,000 semicolons', ';'.repeat(100_000)],
    ['100,000 backslashes in a string', `SELECT '${'\\'.repeat(100_000)}'`],
    ['100,000 dollar signs', '$'.repeat(100_000)],
    ['lone surrogates and NULs', `SELECT '\uD800\0\uDFFF' ${'\uD800'.repeat(1000)}`],
    [
      'a 10,000-item IN list',
      `SELECT 1 WHERE a IN (${Array.from({ length: 10_000 }, (_, i) => i).join(',')})`,
    ],
    [
      '10,000 VALUES rows',
      `INSERT INTO t VALUES ${Array.from({ length: 10_000 }, () => '(1, 2)').join(',')}`,
    ],
  ];

  for (const [name, sql] of extremes) {
    it(`lexes, splits and fingerprints ${name} in linear time without throwing`, () => {
      for (const state of STATES) {
        const started = performance.now();
        lex(sql, state);
        splitStatements(sql, state);
        fingerprint(sql, state);
        expect(performance.now() - started).toBeLessThan(2000);
      }
    });
  }

  it('the analyzer answers 10,000 nested parentheses and a 1 MB identifier without throwing', () => {
    const analyzer = new SqlAnalyzer();
    for (const [, sql] of extremes.slice(0, 4)) {
      for (const state of [STATES[0], STATES[2]] as LexerState[]) {
        const started = performance.now();
        expect(Array.isArray(analyzer.analyze(sql, state))).toBe(true);
        expect(performance.now() - started).toBeLessThan(5000);
      }
    }
  });
});
