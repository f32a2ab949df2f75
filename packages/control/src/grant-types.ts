/** What a grant widens: writes, DDL, or statements that would otherwise wait for approval. */
export type GrantAllowance = 'write' | 'ddl' | 'approve-free';

export const GRANT_ALLOWANCES: readonly GrantAllowance[] = ['write', 'ddl', 'approve-free'];

export interface GrantInput {
  /** Exactly one of identity and group. */
  readonly identity: string | null;
  readonly group: string | null;
  readonly connection: string;
  readonly allow: readonly GrantAllowance[];
  /** Table patterns the grant is limited to; null for every table. */
  readonly tables: readonly string[] | null;
  readonly durationMs: number;
  readonly reason: string;
}

export type GrantState = 'active' | 'expired' | 'revoked';

export interface Grant {
  readonly id: string;
  readonly identity: string | null;
  readonly group: string | null;
  readonly connection: string;
  readonly allow: readonly GrantAllowance[];
  readonly tables: readonly string[] | null;
  readonly reason: string;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  readonly revokedBy: string | null;
  /** The approval request it came from (`grants request`), if any. */
  readonly requestId: string | null;
}

export function grantState(grant: Grant, now: number = Date.now()): GrantState {
  if (grant.revokedAt) return 'revoked';
  return grant.expiresAt.getTime() <= now ? 'expired' : 'active';
}
