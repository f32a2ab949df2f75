import { type GatewayMetrics, type LiveSessionInfo, NO_METRICS } from '@sluice/control';
import type { Identity } from '@sluice/identity';
import type { Journal, SessionProtocol, StatementHandle, StatementStart } from '@sluice/journal';
import type { StatementAnalysis } from '@sluice/sql';
import { rowsOf, type StatementRun } from './postgres/reply-tracker.js';
import type { Judgement } from './statement-judge.js';

export interface SessionFacts {
  readonly sessionId: string;
  readonly identity: Identity;
  readonly connection: string;
  readonly protocol: SessionProtocol;
  readonly clientAddress: string;
  readonly clientName: string | null;
}

export type Parameters = readonly (string | null)[] | null;

/** Statements refused because of the session itself rather than their text. */
export type SessionRefusal = { readonly fatal: string };

/** How a statement came to run: by policy, or approved by people (and which rule asked). */
export interface RunVerdict {
  readonly decision: 'allowed' | 'approved';
  readonly rule: string | null;
  readonly reason: string | null;
  readonly approver: string | null;
}

/** How many of a session's statements an approver sees beside the one they decide. */
const RECENT_LIMIT = 5;

const JOURNAL_REFUSAL: SessionRefusal = { fatal: 'sluice: the journal cannot be written; statement not run' };

/** The refusal, with why the journal's last append failed when it says (disk full, below its floor). */
function journalRefusal(journal: Journal): SessionRefusal {
  const reason = journal.writeState().appendFailure;
  return reason
    ? { fatal: `sluice: the journal cannot be written (${reason}); statement not run` }
    : JOURNAL_REFUSAL;
}

/**
 * Journals a session's statements: each before it is forwarded, its outcome after. Records are
 * queued for the journal's commit barrier, which writes every session's records of an event-loop
 * turn in one transaction; the relay holds the bytes bound for the server until then
 * (`awaitingCommit`, `whenCommitted`). When the journal cannot be written, or the caller's token
 * has expired, the statement is not run.
 */
export class StatementJournal {
  /** This session's records not known to be committed yet. */
  private queued: StatementHandle[] = [];
  /** A commit of those records is awaited; server-bound bytes wait with it. */
  private holdingForCommit = false;
  /** For `sessions list`: statements begun, those still running, and the newest one. */
  private begun = 0;
  private running = 0;
  private latestText = '';
  private latestAt = 0;
  private readonly startedAt = new Date();
  private readonly recentTexts: string[] = [];
  /** The approval request a held statement waits on. */
  held: { readonly requestId: string; readonly text: string; readonly since: number } | null = null;

  /** When this session's statements were last released to the server (hrtime), for metrics. */
  releasedAt = 0n;

  constructor(
    private readonly journal: Journal,
    private readonly facts: SessionFacts,
    private readonly metrics: GatewayMetrics = NO_METRICS,
  ) {}

