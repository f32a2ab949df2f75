/** The admin API's JSON as the console reads it (the console imports no server package). */

export type Role = 'admin' | 'approver' | 'auditor';

export interface Me {
  readonly name: string;
  readonly groups: readonly string[];
  readonly via: string;
  readonly roles: readonly Role[];
}

export interface Approval {
  readonly id: string;
  readonly mode: 'hold' | 'ticket';
  readonly state: 'pending' | 'approved' | 'denied' | 'expired' | 'withdrawn';
  readonly requested_at: string;
  readonly deadline: string;
  readonly identity: string;
  readonly groups: readonly string[];
  readonly session: string | null;
  readonly connection: string;
  readonly protocol: string;
  readonly subject: {
    readonly kind: 'statement' | 'grant';
    readonly statement?: string;
    /** Bound values of `$1`, `?`, …, as journalled (masked by the detectors). */
    readonly parameters?: readonly (string | null)[] | null;
    readonly statement_kind?: string | null;
    readonly tables?: readonly string[];
    readonly estimated_rows?: number | null;
    readonly grant?: {
      readonly connection: string;
      readonly allow: readonly string[];
      readonly duration_ms: number;
      readonly reason: string;
    };
  };
  readonly rule: string;
  readonly reason: string;
  readonly min_approvals: number;
  readonly approvers: { readonly identities: readonly string[]; readonly groups: readonly string[] };
  readonly recent_statements: readonly string[];
  readonly approvals: readonly { readonly by: string; readonly at: string }[];
  readonly denial: { readonly by: string; readonly at: string; readonly reason: string } | null;
  readonly decided_at: string | null;
  readonly end_reason: string | null;
  /** The gateway holding the request when several share a store; null (or absent) otherwise. */
  readonly gateway?: string | null;
}

export interface ApprovalEvent {
  readonly action: string;
  readonly actor: string | null;
  readonly request: Approval;
}

export interface LiveSession {
  readonly id: string;
  readonly identity: string;
  readonly groups: readonly string[];
  readonly connection: string;
  readonly protocol: string;
  readonly client_address: string;
  readonly started_at: string;
  readonly statements: number;
  readonly state: 'idle' | 'running' | 'held' | 'in-transaction';
  readonly current: { readonly text: string; readonly since: string } | null;
  readonly held_by: string | null;
  /** The gateway serving the session when several share a store. */
  readonly gateway?: string | null;
}

export interface PastSession {
  readonly session: string;
  readonly started_at: string;
  readonly ended_at: string | null;
  readonly end_reason: string | null;
  readonly identity: string;
  readonly connection: string;
  readonly client_address: string;
  readonly statements: number;
}

export interface StatementRecord {
  readonly id: number;
  /** On a shared store: the gateway the statement went through. */
  readonly gateway?: string;
  readonly time: string;
  readonly session: string;
  readonly identity: string;
  readonly groups: readonly string[];
  readonly connection: string;
  readonly statement: string;
  readonly kind: string | null;
  readonly tables: readonly string[];
  readonly decision: string;
  readonly rule: string | null;
  readonly reason: string | null;
  readonly approver: string | null;
  readonly masked_columns: readonly string[];
  readonly rows: number | null;
  readonly duration_ms: number | null;
  readonly error: string | null;
  readonly hash: string;
  readonly recorded_rows?: {
    readonly columns: readonly string[];
    readonly rows: readonly (readonly (string | null)[])[];
  };
}

export interface TimelineStatement extends StatementRecord {
  readonly approval: {
    readonly request: string;
    readonly outcome: string;
    readonly approvers: readonly string[];
    readonly waited_ms: number | null;
    readonly reason: string | null;
  } | null;
}

export interface SessionTimeline {
  readonly session: string;
  readonly started: { readonly at: string; readonly details: Readonly<Record<string, unknown>> } | null;
  readonly ended: { readonly at: string; readonly reason: string } | null;
  readonly statements: readonly TimelineStatement[];
}

export interface JournalPage {
  readonly records: readonly StatementRecord[];
  readonly next_before: number | null;
  readonly scanned: number;
}

export interface VerifyStatus {
  readonly ok: boolean;
  readonly checked: number;
  readonly head_hash: string | null;
  readonly problems: readonly { readonly seq: number; readonly message: string; readonly gateway?: string }[];
  /** On a shared store: each gateway's chain. */
  readonly chains?: readonly { readonly gateway: string; readonly checked: number }[];
}

export interface Account {
  readonly name: string;
  readonly groups: readonly string[];
  readonly status: 'active' | 'revoked';
  readonly created_at: string;
  readonly expires_at: string | null;
  /** Revoked on this gateway while the shared store is unreachable; the store takes it once back. */
  readonly revocation?: 'pending';
  /** Only in the 202 reply to such a revocation: what it means, as a sentence. */
  readonly message?: string;
}

export interface Grant {
  readonly id: string;
  readonly state: 'active' | 'expired' | 'revoked';
  readonly identity: string | null;
  readonly group: string | null;
  readonly connection: string;
  readonly allow: readonly string[];
  readonly tables: readonly string[] | null;
  readonly reason: string;
  readonly created_by: string;
  readonly created_at: string;
  readonly expires_at: string;
}

export interface Overview {
  readonly since: string;
  readonly hours: readonly { readonly hour: string; readonly counts: Readonly<Record<string, number>> }[];
  readonly blocked_today: number;
  readonly denied_today: number;
  readonly pending_approvals: number;
  readonly live_sessions: number;
  readonly top_identities: readonly { readonly identity: string; readonly statements: number }[];
}
