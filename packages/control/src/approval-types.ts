import type { Audience } from './audience.js';
import type { GrantInput } from './grant-types.js';

export type ApprovalMode = 'hold' | 'ticket';
export type ApprovalState = 'pending' | 'approved' | 'denied' | 'expired' | 'withdrawn';

/** What a request asks for: one statement, or a grant (`grants request`). */
export type ApprovalSubject =
  | {
      readonly kind: 'statement';
      readonly statement: string;
      /** Already masked, as journalled. */
      readonly parameters: readonly (string | null)[] | null;
      readonly statementKind: string | null;
      readonly tables: readonly string[];
      /** The planner's estimate of rows touched, where the database gives one. */
      readonly estimatedRows: number | null;
    }
  | { readonly kind: 'grant'; readonly grant: GrantInput };

export interface ApprovalRequest {
  readonly id: string;
  readonly mode: ApprovalMode;
  readonly state: ApprovalState;
  readonly requestedAt: Date;
  /** A pending request expires at this time. */
  readonly deadline: Date;
  readonly identity: string;
  readonly groups: readonly string[];
  readonly sessionId: string | null;
  readonly connection: string;
  readonly protocol: string;
  readonly subject: ApprovalSubject;
  readonly rule: string;
  readonly reason: string;
  readonly minApprovals: number;
  /** Who may decide besides admins; empty means `admin.approvers`. */
  readonly approvers: Audience;
  /** The session's statements before this one, newest last. */
  readonly recentStatements: readonly string[];
  readonly approvals: readonly { readonly by: string; readonly at: Date }[];
  readonly denial: { readonly by: string; readonly at: Date; readonly reason: string } | null;
  readonly decidedAt: Date | null;
  /** An approved ticket runs once until then. */
  readonly ticketExpiresAt: Date | null;
  readonly usedAt: Date | null;
  /** Why a request was withdrawn (client cancelled, disconnected, gateway restart). */
  readonly endReason: string | null;
}

export interface NewApprovalRequest {
  readonly mode: ApprovalMode;
  readonly identity: string;
  readonly groups: readonly string[];
  readonly sessionId: string | null;
  readonly connection: string;
  readonly protocol: string;
  readonly subject: ApprovalSubject;
  readonly rule: string;
  readonly reason: string;
  readonly minApprovals: number;
  readonly approvers: Audience;
  readonly recentStatements: readonly string[];
  readonly timeoutMs: number;
  readonly ticketTtlMs: number;
}

/** How a held statement's wait ended. */
export type ApprovalOutcome =
  | { readonly kind: 'approved'; readonly approvers: readonly string[]; readonly waitedMs: number }
  | { readonly kind: 'denied'; readonly by: string; readonly reason: string; readonly waitedMs: number }
  /** `reason` is set when the request ended early (the gateway stopped), null at its deadline. */
  | { readonly kind: 'expired'; readonly waitedMs: number; readonly reason: string | null }
  | { readonly kind: 'withdrawn'; readonly reason: string; readonly waitedMs: number };
