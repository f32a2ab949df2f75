export type Dialect = 'postgres' | 'mysql';

export type StatementKind =
  | 'select'
  | 'insert'
  | 'update'
  | 'delete'
  | 'merge'
  | 'ddl'
  | 'dcl'
  | 'tcl'
  | 'copy'
  | 'call'
  | 'set'
  | 'show'
  | 'other';

/** Session settings that change how the text of a statement must be read. */
export interface LexerState {
  readonly dialect: Dialect;
  /** Postgres `standard_conforming_strings`; when off, backslashes escape in plain strings. */
  readonly standardConformingStrings: boolean;
  /** MySQL sql_mode ANSI_QUOTES: double quotes delimit identifiers instead of strings. */
  readonly ansiQuotes: boolean;
  /** MySQL sql_mode NO_BACKSLASH_ESCAPES: backslash is an ordinary character in strings. */
  readonly noBackslashEscapes: boolean;
}

export interface ColumnSource {
  /** Schema-qualified as written ('public.users' or 'users'); null when unqualified and ambiguous. */
  readonly table: string | null;
  /** '*' for a star over the table. */
  readonly column: string;
}

export interface OutputColumn {
  /** Output name (alias or column), '?column?' if none. */
  readonly name: string;
  /** Every base column the value is computed from. */
  readonly sources: readonly ColumnSource[];
  /** The value is one source column unchanged (casts and expressions are not direct). */
  readonly direct: boolean;
  /** Came from `*` or `t.*`: stands for all columns of its source tables. */
  readonly star: boolean;
  /** Origin unknown (a whole row turned into a value, a subquery that could not be walked). */
  readonly opaque: boolean;
}

export interface DmlTarget {
  readonly kind: 'update' | 'delete';
  readonly table: string;
  readonly hasWhere: boolean;
  readonly whereAlwaysTrue: boolean;
}

export interface SettingChange {
  /** Lower-case: 'standard_conforming_strings', 'client_encoding', 'sql_mode', 'role', 'names', ... */
  readonly name: string;
  /** Null for RESET / DEFAULT. */
  readonly value: string | null;
  readonly scope: 'session' | 'local' | 'global';
}

export interface CopyFacts {
  readonly direction: 'from' | 'to';
  readonly target: 'stdio' | 'file' | 'program';
  readonly table: string | null;
}

/** A signal to a server process: `pg_cancel_backend(pid)`, `KILL QUERY id`, … */
export interface SessionSignal {
  /** `cancel` stops the running statement; `terminate` ends the session. */
  readonly action: 'cancel' | 'terminate';
  /**
   * `self` for `pg_backend_pid()` / `CONNECTION_ID()`; an id written as a number, with its place in
   * the analysed query string (so a gateway can rewrite it); null when computed or not a thread.
   */
  readonly target: 'self' | { readonly id: number; readonly start: number; readonly end: number } | null;
}

/** What a statement does beyond its own rows, for the guardrails that protect other sessions. */
export interface SessionReach {
  readonly signals: readonly SessionSignal[];
  /** Why the statement holds a lock that others wait for, or null. */
  readonly blockingLock: string | null;
  /** Why the statement rewrites tables under a lock for as long as it runs, or null. */
  readonly rewrite: string | null;
  /** Seconds each sleep call waits; null where the time is computed. */
  readonly sleeps: readonly (number | null)[];
  /** Iterations of each BENCHMARK call; null where the count is computed. */
  readonly repeats: readonly (number | null)[];
  /** Switches the session or a transaction to READ WRITE. */
  readonly readWrite: boolean;
}

export interface StatementAnalysis {
  /** This statement's text exactly as sent. */
  readonly text: string;
  readonly fingerprint: string;
  readonly dialect: Dialect;
  readonly kind: StatementKind;
  /** Upper-case leading command words: 'SELECT', 'DROP TABLE', 'ALTER SYSTEM', 'LOAD DATA', ... */
  readonly command: string;
  /** node-sql-parser understood the statement (or the statement an EXPLAIN/PREPARE/COPY wraps). */
  readonly parsed: boolean;
  /** The parser or the token classifier understood it; false means "cannot be analysed". */
  readonly understood: boolean;
  /** Why it was not understood; null when understood. */
  readonly problem: string | null;
  readonly tablesRead: readonly string[];
  readonly tablesWritten: readonly string[];
  readonly functions: readonly string[];
  readonly dml: readonly DmlTarget[];
  readonly nestedDml: boolean;
  readonly dynamicSql: boolean;
  readonly copy: CopyFacts | null;
  readonly fileAccess: boolean;
  /** The setting this statement changes; for a MySQL SET of several variables, the first one that
   *  changes how SQL is read, else the first. */
  readonly settingChange: SettingChange | null;
  /** Every setting this statement changes, in order (MySQL `SET a = 1, b = 2` changes two). */
  readonly settingChanges: readonly SettingChange[];
  readonly outputColumns: readonly OutputColumn[] | null;
  readonly reach: SessionReach;
}

export interface AnalyzerOptions {
  /** Entries kept in the analysis cache of each dialect; default 10,000. */
  readonly cacheSize?: number;
}

export interface StatementPiece {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}
