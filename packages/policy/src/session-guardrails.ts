import type { SessionSignal, StatementAnalysis } from '@sluice/sql';
import { type Check, type OwnsProcess, trip } from './check.js';
import { bareName } from './server-functions.js';
import { settingChangesOf } from './settings.js';

/** Sleeps up to this long are ordinary waits (retry back-off, tests); longer ones hold a session idle. */
export const LONGEST_SLEEP_SECONDS = 60;
/** BENCHMARK loops up to this many times finish in well under a second. */
export const MOST_BENCHMARK_REPEATS = 1_000_000;

const isOwn = (signal: SessionSignal, ownsProcess: OwnsProcess): boolean => {
  const { target } = signal;
  if (target === 'self') return true;
  return target !== null && ownsProcess?.(target.id) === true;
};

const signalName = (statement: StatementAnalysis, signal: SessionSignal): string => {
  if (statement.command.startsWith('KILL')) return signal.action === 'cancel' ? 'KILL QUERY' : 'KILL';
  return signal.action === 'cancel' ? 'pg_cancel_backend' : 'pg_terminate_backend';
};

/** Ending or interrupting a session that is not the caller's own. */
export const otherSessions: Check = (statement, _lexerState, ownsProcess) => {
  for (const signal of statement.reach.signals) {
    if (isOwn(signal, ownsProcess)) continue;
    const effect = signal.action === 'cancel' ? 'interrupts' : 'ends';
    const whose =
      signal.target === null
        ? 'a session it cannot tell is the caller’s own'
        : 'a session that is not the caller’s own';
    return trip('other-sessions', `${signalName(statement, signal)} ${effect} ${whose}`);
  }
  return undefined;
};

export const blockingLock: Check = (statement) => {
  const { blockingLock: why } = statement.reach;
  return why === null ? undefined : trip('blocking-lock', why);
};

export const tableRewrite: Check = (statement) => {
  const { rewrite } = statement.reach;
  return rewrite === null ? undefined : trip('table-rewrite', rewrite);
};

/** Functions that notify listeners once per row they are called on. */
const NOTIFY_FUNCTIONS: ReadonlySet<string> = new Set(['pg_notify']);
/** Set-returning functions that make a query call its select list many times without a table. */
const ROW_SOURCES: ReadonlySet<string> = new Set([
  'generate_series',
  'unnest',
  'json_array_elements',
  'jsonb_array_elements',
  'regexp_split_to_table',
]);

export const unboundedWork: Check = (statement) => {
  const { sleeps, repeats } = statement.reach;
  const names = statement.functions.map(bareName);
  const perRow = statement.tablesRead.length > 0 || names.some((name) => ROW_SOURCES.has(name));
  // A short sleep called once per row (`SELECT pg_sleep(1) FROM generate_series(1, 100000)`) is a long one.
  if (perRow && sleeps.some((seconds) => seconds !== 0))
    return trip(
      'unbounded-work',
      'a sleep called once per row may hold the session for as long as there are rows',
    );
  for (const seconds of sleeps) {
    if (seconds === null) return trip('unbounded-work', 'a sleep whose length is computed may never end');
    if (seconds > LONGEST_SLEEP_SECONDS)
      return trip(
        'unbounded-work',
        `a sleep of ${seconds} s holds the session for longer than ${LONGEST_SLEEP_SECONDS} s`,
      );
  }
  for (const count of repeats) {
    if (count === null)
      return trip('unbounded-work', 'BENCHMARK with a computed count may busy the server for ever');
    if (count > MOST_BENCHMARK_REPEATS)
      return trip('unbounded-work', `BENCHMARK of ${count} iterations busies the server`);
  }
  if (perRow && names.some((name) => NOTIFY_FUNCTIONS.has(name)))
    return trip('unbounded-work', 'pg_notify once per row floods every listener of the channel');
  return undefined;
};

/** Settings through which the database enforces read-only access or its integrity checks. */
const ENFORCING_SETTINGS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  // name → the values that keep enforcement on
  ['default_transaction_read_only', new Set(['on', 'true', '1', 'yes'])],
  ['transaction_read_only', new Set(['on', 'true', '1', 'yes'])],
  ['tx_read_only', new Set(['on', 'true', '1', 'yes'])],
  ['session_replication_role', new Set(['origin'])],
  ['row_security', new Set(['on', 'true', '1', 'yes'])],
  ['foreign_key_checks', new Set(['on', 'true', '1', 'yes'])],
  ['sql_log_bin', new Set(['on', 'true', '1', 'yes'])],
]);

export const loosenedSetting: Check = (statement) => {
  for (const change of settingChangesOf(statement)) {
    // DISCARD ALL resets too, but it is what poolers and drivers send to reuse a connection.
    if (change.name === 'all' && change.value === null && statement.command === 'RESET')
      return trip('loosened-setting', 'RESET ALL undoes every setting the session runs under');
    const keeps = ENFORCING_SETTINGS.get(change.name);
    if (keeps === undefined) continue;
    if (change.value === null || !keeps.has(change.value.trim().toLowerCase()))
      return trip('loosened-setting', `changing ${change.name} loosens what the database enforces`);
  }
  if (statement.reach.readWrite)
    return trip(
      'loosened-setting',
      `${statement.command} … READ WRITE lifts the read-only mode the database may enforce`,
    );
  return undefined;
};

/**
 * Search paths under which an unqualified name reads the table Sluice's rules and masking read:
 * the server's default (`"$user", public`), parts of it, or the catalog alone.
 */
const FOLLOWED_SCHEMAS: ReadonlySet<string> = new Set(['$user', 'public', 'pg_catalog', '']);

const schemasOf = (value: string): readonly string[] =>
  value.split(',').map((schema) =>
    schema
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .replace(/^'(.*)'$/, '$1')
      .toLowerCase(),
  );

export const searchPath: Check = (statement) => {
  for (const change of settingChangesOf(statement)) {
    if (change.name !== 'search_path' || change.value === null) continue;
    if (schemasOf(change.value).every((schema) => FOLLOWED_SCHEMAS.has(schema))) continue;
    return trip(
      'search-path',
      'search_path would make unqualified names read another schema than the one rules and masking read',
    );
  }
  return undefined;
};
