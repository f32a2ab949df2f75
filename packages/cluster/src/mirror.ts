import type { ApprovalRequest, Control } from '@sluice/control';
import { decodeApproval, encodeApproval } from './approval-codec.js';
import type { ClusterSessions } from './cluster-sessions.js';
import { decodeGrant } from './grant-codec.js';
import { decodeSessions } from './session-codec.js';
import type { StoreConnection } from './store-connection.js';

/** A gateway not seen for this long has stopped: its sessions and pending requests are gone. */
export const GATEWAY_GONE_SECONDS = 10;
/** Re-reads overlap the previous one by this much: a row's updated_at is its transaction's start. */
const OVERLAP_SECONDS = 5;
/** At start, decided requests of the last hour are listed too (the console's history). */
const HISTORY_ROWS = 1000;

interface ApprovalRow extends Record<string, unknown> {
  readonly gateway: string;
  readonly request: unknown;
  readonly updated_at: Date;
}

interface GrantRow extends Record<string, unknown> {
  readonly grant_record: unknown;
  readonly updated_at: Date;
}

/**
 * Reads what other gateways changed in the store and applies it here: their requests, grants,
 * live sessions, and revoked accounts. Each read is idempotent, so the notice that announced a
 * change and the periodic re-read that backs it up may both apply it.
 */
export class StoreMirror {
  private approvalsSince: Date | undefined;
  private grantsSince: Date | undefined;
  private revokedSince: string | undefined;
  /** Gateways whose heartbeats stopped. */
  private readonly gone = new Set<string>();
  liveGateways = 0;

  constructor(
    private readonly store: StoreConnection,
    private readonly control: Control,
    private readonly gatewayId: string,
    private readonly sessions: ClusterSessions,
    private readonly onRevoked: (identity: string) => void,
  ) {}

  async approval(id: string): Promise<void> {
    const rows = await this.store.query<ApprovalRow>(
      'SELECT gateway, request, updated_at FROM approvals WHERE id = $1',
      [id],
    );
    for (const row of rows) this.applyApprovalRow(row);
  }

  async grant(id: string): Promise<void> {
    const rows = await this.store.query<GrantRow>(
      'SELECT grant_record, updated_at FROM grants WHERE id = $1',
      [id],
    );
    for (const row of rows) this.applyGrantRow(row);
  }

  /** Requests changed since the last read; at first, those pending and the recent history. */
  async approvals(): Promise<void> {
    const since = this.approvalsSince;
    const rows = await this.store.query<ApprovalRow>(
      since
        ? `SELECT gateway, request, updated_at FROM approvals
            WHERE gateway <> $1 AND updated_at > $2::timestamptz - make_interval(secs => $3)
            ORDER BY updated_at`
        : `SELECT * FROM (SELECT gateway, request, updated_at FROM approvals
            WHERE gateway <> $1 AND (state = 'pending' OR updated_at > now() - interval '1 hour')
            ORDER BY updated_at DESC LIMIT ${HISTORY_ROWS}) AS recent ORDER BY updated_at`,
      since ? [this.gatewayId, since, OVERLAP_SECONDS] : [this.gatewayId],
    );
    for (const row of rows) this.applyApprovalRow(row);
    this.approvalsSince = latest(rows, since);
  }

  /** Grants changed since the last read; at first, every active one (this gateway's own too). */
  async grants(): Promise<void> {
    const since = this.grantsSince;
    const rows = await this.store.query<GrantRow>(
      since
        ? `SELECT grant_record, updated_at FROM grants
            WHERE updated_at > $1::timestamptz - make_interval(secs => $2) ORDER BY updated_at`
        : `SELECT grant_record, updated_at FROM grants
            WHERE grant_record->>'revoked_at' IS NULL
              AND (grant_record->>'expires_at')::timestamptz > now() ORDER BY updated_at`,
      since ? [since, OVERLAP_SECONDS] : [],
    );
    for (const row of rows) this.applyGrantRow(row);
    this.grantsSince = latest(rows, since);
  }

