import type { Identity } from '@sluice/identity';
import type { Journal } from '@sluice/journal';
import { rowsOf, type StatementRun } from './postgres/reply-tracker.js';

export interface SessionFacts {
  readonly sessionId: string;
  readonly identity: Identity;
  readonly connection: string;
  readonly protocol: 'postgres' | 'mysql';
  readonly clientAddress: string;
}

/**
 * Journals a session's statements: each before it is forwarded, its outcome after. When the
 * journal cannot be written, or the caller's token has expired, the statement is not run.
 */
export class StatementJournal {
  constructor(
    private readonly journal: Journal,
    private readonly facts: SessionFacts,
  ) {}

  begin(
    text: string,
    parameters: readonly (string | null)[] | null,
  ): StatementRun | { readonly fatal: string } {
    const { identity } = this.facts;
    if (identity.expiresAt && identity.expiresAt.getTime() <= Date.now()) {
      return { fatal: 'sluice: the session token has expired; reconnect with a new token' };
    }
    try {
      const id = this.journal.recordStatement({
        sessionId: this.facts.sessionId,
        identity: identity.name,
        groups: identity.groups,
        connection: this.facts.connection,
        protocol: this.facts.protocol,
        clientAddress: this.facts.clientAddress,
        text,
        parameters,
        kind: null,
        tables: [],
        decision: 'allowed',
        rule: null,
        reason: null,
        approver: null,
        maskedColumns: [],
      });
      return { id, startedAt: process.hrtime.bigint(), dataRows: 0, taggedRows: null, error: null };
    } catch {
      return { fatal: 'sluice: the journal cannot be written; statement not run' };
    }
  }

  /** The outcome of a statement that already ran; a journal failure here is reported, not thrown. */
  complete(run: StatementRun): Error | undefined {
    const durationMs = Number(process.hrtime.bigint() - run.startedAt) / 1e6;
    try {
      this.journal.completeStatement(run.id, {
        rows: rowsOf(run),
        durationMs: Math.round(durationMs * 1000) / 1000,
        error: run.error,
      });
      return undefined;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }
}
