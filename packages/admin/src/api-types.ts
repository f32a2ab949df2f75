import type { GrantRecord } from '@sluice/control';
/** The JSON the admin API sends and takes: shared by the server's views and `AdminClient`. */

export interface GrantInputJson {
  readonly identity: string | null;
  readonly group: string | null;
  readonly connection: string;
  readonly allow: readonly string[];
  readonly tables: readonly string[] | null;
  readonly duration_ms: number;
  readonly reason: string;
}

export interface ApprovalJson {
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
  readonly subject:
    | {
        readonly kind: 'statement';
        readonly statement: string;
        readonly parameters: readonly (string | null)[] | null;
        readonly statement_kind: string | null;
        readonly tables: readonly string[];
        readonly estimated_rows: number | null;
      }
    | { readonly kind: 'grant'; readonly grant: GrantInputJson };
  readonly rule: string;
  readonly reason: string;
  readonly min_approvals: number;
  readonly approvers: { readonly identities: readonly string[]; readonly groups: readonly string[] };
  readonly recent_statements: readonly string[];
  readonly approvals: readonly { readonly by: string; readonly at: string }[];
  readonly denial: { readonly by: string; readonly at: string; readonly reason: string } | null;
  readonly decided_at: string | null;
  readonly ticket_expires_at: string | null;
  readonly used_at: string | null;
  readonly end_reason: string | null;
  /** The gateway holding the request (which alone decides it) when gateways share a store; null otherwise. */
  readonly gateway: string | null;
}

export interface ApprovalEventJson {
  /** `pending` for the requests already waiting when a stream opens; otherwise an ApprovalAction. */
  readonly action: string;
  readonly actor: string | null;
  readonly request: ApprovalJson;
}

/** A grant as the API shows it: its journal record, and whether it is active now. */
export interface GrantJson extends GrantRecord {
  readonly state: 'active' | 'expired' | 'revoked';
}

export interface SessionJson {
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
  /** The gateway serving the session when gateways share a store; null otherwise. */
  readonly gateway: string | null;
}

/** `POST /api/journal/purge`: what was deleted, and the checkpoint record that says so. */
export interface PurgeJson {
  readonly purged: number;
  readonly through: number | null;
  readonly through_hash: string | null;
  readonly checkpoint: number | null;
}

export interface AccountJson {
  readonly name: string;
  readonly groups: readonly string[];
  readonly status: 'active' | 'revoked';
  readonly created_at: string;
  readonly expires_at: string | null;
  /** Only in the reply to add and rotate. */
  readonly secret?: string;
  /** Only in the reply to a revocation made while the shared store is unreachable (202). */
  readonly revocation?: 'pending';
  readonly message?: string;
}

/** Body of `POST /api/grants` (identity or group) and `POST /api/grants/requests` (neither). */
export interface GrantRequestBody {
  readonly identity?: string;
  readonly group?: string;
  readonly connection: string;
  readonly allow: readonly string[];
  readonly tables?: readonly string[];
  readonly for: string;
  readonly reason: string;
}
