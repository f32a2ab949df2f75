import type Database from 'better-sqlite3';
import { parseObject } from './payload-fields.js';

/** A session as the journal knows it: its start, and its end once it ended. */
export interface SessionSummary {
  readonly session: string;
  readonly started_at: string;
  readonly ended_at: string | null;
  readonly end_reason: string | null;
  readonly identity: string;
  readonly groups: readonly string[];
  readonly connection: string;
  readonly protocol: string;
  readonly client_address: string;
  readonly statements: number;
}

export interface SessionListQuery {
  /** Matches the session id, identity, connection or client address (substring, any case). */
  readonly text?: string;
  readonly limit?: number;
}

interface SessionRow {
  readonly ref: string;
  readonly at: string;
  readonly payload: string;
  readonly ended_at: string | null;
  readonly end_payload: string | null;
  readonly statements: number;
}

const SESSIONS_SQL = `
SELECT s.ref, s.at, s.payload,
  (SELECT e.at FROM records e WHERE e.type = 'session_end' AND e.ref = s.ref ORDER BY e.seq LIMIT 1) AS ended_at,
  (SELECT e.payload FROM records e WHERE e.type = 'session_end' AND e.ref = s.ref ORDER BY e.seq LIMIT 1) AS end_payload,
  (SELECT count(*) FROM records t WHERE t.type = 'statement' AND t.ref = s.ref) AS statements
FROM records s
WHERE s.type = 'session_start'
  AND (@text IS NULL OR instr(lower(s.ref || ' ' || s.payload), @text) > 0)
ORDER BY s.seq DESC
LIMIT @limit`;

/** The newest sessions first, with how each ended. */
export function readSessionList(db: Database.Database, query: SessionListQuery): SessionSummary[] {
  const rows = db
    .prepare<[{ text: string | null; limit: number }], SessionRow>(SESSIONS_SQL)
    .all({ text: query.text?.toLowerCase() || null, limit: query.limit ?? 50 });
  return rows.map((row) => {
    const start = parseObject(row.payload, `session ${row.ref}`);
    const end = row.end_payload === null ? null : parseObject(row.end_payload, `end of session ${row.ref}`);
    return {
      session: row.ref,
      started_at: row.at,
      ended_at: row.ended_at,
      end_reason: end ? String(end.reason ?? '') : null,
      identity: String(start.identity ?? ''),
      groups: Array.isArray(start.groups) ? start.groups.map(String) : [],
      connection: String(start.connection ?? ''),
      protocol: String(start.protocol ?? ''),
      client_address: String(start.client_address ?? ''),
      statements: row.statements,
    };
  });
}
