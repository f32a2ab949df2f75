import type Database from 'better-sqlite3';
import { type JsonObject, parseObject } from './payload-fields.js';
import { readStatements } from './statements.js';
import type { StatementRecord } from './types.js';

/** How a statement that waited for people was decided: who, and after how long. */
export interface ApprovalStep {
  readonly request: string;
  readonly outcome: string;
  readonly approvers: readonly string[];
  readonly waited_ms: number | null;
  readonly reason: string | null;
}

export interface TimelineStatement extends StatementRecord {
  readonly approval: ApprovalStep | null;
}

/** One session as it happened, for `sessions replay`. */
export interface SessionTimeline {
  readonly session: string;
  readonly started: { readonly at: string; readonly details: JsonObject } | null;
  readonly ended: { readonly at: string; readonly reason: string } | null;
  readonly statements: readonly TimelineStatement[];
}

interface EntryRow {
  readonly at: string;
  readonly type: string;
  readonly ref: string | null;
  readonly payload: string;
}

/** The session's start and end, its statements in order, and the approvals its statements waited on. */
export function readSessionTimeline(db: Database.Database, session: string): SessionTimeline {
  const edges = db
    .prepare<[string], EntryRow>(
      "SELECT at, type, ref, payload FROM records WHERE ref = ? AND type IN ('session_start', 'session_end') ORDER BY seq",
    )
    .all(session);
  const start = edges.find((row) => row.type === 'session_start');
  const end = edges.find((row) => row.type === 'session_end');
  const approvals = approvalsOf(db, session);
  const statements = [...readStatements(db, { session })].map((statement) => ({
    ...statement,
    approval: matchApproval(statement, approvals),
  }));
  return {
    session,
    started: start ? { at: start.at, details: parseObject(start.payload, 'session start') } : null,
    ended: end ? { at: end.at, reason: String(parseObject(end.payload, 'session end').reason ?? '') } : null,
    statements,
  };
}

/** The final record of each request the session's statements filed (approved, denied, expired …). */
function approvalsOf(db: Database.Database, session: string): Map<string, JsonObject> {
  const rows = db
    .prepare<[], EntryRow>(
      "SELECT at, type, ref, payload FROM records WHERE type = 'approval' AND type NOT IN ('statement', 'statement_end') ORDER BY seq",
    )
    .all();
  const last = new Map<string, JsonObject>();
  for (const row of rows) {
    const payload = parseObject(row.payload, 'approval record');
    if (payload.session !== session || row.ref === null) continue;
    if (['approved', 'denied', 'expired', 'withdrawn'].includes(String(payload.action)))
      last.set(row.ref, payload);
  }
  return last;
}

/** A statement decided by people names its request in its reason (`… through request apr-…`). */
function matchApproval(statement: StatementRecord, approvals: Map<string, JsonObject>): ApprovalStep | null {
  if (statement.decision === 'allowed' || statement.decision === 'blocked') return null;
  for (const [id, payload] of approvals) {
    if (payload.statement !== statement.statement) continue;
    if (!statement.reason?.includes(id)) continue;
    const requested = Date.parse(String(payload.requested_at));
    const decided = Date.parse(String(payload.decided_at));
    const approvals = Array.isArray(payload.approvals) ? payload.approvals : [];
    const denial = payload.denial as { by?: unknown; reason?: unknown } | null;
    return {
      request: id,
      outcome: String(payload.action),
      approvers: denial
        ? [String(denial.by)]
        : approvals.map((each) => String((each as { by?: unknown }).by)),
      waited_ms: Number.isFinite(requested) && Number.isFinite(decided) ? decided - requested : null,
      reason: denial
        ? String(denial.reason)
        : typeof payload.end_reason === 'string'
          ? payload.end_reason
          : null,
    };
  }
  return null;
}
