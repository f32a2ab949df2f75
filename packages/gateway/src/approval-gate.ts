import type { ApprovalOutcome, ApprovalRequest, Control } from '@sluice/control';
import type { StatementAnalysis } from '@sluice/sql';
import type { ApprovalSettings } from './approval-settings.js';
import { PENDING_APPROVALS_RULE, pendingApprovalsRefusal } from './limits/pending-approvals.js';
import type { Parameters, RunVerdict, SessionFacts, StatementJournal } from './statement-journal.js';
import type { Judgement } from './statement-judge.js';

export type NeedsApproval = Extract<Judgement, { allowed: false }> & { readonly approval: ApprovalSettings };

/** Why a statement that needed approval did not run; the adapters pick their error code by it. */
export type RefusalCause = 'ticket' | 'denied' | 'expired' | 'withdrawn' | 'limit';

export type ApprovalStep =
  /** Run it now (an approved ticket was used): journal with this verdict. */
  | { readonly kind: 'run'; readonly verdict: RunVerdict }
  /** Refuse it now: already journalled; answer the client with this message. */
  | { readonly kind: 'refuse'; readonly cause: RefusalCause; readonly message: string }
  /** Hold it: tell the client `notice`, and wait for `settled`. */
  | {
      readonly kind: 'hold';
      readonly request: ApprovalRequest;
      readonly notice: string;
      readonly settled: Promise<ApprovalStep>;
    };

/**
 * Turns a judgement of `approve` into what a session does with the statement (SPEC §5): use an
 * approved ticket, file a ticket and refuse, or hold until people decide. Protocol-independent:
 * the adapters decide how a hold pauses their input and how a refusal reaches the client.
 */
/** The database's estimate of the rows a statement touches; null when it cannot say. */
export type RowEstimator = (
  kind: string | null,
  text: string,
  parameters: Parameters,
) => Promise<number | null>;

export class ApprovalGate {
  constructor(
    private readonly control: Control,
    private readonly facts: SessionFacts,
    private readonly journal: StatementJournal,
    private readonly estimator: RowEstimator | null = null,
    /** `limits.max_pending_approvals_per_identity`; null for no limit. */
    private readonly maxPending: number | null = null,
  ) {}

  /** `text` is the whole statement as sent (all statements of a string); `analysis` its first. */
  ask(judgement: NeedsApproval, text: string, parameters: Parameters): ApprovalStep {
    const { approval, decision } = judgement;
    const analysis = judgement.statements[decision.statementIndex] ?? judgement.statements[0];
    const { identity, connection } = this.facts;
    const key = JSON.stringify(parameters);
    const approvals = this.control.approvals;
    if (approval.mode === 'ticket') {
      const used = approvals.useTicket(identity.name, connection, text, key);
      if (used) return { kind: 'run', verdict: verdictOf(used, decision.rule) };
      const pendingTicket = approvals.pendingTicket(identity.name, connection, text, key);
      const overLimit = pendingTicket ? null : this.overPendingLimit(judgement, text, parameters);
      if (overLimit) return overLimit;
      const request = pendingTicket ?? this.file(judgement, text, parameters, analysis);
      const message = `sluice: approval required: request ${request.id}; run the same statement again once it is approved`;
      return this.refuse(judgement, text, parameters, 'ticket', message, 'blocked', null, request.id);
    }
    const overLimit = this.overPendingLimit(judgement, text, parameters);
    if (overLimit) return overLimit;
    const request = this.file(judgement, text, parameters, analysis);
    this.estimate(request.id, analysis?.kind ?? null, text, parameters);
    this.journal.held = { requestId: request.id, text, since: Date.now() };
    const settled = approvals.outcome(request.id).then((outcome) => {
      this.journal.held = null;
      return this.afterHold(judgement, text, parameters, request, outcome);
    });
    const notice = `sluice: waiting for approval ${request.id} (${decision.reason}); an approver runs: sluice approvals approve ${request.id}`;
    return { kind: 'hold', request, notice, settled };
  }

  /** A refusal, journalled as blocked, when the identity has too many requests pending already. */
  private overPendingLimit(
    judgement: NeedsApproval,
    text: string,
    parameters: Parameters,
  ): ApprovalStep | null {
    const reason = pendingApprovalsRefusal(this.control, this.facts.identity.name, this.maxPending);
    if (reason === null) return null;
    const message = `sluice: too many pending approvals: ${reason}; wait for a decision, then retry`;
    const statements = judgement.statements.length > 0 ? judgement.statements : [undefined];
    for (const statement of statements) {
      const refusal = this.journal.blocked(
        statement?.text ?? text,
        statement,
        PENDING_APPROVALS_RULE,
        reason,
        message,
        'blocked',
        null,
        parameters,
      );
      if (refusal) return { kind: 'refuse', cause: 'limit', message: refusal.fatal };
    }
    return { kind: 'refuse', cause: 'limit', message };
  }