  /** Fails when the session may not run statements any more (expired token). */
  check(): SessionRefusal | undefined {
    const { expiresAt } = this.facts.identity;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      return { fatal: 'sluice: the session token has expired; reconnect with a new token' };
    }
    return undefined;
  }

  /** Records an allowed statement about to be forwarded. */
  begin(
    text: string,
    parameters: Parameters,
    analysis: StatementAnalysis | undefined,
    verdict?: RunVerdict,
  ): StatementRun | SessionRefusal {
    const refusal = this.check();
    if (refusal) return refusal;
    try {
      const record = this.queue(
        verdict
          ? this.start(
              text,
              parameters,
              analysis,
              verdict.decision,
              verdict.rule,
              verdict.reason,
              verdict.approver,
            )
          : this.start(text, parameters, analysis, 'allowed', null, null),
      );
      this.remember(text);
      this.begun++;
      this.running++;
      this.metrics.statementDecided(this.facts.connection, verdict?.decision ?? 'allowed');
      this.latestText = text;
      this.latestAt = Date.now();
      return {
        record,
        get id() {
          return record.id;
        },
        startedAt: process.hrtime.bigint(),
        dataRows: 0,
        taggedRows: null,
        error: null,
      };
    } catch {
      return JOURNAL_REFUSAL;
    }
  }

  /**
   * Records a statement that policy refused, or that people denied or let expire; it never
   * reaches the database.
   */
  blocked(
    text: string,
    analysis: StatementAnalysis | undefined,
    rule: string,
    reason: string,
    message: string,
    decision: 'blocked' | 'denied' | 'expired' = 'blocked',
    approver: string | null = null,
    parameters: Parameters = null,
  ): SessionRefusal | undefined {
    try {
      this.metrics.statementDecided(this.facts.connection, decision);
      const record = this.queue(this.start(text, parameters, analysis, decision, rule, reason, approver));
      this.journal.completeStatement(record, { rows: null, durationMs: 0, error: message });
      return undefined;
    } catch {
      return JOURNAL_REFUSAL;
    }
  }

  /**
   * Journals a refused query string, one record per statement: the one that decided with its
   * reason, the others as not run. Returns a refusal when the journal cannot be written.
   */
  blockedString(judgement: Extract<Judgement, { allowed: false }>, text: string): SessionRefusal | undefined {
    const { decision, message, statements } = judgement;
    const recorded = statements.length > 0 ? statements : [undefined];
    for (const [index, statement] of recorded.entries()) {
      const reason =
        index === decision.statementIndex
          ? decision.reason
          : `not run: statement ${decision.statementIndex + 1} of the same query string was blocked`;
      const refusal = this.blocked(statement?.text ?? text, statement, decision.rule, reason, message);
      if (refusal) return refusal;
    }
    return undefined;
  }

  /** A commit of this session's records is awaited: server-bound bytes are held meanwhile. */
  get holding(): boolean {
    return this.holdingForCommit;
  }

  /**
   * The gate in front of the server: no byte of a statement reaches it before the statement's
   * record is committed. `forward` runs now when none of this session's records is waiting;
   * otherwise `committed` runs once they are written (or with the refusal that ends the
   * session), and calls made while the commit is awaited do nothing, as that callback covers them.
   */
  forwardWhenCommitted(forward: () => void, committed: (refusal: SessionRefusal | undefined) => void): void {
    if (this.holdingForCommit) return;
    if (this.queued.length === 0) {
      forward();
      return;
    }
    this.holdingForCommit = true;
    this.whenCommitted((refusal) => {
      this.holdingForCommit = false;
      this.releasedAt = process.hrtime.bigint();
      committed(refusal);
    });
  }

  /**
   * Calls back once this session's queued records are committed, or with the refusal that ends
   * the session when the journal could not write them.
   */
  private whenCommitted(callback: (refusal: SessionRefusal | undefined) => void): void {
    this.journal.afterCommit(() => {
      if (this.queued.some((record) => record.state === 'refused')) {
        this.queued = [];
        callback(journalRefusal(this.journal));
        return;
      }
      this.queued = this.queued.filter((record) => record.state === 'queued');
      if (this.queued.length > 0) this.whenCommitted(callback);
      else callback(undefined);
    });
  }

  /** The outcome of a statement that already ran; a journal failure here is reported, not thrown. */
  complete(run: StatementRun): Error | undefined {
    if (this.running > 0) this.running--;
    const durationMs = Number(process.hrtime.bigint() - run.startedAt) / 1e6;
    const statement = run.record ?? run.id;
    if (statement === null) return undefined;
    try {
      this.journal.completeStatement(statement, {
        rows: rowsOf(run),
        durationMs: Math.round(durationMs * 1000) / 1000,
        error: run.error,
        maskedColumns: run.maskedColumns,
        detectorMatches: run.detectorMatches,
        recordedRows: run.recorded,
      });
      return undefined;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /** The session's newest statements, oldest first, for an approver's context. */
  recent(): readonly string[] {
    return this.recentTexts;
  }

  private remember(text: string): void {
    this.recentTexts.push(text);
    if (this.recentTexts.length > RECENT_LIMIT) this.recentTexts.shift();
  }

  /** The session as `sessions list` shows it; `inTransaction` comes from the protocol. */
  describe(inTransaction: boolean): LiveSessionInfo {
    const { facts } = this;
    const held = this.held;
    const state = held ? 'held' : this.running > 0 ? 'running' : inTransaction ? 'in-transaction' : 'idle';
    const current = held
      ? { text: held.text, since: new Date(held.since) }
      : this.running > 0
        ? { text: this.latestText, since: new Date(this.latestAt) }
        : null;
    return {
      id: facts.sessionId,
      identity: facts.identity.name,
      groups: facts.identity.groups,
      connection: facts.connection,
      protocol: facts.protocol,
      clientAddress: facts.clientAddress,
      startedAt: this.startedAt,
      statements: this.begun,
      state,
      current,
      heldBy: held?.requestId ?? null,
    };
  }

  private queue(statement: StatementStart): StatementHandle {
    const record = this.journal.queueStatement(statement);
    this.queued.push(record);
    return record;
  }

  private start(
    text: string,
    parameters: Parameters,
    analysis: StatementAnalysis | undefined,
    decision: StatementStart['decision'],
    rule: string | null,
    reason: string | null,
    approver: string | null = null,
  ): StatementStart {
    const { identity } = this.facts;
    return {
      sessionId: this.facts.sessionId,
      identity: identity.name,
      groups: identity.groups,
      connection: this.facts.connection,
      protocol: this.facts.protocol,
      clientAddress: this.facts.clientAddress,
      text,
      parameters,
      kind: analysis?.kind ?? null,
      tables: analysis ? tablesOf(analysis) : [],
      decision,
      rule,
      reason,
      approver,
      maskedColumns: [],
    };
  }
}

/** Tables read or written; most statements only read, and their list is used as it is. */
function tablesOf(analysis: StatementAnalysis): readonly string[] {
  if (analysis.tablesWritten.length === 0) return analysis.tablesRead;
  return [...new Set([...analysis.tablesRead, ...analysis.tablesWritten])];
}
