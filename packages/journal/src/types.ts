export type Decision = 'allowed' | 'blocked' | 'approved' | 'denied' | 'expired';

export const DECISIONS: readonly Decision[] = ['allowed', 'blocked', 'approved', 'denied', 'expired'];

/** The wire protocol, or `mcp` for sessions of Sluice's own MCP server. */
export type SessionProtocol = 'postgres' | 'mysql' | 'mcp';

export interface SessionStart {
  readonly id: string;
  readonly identity: string;
  readonly groups: readonly string[];
  readonly connection: string;
  readonly protocol: SessionProtocol;
  readonly clientAddress: string;
  readonly authMethod: string;
  /** The program a session of Sluice's own MCP server named (its MCP client); absent otherwise. */
  readonly clientName?: string | null;
}

export interface StatementStart {
  readonly sessionId: string;
  readonly identity: string;
  readonly groups: readonly string[];
  readonly connection: string;
  readonly protocol: SessionProtocol;
  readonly clientAddress: string;
  /** As in SessionStart. */
  readonly clientName?: string | null;
  readonly text: string;
  /** Already masked by the caller: the journal stores what it is given. */
  readonly parameters: readonly (string | null)[] | null;
  readonly kind: string | null;
  readonly tables: readonly string[];
  readonly decision: Decision;
  readonly rule: string | null;
  readonly reason: string | null;
  readonly approver: string | null;
  readonly maskedColumns: readonly string[];
}

/** The first rows of a result exactly as the client received them (masked), for replay. */
export interface RecordedRows {
  readonly columns: readonly string[];
  /** Text values; binary ones as `\\x` and hex, NULL as null. */
  readonly rows: readonly (readonly (string | null)[])[];
}

export interface StatementOutcome {
  readonly rows: number | null;
  readonly durationMs: number;
  readonly error: string | null;
  /** Columns masked in the results, when known only once they arrived; joins the record's own. */
  readonly maskedColumns?: readonly string[];
  /** How many values detectors masked in the results. */
  readonly detectorMatches?: number;
  /** With `journal.record_rows`, the first rows as the client received them. */
  readonly recordedRows?: RecordedRows;
}

export type AccountAction = 'create' | 'rotate' | 'revoke' | 'modify';

export const ACCOUNT_ACTIONS: readonly AccountAction[] = ['create', 'rotate', 'revoke', 'modify'];

export interface Account {
  readonly name: string;
  readonly groups: readonly string[];
  readonly status: 'active' | 'revoked';
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly expiresAt: Date | null;
  /** Opaque to the journal (e.g. SCRAM and MySQL verifiers); never a secret. */
  readonly verifiers: Readonly<Record<string, string>>;
}

export interface NewAccount {
  name: string;
  groups: readonly string[];
  expiresAt: Date | null;
  verifiers: Record<string, string>;
}

/** What `modifyAccount` changes; an absent field is left as it is. */
export interface AccountChanges {
  readonly groups?: readonly string[];
  readonly expiresAt?: Date | null;
}

export interface AccountEvent {
  readonly seq: number;
  readonly account: string;
  readonly action: AccountAction;
}

/** One statement as exported: SPEC §7 field names in snake_case. */
export interface StatementRecord {
  readonly id: number;
  /** On a shared store: the gateway the statement went through (absent on a journal of its own). */
  readonly gateway?: string;
  readonly time: string;
  readonly session: string;
  readonly identity: string;
  readonly groups: readonly string[];
  readonly connection: string;
  readonly protocol: string;
  readonly client_address: string;
  readonly statement: string;
  readonly parameters: readonly (string | null)[] | null;
  readonly kind: string | null;
  readonly tables: readonly string[];
  readonly decision: Decision;
  readonly rule: string | null;
  readonly reason: string | null;
  readonly approver: string | null;
  readonly masked_columns: readonly string[];
  readonly rows: number | null;
  readonly duration_ms: number | null;
  readonly error: string | null;
  readonly completed: boolean;
  readonly hash: string;
  /** Present when rows were recorded (`journal.record_rows`). */
  readonly recorded_rows?: RecordedRows;
}

export interface JournalEntry {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly ref: string | null;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly hash: string;
  /** On a shared store: the gateway that journalled the record (absent on a journal of its own). */
  readonly gateway?: string;
}

export interface VerifyProblem {
  /** The record's seq in its chain (its gateway's, on a shared store). */
  readonly seq: number;
  readonly message: string;
  /** On a shared store: the gateway whose chain the record belongs to. */
  readonly gateway?: string;
}

/** One gateway's chain on a shared store, as verified. */
export interface ChainSummary {
  readonly gateway: string;
  readonly checked: number;
  readonly headSeq: number | null;
  readonly headHash: string | null;
  /** The last record of this chain a purge deleted; the chain starts after it. */
  readonly purgedThrough: number | null;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly checked: number;
  readonly problems: readonly VerifyProblem[];
  readonly headHash: string | null;
  readonly headSeq: number | null;
  /** The last record a purge deleted; the remaining chain starts after it. */
  readonly purgedThrough: number | null;
  /**
   * On a shared store (or its replica): each gateway's chain. `headSeq` / `headHash` above are
   * then null: there is no single head.
   */
  readonly chains?: readonly ChainSummary[];
}

export interface StatementQuery {
  readonly since?: Date;
  /** One session's statements (replay). */
  readonly session?: string;
  readonly identity?: string;
  readonly connection?: string;
  readonly decision?: Decision;
  /** Statements before this time only. */
  readonly until?: Date;
}

/** A failed sign-in; never a secret. `count` > 1 when a burst was coalesced into one record. */
export interface SignInFailure {
  readonly user: string;
  readonly method: string;
  /** A stable cause: unknown-user, wrong-secret, revoked, expired, token-rejected, refused, protocol. */
  readonly cause: string;
  readonly reason: string;
  readonly clientAddress: string;
  readonly connection: string;
  readonly protocol: 'postgres' | 'mysql';
  readonly count: number;
  readonly firstAt: string;
  readonly lastAt: string;
}
