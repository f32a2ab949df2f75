import type { LexerState } from '@sluice/sql';

export type Action = 'allow' | 'block' | 'approve';

export interface Decision {
  readonly action: Action;
  /** A rule's name, `guardrail:<id>` or `default`. */
  readonly rule: string;
  /** Short and human; never quotes a literal value of the statement. */
  readonly reason: string;
  /** Which statement of a multi-statement string decided (0 for `decide`). */
  readonly statementIndex: number;
  /** The grant that allowed the statement, when one did. */
  readonly grant?: string;
}

/** A just-in-time grant as the policy sees it: what it widens and on which tables. */
export interface GrantScope {
  readonly id: string;
  readonly allow: readonly ('write' | 'ddl' | 'approve-free')[];
  /** Table patterns as in rules; null for every table. */
  readonly tables: readonly string[] | null;
}

export interface Caller {
  readonly name: string;
  readonly groups: readonly string[];
}

export interface DecisionContext {
  readonly identity: Caller;
  readonly connection: string;
  /**
   * The schema an unqualified table name resolves to: `public` for Postgres, the current
   * database for MySQL. The caller keeps it current (`USE db`, the first `search_path` entry).
   */
  readonly defaultSchema: string;
  /** How the session reads SQL before this statement (or string of statements). */
  readonly lexerState: LexerState;
  /** The caller's active grants on this connection, consulted after guardrails and before rules. */
  readonly grants?: readonly GrantScope[];
  /**
   * Whether a server process id (PostgreSQL) or thread id (MySQL, Sluice's or the server's) is
   * one of the caller's own sessions; absent, only `pg_backend_pid()` / `CONNECTION_ID()` are.
   */
  readonly ownsProcess?: ((id: number) => boolean) | undefined;
}

/** Every guardrail, in the order they are checked. */
export const GUARDRAIL_IDS = [
  'unanalysable',
  'role-management',
  'privileges',
  'alter-system',
  'truncate',
  'copy-program',
  'file-access',
  'dynamic-sql',
  'role-switch',
  'unfollowable-setting',
  'unbounded-write',
  'other-sessions',
  'blocking-lock',
  'table-rewrite',
  'unbounded-work',
  'loosened-setting',
  'search-path',
  'ddl',
] as const;
export type GuardrailId = (typeof GUARDRAIL_IDS)[number];

/** Guardrails only `strict` runs: what stays inside the caller's own session, and schema changes. */
export const STRICT_ONLY_GUARDRAILS: readonly GuardrailId[] = [
  'unbounded-work',
  'loosened-setting',
  'search-path',
  'ddl',
];

export interface GuardrailTrip {
  readonly id: GuardrailId;
  readonly reason: string;
}
