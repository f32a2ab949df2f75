import { describe, expect, it } from 'vitest';
import { defaultLexerState, SqlAnalyzer } from '../src/index.js';

const analyzer = new SqlAnalyzer();
const reachOf = (sql: string, dialect: 'postgres' | 'mysql') =>
  analyzer.analyze(sql, defaultLexerState(dialect)).map((statement) => statement.reach);

describe('session reach', () => {
  it('reads the process a signal names, and where its id is written', () => {
    const [reach] = reachOf('SELECT pg_terminate_backend(4242)', 'postgres');
    expect(reach?.signals).toEqual([{ action: 'terminate', target: { id: 4242, start: 28, end: 32 } }]);
    expect(reachOf('SELECT pg_cancel_backend(pg_backend_pid())', 'postgres')[0]?.signals).toEqual([
      { action: 'cancel', target: 'self' },
    ]);
    expect(reachOf('SELECT pg_cancel_backend(evil.pg_backend_pid())', 'postgres')[0]?.signals).toEqual([
      { action: 'cancel', target: null },
    ]);
    expect(reachOf('SELECT pg_cancel_backend(pid) FROM pg_stat_activity', 'postgres')[0]?.signals).toEqual([
      { action: 'cancel', target: null },
    ]);
  });

  it('keeps each statement’s own id, not the cached statement’s', () => {
    const [first, second] = reachOf('KILL QUERY 11; /*!50000 KILL 22 */', 'mysql');
    expect(first?.signals).toEqual([{ action: 'cancel', target: { id: 11, start: 11, end: 13 } }]);
    expect(second?.signals).toEqual([{ action: 'terminate', target: { id: 22, start: 29, end: 31 } }]);
  });

  it('names no thread for KILL QUERY ID and KILL USER', () => {
    expect(reachOf('KILL QUERY ID 5', 'mysql')[0]?.signals).toEqual([{ action: 'cancel', target: null }]);
    expect(reachOf('KILL USER bob', 'mysql')[0]?.signals).toEqual([{ action: 'terminate', target: null }]);
  });

  it('tells locks that stop readers from those that do not', () => {
    expect(reachOf('LOCK TABLE t', 'postgres')[0]?.blockingLock).not.toBeNull();
    expect(reachOf('LOCK TABLE t IN ACCESS EXCLUSIVE MODE', 'postgres')[0]?.blockingLock).not.toBeNull();
    expect(reachOf('LOCK TABLE t IN ROW EXCLUSIVE MODE', 'postgres')[0]?.blockingLock).toBeNull();
    expect(reachOf('LOCK TABLES t WRITE', 'mysql')[0]?.blockingLock).not.toBeNull();
    expect(reachOf('LOCK TABLES t READ', 'mysql')[0]?.blockingLock).toBeNull();
  });

  it('reads sleep lengths and benchmark counts', () => {
    expect(
      reachOf("SELECT pg_sleep(2), pg_sleep_for('1 hour'), pg_sleep($1)", 'postgres')[0]?.sleeps,
    ).toEqual([2, 3600, null]);
    expect(reachOf("SELECT BENCHMARK(5000000, MD5('x'))", 'mysql')[0]?.repeats).toEqual([5000000]);
  });

  it('notices a switch to READ WRITE, not READ ONLY', () => {
    expect(reachOf('SET SESSION TRANSACTION READ WRITE', 'mysql')[0]?.readWrite).toBe(true);
    expect(reachOf('START TRANSACTION READ ONLY', 'postgres')[0]?.readWrite).toBe(false);
  });
});
