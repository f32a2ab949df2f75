import type { JournalEntry } from '@sluice/journal';
import { increment } from './statement-stats.js';

export interface ApprovalSummary {
  readonly id: string;
  readonly requestedSeq: number;
  readonly identity: string;
  readonly connection: string;
  readonly what: string;
  readonly rule: string;
  state: string;
  approvers: string[];
  requestedAt: string;
  decidedAt: string | null;
  decisionSeq: number | null;
}

export interface EventRow {
  readonly seq: number;
  readonly at: string;
  readonly cells: readonly string[];
}

/** What one pass over the period's records other than statements gathers. */
export class EventStats {
  readonly signInsByMethod = new Map<string, number>();
  readonly signInsByIdentity = new Map<string, number>();
  readonly sessionEndReasons = new Map<string, number>();
  failedSignIns = 0;
  readonly failuresByCause = new Map<string, number>();
  readonly failuresByUser = new Map<string, { count: number; seqs: number[]; causes: Set<string> }>();
  /** Failures of identities that were revoked or expired: they still tried to connect. */
  readonly lockedOutAttempts: EventRow[] = [];
  readonly accountEvents: EventRow[] = [];
  readonly grantEvents: EventRow[] = [];
  readonly approvals = new Map<string, ApprovalSummary>();
  readonly adminCalls: EventRow[] = [];
  readonly purges: EventRow[] = [];

  add(entry: JournalEntry): void {
    const p = entry.payload;
    switch (entry.type) {
      case 'session_start':
        increment(this.signInsByMethod, text(p.auth_method));
        increment(this.signInsByIdentity, text(p.identity));
        return;
      case 'session_end':
        increment(this.sessionEndReasons, text(p.reason));
        return;
      case 'sign_in_failed':
        this.addFailure(entry);
        return;
      case 'account':
        this.accountEvents.push(
          row(entry, [text(p.action), text(p.account), text(p.actor), list(p.groups), text(p.expires_at)]),
        );
        return;
      case 'grant':
        this.grantEvents.push(
          row(entry, [
            text(p.action),
            text(p.identity ?? p.group),
            text(p.connection),
            text(p.allow),
            text(p.actor),
            text(p.expires_at),
          ]),
        );
        return;
      case 'approval':
        this.addApproval(entry);
        return;
      case 'admin':
        this.adminCalls.push(
          row(entry, [text(p.actor), `${text(p.method)} ${text(p.path)}`, text(p.status)]),
        );
        return;
      case 'purge':
        this.purges.push(
          row(entry, [
            text(p.purged_records),
            `${text(p.purged_from)}–${text(p.purged_through)}`,
            text(p.older_than),
            text(p.actor),
          ]),
        );
        return;
      default:
        return;
    }
  }

  private addFailure(entry: JournalEntry): void {
    const p = entry.payload;
    const count = typeof p.count === 'number' ? p.count : 1;
    const cause = text(p.cause);
    this.failedSignIns += count;
    increment(this.failuresByCause, cause, count);
    const user = text(p.user);
    const byUser = this.failuresByUser.get(user) ?? { count: 0, seqs: [], causes: new Set<string>() };
    byUser.count += count;
    byUser.causes.add(cause);
    byUser.seqs.push(entry.seq);
    this.failuresByUser.set(user, byUser);
    if (cause === 'revoked' || cause === 'expired') {
      this.lockedOutAttempts.push(
        row(entry, [user, cause, String(count), text(p.client_address), text(p.connection)]),
      );
    }
  }

  private addApproval(entry: JournalEntry): void {
    const p = entry.payload;
    const id = entry.ref ?? text(p.id);
    const existing = this.approvals.get(id);
    const summary: ApprovalSummary = existing ?? {
      id,
      requestedSeq: entry.seq,
      identity: text(p.identity),
      connection: text(p.connection),
      what: p.subject === 'grant' ? 'grant request' : text(p.statement),
      rule: text(p.rule),
      state: text(p.state),
      approvers: [],
      requestedAt: text(p.requested_at ?? entry.at),
      decidedAt: null,
      decisionSeq: null,
    };
    summary.state = text(p.state);
    if (Array.isArray(p.approvals)) {
      summary.approvers = p.approvals.map((approval: unknown) =>
        typeof approval === 'object' && approval !== null && 'by' in approval ? String(approval.by) : '?',
      );
    }
    if (typeof p.decided_at === 'string' && summary.decidedAt === null) {
      summary.decidedAt = p.decided_at;
      summary.decisionSeq = entry.seq;
    }
    this.approvals.set(id, summary);
  }
}

export function text(value: unknown): string {
  if (value === null || value === undefined) return '-';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function list(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(', ') : text(value);
}

function row(entry: JournalEntry, cells: string[]): EventRow {
  return { seq: entry.seq, at: entry.at, cells };
}
