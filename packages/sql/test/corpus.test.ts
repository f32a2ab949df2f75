import { describe, expect, it } from 'vitest';
import { type Dialect, defaultLexerState, SqlAnalyzer, type StatementAnalysis } from '../src/index.js';
import { mysqlCorpus } from './corpus/mysql.js';
import { postgresCorpus } from './corpus/postgres.js';
import type { Corpus, CorpusCase, Expectation } from './corpus/types.js';

const corpora: readonly [Dialect, Corpus][] = [
  ['postgres', postgresCorpus],
  ['mysql', mysqlCorpus],
];

function sorted(values: readonly string[]): string[] {
  return [...values].sort();
}

function check(result: StatementAnalysis, expected: Expectation, ordinary: boolean): void {
  expect(result.kind).toBe(expected.kind);
  expect(result.understood, result.problem ?? '').toBe(expected.understood ?? true);
  if (expected.command !== undefined) expect(result.command).toBe(expected.command);
  if (expected.tablesRead !== undefined)
    expect(sorted(result.tablesRead)).toEqual(sorted(expected.tablesRead));
  if (expected.tablesWritten !== undefined)
    expect(sorted(result.tablesWritten)).toEqual(sorted(expected.tablesWritten));
  for (const name of expected.functions ?? []) expect(result.functions).toContain(name);
  if (expected.dml !== undefined) expect(result.dml).toEqual(expected.dml);
  if (expected.nestedDml !== undefined) expect(result.nestedDml).toBe(expected.nestedDml);
  if (expected.copy !== undefined) expect(result.copy).toEqual(expected.copy);
  if (expected.settingChange !== undefined) expect(result.settingChange).toEqual(expected.settingChange);
  // Ordinary statements must not look dangerous unless the case says so.
  const dynamicSql = expected.dynamicSql ?? (ordinary ? false : undefined);
  const fileAccess = expected.fileAccess ?? (ordinary ? false : undefined);
  if (dynamicSql !== undefined) expect(result.dynamicSql).toBe(dynamicSql);
  if (fileAccess !== undefined) expect(result.fileAccess).toBe(fileAccess);
  if (ordinary && expected.dml === undefined && expected.command !== 'TRUNCATE') {
    expect(result.dml.filter((target) => !target.hasWhere || target.whereAlwaysTrue)).toEqual([]);
  }
}

function run(dialect: Dialect, testCase: CorpusCase, ordinary: boolean, analyzer: SqlAnalyzer): void {
  const results = analyzer.analyze(testCase.sql, defaultLexerState(dialect));
  const expectations = Array.isArray(testCase.expect) ? testCase.expect : [testCase.expect];
  expect(results).toHaveLength(expectations.length);
  for (const [index, expected] of expectations.entries())
    check(results[index] as StatementAnalysis, expected, ordinary);
}

for (const [dialect, corpus] of corpora) {
  describe(`${dialect} corpus`, () => {
    // One analyzer per corpus, so later cases also exercise cache hits of earlier fingerprints.
    const analyzer = new SqlAnalyzer();
    it.each(corpus.dangerous.map((testCase) => [testCase.sql, testCase] as const))(
      'dangerous: %s',
      (_sql, testCase) => {
        run(dialect, testCase, false, analyzer);
        run(dialect, testCase, false, analyzer);
      },
    );
    it.each(corpus.ordinary.map((testCase) => [testCase.sql.slice(0, 120), testCase] as const))(
      'ordinary: %s',
      (_sql, testCase) => {
        run(dialect, testCase, true, analyzer);
        run(dialect, testCase, true, analyzer);
      },
    );
  });
}

describe('corpus size', () => {
  it('holds at least 150 dangerous and 150 ordinary statements', () => {
    const dangerous = postgresCorpus.dangerous.length + mysqlCorpus.dangerous.length;
    const ordinary = postgresCorpus.ordinary.length + mysqlCorpus.ordinary.length;
    expect(dangerous).toBeGreaterThanOrEqual(150);
    expect(ordinary).toBeGreaterThanOrEqual(150);
  });
});