  /** Off the data path: the request is listed at once, and its estimate joins it when known. */
  private estimate(id: string, kind: string | null, text: string, parameters: Parameters): void {
    if (!this.estimator) return;
    void this.estimator(kind, text, parameters).then((rows) => {
      if (rows !== null) this.control.approvals.setEstimate(id, rows);
    });
  }

  /** The held statement's client cancelled it or went away. */
  withdraw(reason: string): void {
    const held = this.journal.held;
    if (held) this.control.approvals.withdraw(held.requestId, reason);
  }

  private afterHold(
    judgement: NeedsApproval,
    text: string,
    parameters: Parameters,
    request: ApprovalRequest,
    outcome: ApprovalOutcome,
  ): ApprovalStep {
    switch (outcome.kind) {
      case 'approved':
        return {
          kind: 'run',
          verdict: { ...verdictOf(request, judgement.decision.rule), approver: outcome.approvers.join(', ') },
        };
      case 'denied':
        return this.refuse(
          judgement,
          text,
          parameters,
          'denied',
          `sluice: approval denied by ${outcome.by}: ${outcome.reason}`,
          'denied',
          outcome.by,
          request.id,
        );
      case 'expired':
        return this.refuse(
          judgement,
          text,
          parameters,
          'expired',
          outcome.reason
            ? `sluice: approval request ${request.id} expired: ${outcome.reason}`
            : `sluice: approval timed out after ${formatWait(outcome.waitedMs)}`,
          'expired',
          null,
          request.id,
        );
      case 'withdrawn':
        return this.refuse(
          judgement,
          text,
          parameters,
          'withdrawn',
          `sluice: approval request ${request.id} withdrawn: ${outcome.reason}`,
          'expired',
          null,
          request.id,
        );
    }
  }

  private file(
    judgement: NeedsApproval,
    text: string,
    parameters: Parameters,
    analysis: StatementAnalysis | undefined,
  ): ApprovalRequest {
    const { approval, decision } = judgement;
    const { identity } = this.facts;
    return this.control.approvals.request({
      mode: approval.mode,
      identity: identity.name,
      groups: identity.groups,
      sessionId: this.facts.sessionId,
      connection: this.facts.connection,
      protocol: this.facts.protocol,
      subject: {
        kind: 'statement',
        statement: text,
        parameters,
        statementKind: analysis?.kind ?? null,
        tables: analysis ? [...new Set([...analysis.tablesRead, ...analysis.tablesWritten])] : [],
        estimatedRows: null,
      },
      rule: decision.rule,
      reason: decision.reason,
      minApprovals: approval.minApprovals,
      approvers: approval.approvers,
      recentStatements: this.journal.recent(),
      timeoutMs: approval.timeoutMs,
      ticketTtlMs: approval.ticketTtlMs,
    });
  }

  /** Journals every statement of the string as not run, and returns the refusal. */
  private refuse(
    judgement: NeedsApproval,
    text: string,
    parameters: Parameters,
    cause: RefusalCause,
    message: string,
    decision: 'blocked' | 'denied' | 'expired',
    approver: string | null,
    requestId: string,
  ): ApprovalStep {
    const statements = judgement.statements.length > 0 ? judgement.statements : [undefined];
    const plain = message.replace(/^sluice: /, '');
    const reason = plain.includes(requestId) ? plain : `${plain} (request ${requestId})`;
    for (const statement of statements) {
      const refusal = this.journal.blocked(
        statement?.text ?? text,
        statement,
        judgement.decision.rule,
        reason,
        message,
        decision,
        approver,
        parameters,
      );
      if (refusal) return { kind: 'refuse', cause, message: refusal.fatal };
    }
    return { kind: 'refuse', cause, message };
  }
}

function verdictOf(request: ApprovalRequest, rule: string): RunVerdict {
  return {
    decision: 'approved',
    rule,
    reason: `approved through request ${request.id}`,
    approver: request.approvals.map((approval) => approval.by).join(', ') || null,
  };
}

/** `5m`, `30s`, `1h 5m`: how long a request waited. */
export function formatWait(milliseconds: number): string {
  const seconds = Math.round(milliseconds / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes < 60) return rest === 0 ? `${minutes}m` : `${minutes}m ${rest}s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
}

/** A statement a grant let through is journalled under the grant's name (AC-2: grant used). */
export function grantVerdict(grant: string | null | undefined): RunVerdict | undefined {
  if (!grant) return undefined;
  return { decision: 'allowed', rule: `grant:${grant}`, reason: `allowed by grant ${grant}`, approver: null };
}
