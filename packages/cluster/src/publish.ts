import type { ApprovalBoard, ApprovalRequest, Grant, LiveSessionInfo } from '@sluice/control';
import { CONTROL_CHANNEL } from '@sluice/journal';
import { decodeApproval, encodeApproval } from './approval-codec.js';
import { encodeGrant } from './grant-codec.js';
import { encodeSession } from './session-codec.js';
import type { StoreConnection } from './store-connection.js';

/** A request's row as its holder has it now, and a notice so that every gateway reads it. */
export async function writeApproval(
  store: StoreConnection,
  gatewayId: string,
  request: ApprovalRequest,
): Promise<void> {
  const notice = { kind: 'approval', id: request.id, gateway: gatewayId, from: gatewayId, at: Date.now() };
  await store.query(
    `WITH written AS (
       INSERT INTO approvals (id, gateway, state, request, updated_at) VALUES ($1, $2, $3, $4::jsonb, now())
       ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, request = EXCLUDED.request, updated_at = now()
         WHERE approvals.gateway = EXCLUDED.gateway
       RETURNING id)
     SELECT pg_notify($5, $6) FROM written`,
    [
      request.id,
      gatewayId,
      request.state,
      JSON.stringify(encodeApproval(request)),
      CONTROL_CHANNEL,
      JSON.stringify(notice),
    ],
  );
}

/** A grant's row; a revoked grant stays revoked whatever an older write says. */
export async function writeGrant(
  store: StoreConnection,
  gatewayId: string,
  grant: Grant,
  creator: string,
): Promise<void> {
  const notice = { kind: 'grant', id: grant.id, gateway: creator, from: gatewayId, at: Date.now() };
  await store.query(
    `WITH written AS (
       INSERT INTO grants (id, grant_record, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (id) DO UPDATE SET grant_record = EXCLUDED.grant_record, updated_at = now()
         WHERE grants.grant_record->>'revoked_at' IS NULL
       RETURNING id)
     SELECT pg_notify($3, $4) FROM written`,
    [grant.id, JSON.stringify(encodeGrant(grant, creator)), CONTROL_CHANNEL, JSON.stringify(notice)],
  );
}

/** Says this gateway is alive, with the sessions it serves now. */
export async function heartbeat(
  store: StoreConnection,
  gatewayId: string,
  startedAt: Date,
  sessions: readonly LiveSessionInfo[],
): Promise<void> {
  await store.query(
    `INSERT INTO gateways (id, seen_at, started_at, sessions) VALUES ($1, now(), $2, $3::jsonb)
     ON CONFLICT (id) DO UPDATE SET seen_at = now(), started_at = EXCLUDED.started_at, sessions = EXCLUDED.sessions`,
    [gatewayId, startedAt, JSON.stringify(sessions.map(encodeSession))],
  );
}

/** Answered commands are kept an hour (to read why one failed), then dropped by whichever gateway looks. */
export async function pruneCommands(store: StoreConnection): Promise<void> {
  await store.query(`DELETE FROM control_commands WHERE done_at < now() - interval '1 hour'`);
}

/** A gateway that stops says so, rather than leaving the others to notice its silence. */
export async function leave(store: StoreConnection, gatewayId: string): Promise<void> {
  await store.query(`UPDATE gateways SET seen_at = '-infinity', sessions = '[]' WHERE id = $1`, [gatewayId]);
}

/**
 * Requests an earlier run of this gateway left pending in the store (it stopped without saying
 * so): their clients are gone, so they end expired.
 */
export async function expireLeftovers(
  store: StoreConnection,
  gatewayId: string,
  board: ApprovalBoard,
): Promise<void> {
  const rows = await store.query<{ request: unknown }>(
    `SELECT request FROM approvals WHERE gateway = $1 AND state = 'pending'`,
    [gatewayId],
  );
  for (const row of rows) {
    const request = decodeApproval(row.request);
    if (board.get(request.id)) continue;
    const expired: ApprovalRequest = {
      ...request,
      state: 'expired',
      decidedAt: new Date(),
      endReason: `gateway ${gatewayId} restarted before a decision`,
    };
    await writeApproval(store, gatewayId, expired);
  }
}