  /**
   * Other gateways' heartbeats: their live sessions, and which of them have stopped (said so, or
   * silent). Silence counts from the store's own start: while it was down nobody could beat.
   */
  async gateways(): Promise<void> {
    const rows = await this.store.query<{ id: string; sessions: unknown; age: number }>(
      `SELECT id, sessions,
              CASE WHEN seen_at = '-infinity' THEN 'Infinity'::float8
                   ELSE extract(epoch FROM now() - greatest(seen_at, pg_postmaster_start_time()))::float8 END AS age
         FROM gateways WHERE id <> $1`,
      [this.gatewayId],
    );
    const remote = [];
    const back: string[] = [];
    let live = 0;
    for (const row of rows) {
      if (row.age > GATEWAY_GONE_SECONDS) {
        if (this.gone.has(row.id)) continue;
        this.gone.add(row.id);
        this.control.approvals.expireMirrored(row.id, `gateway ${row.id} stopped`);
        continue;
      }
      if (this.gone.delete(row.id)) back.push(row.id);
      live++;
      remote.push(...decodeSessions(row.sessions, row.id));
    }
    this.sessions.remote = remote;
    this.liveGateways = live;
    // Heard from again: what it still holds pending is pending after all.
    for (const id of back) {
      const pending = await this.store.query<ApprovalRow>(
        `SELECT gateway, request, updated_at FROM approvals WHERE gateway = $1 AND state = 'pending'`,
        [id],
      );
      for (const row of pending) this.applyApprovalRow(row);
    }
  }

  /**
   * Accounts revoked since the last read (the safety net under the journal's notice). At first
   * it only notes where the list stands: sessions of accounts revoked earlier were ended then.
   */
  async revocations(): Promise<void> {
    if (this.revokedSince === undefined) {
      const [row] = await this.store.query<{ latest: string }>(
        `SELECT coalesce(max(updated_at), '') AS latest FROM accounts WHERE status = 'revoked'`,
      );
      this.revokedSince = row?.latest ?? '';
      return;
    }
    const rows = await this.store.query<{ name: string; updated_at: string }>(
      `SELECT name, updated_at FROM accounts WHERE status = 'revoked' AND updated_at > $1 ORDER BY updated_at`,
      [this.revokedSince],
    );
    for (const row of rows) {
      this.onRevoked(row.name);
      this.revokedSince = row.updated_at;
    }
  }

  /** Applies a request as another gateway has it, unless nothing changed (no event then). */
  applyRequest(request: ApprovalRequest, owner: string): void {
    const before = this.control.approvals.get(request.id);
    let shown = request;
    if (this.gone.has(owner) && request.state === 'pending') {
      // Shown ended once; its holder is silent, so nothing about it changes until it is heard from.
      if (before && before.state !== 'pending') return;
      shown = { ...request, state: 'expired', decidedAt: new Date(), endReason: `gateway ${owner} stopped` };
    }
    if (before && JSON.stringify(encodeApproval(before)) === JSON.stringify(encodeApproval(shown))) return;
    this.control.approvals.mirror(shown, owner);
  }

  private applyApprovalRow(row: ApprovalRow): void {
    if (row.gateway === this.gatewayId) return;
    let request: ApprovalRequest;
    try {
      request = decodeApproval(row.request);
    } catch {
      return;
    }
    this.applyRequest(request, row.gateway);
  }

  private applyGrantRow(row: GrantRow): void {
    let found: ReturnType<typeof decodeGrant>;
    try {
      found = decodeGrant(row.grant_record);
    } catch {
      return;
    }
    const { grant, creator } = found;
    const { grants } = this.control;
    if (creator !== this.gatewayId) grants.mirror(grant, creator);
    else if (grant.revokedAt) grants.mirror(grant, null);
    else if (!grants.get(grant.id)) grants.restore(grant);
  }
}

function latest(rows: readonly { readonly updated_at: Date }[], since: Date | undefined): Date | undefined {
  let found = since;
  for (const row of rows) if (!found || row.updated_at > found) found = row.updated_at;
  return found;
}
