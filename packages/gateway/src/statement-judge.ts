import type { PolicyConfig } from '@sluice/config';
import type { GrantBook } from '@sluice/control';
import { type Caller, type Decision, decideAll } from '@sluice/policy';
import type { LexerState, SqlAnalyzer, StatementAnalysis } from '@sluice/sql';
import { type ApprovalSettings, approvalSettingsFor } from './approval-settings.js';

/** How this session's SQL must be read, or why Sluice can no longer read it reliably. */
export interface SqlReadingState {
  readonly lexer: LexerState;
  readonly unfollowable: string | null;
}

export type Judgement =
  | {
      readonly allowed: true;
      readonly statements: readonly StatementAnalysis[];
      /** The grant that allowed it, when one did (`grant:<id>`). */
      readonly grant?: string;
    }
  | {
      readonly allowed: false;
      readonly statements: readonly StatementAnalysis[];
      readonly decision: Decision;
      /** The text the client receives: `sluice: blocked by <rule>: <reason>`. */
      readonly message: string;
      /** Set when the decision is `approve`: how the statement waits for a person. */
      readonly approval?: ApprovalSettings;
      /** Set when a gateway limit refused it, which has its own error code (see limits/). */
      readonly limit?: StatementLimit;
      /** What the journal records as the statement, when not the text itself (an oversized one). */
      readonly journalText?: string;
    };

/** `limits.statements_per_second` and `limits.max_statement_size`. */
export type StatementLimit = 'rate' | 'statement-size';

/** Settings that change how the lexer must read the statements after them. */
const READING_SETTINGS = new Set([
  'standard_conforming_strings',
  'client_encoding',
  'character_set_client',
  'names',
  'sql_mode',
  'all',
]);

/**
 * Analyses a query string and applies the connection's policy: guardrails, rules, default.
 * Protocol-independent; the adapters turn a refusal into their own error packet.
 */
export class StatementJudge {
  constructor(
    private readonly analyzer: SqlAnalyzer,
    /** The policy in force now: read once per judgement, so a reload applies from the next statement. */
    private readonly policyNow: () => PolicyConfig,
    private readonly identity: Caller,
    private readonly connection: string,
    private readonly defaultSchema: string,
    private readonly grants: GrantBook | null = null,
    /** Which server process / thread ids are this caller's own sessions (for KILL and the like). */
    private readonly ownsProcess?: (id: number) => boolean,
  ) {}

  private readonly grantsUsed = new Set<string>();

  judge(text: string, reading: SqlReadingState): Judgement {
    const policy = this.policyNow();
    const statements = this.analyzer.analyze(text, reading.lexer);
    const guarded = policy.guardrails !== 'off';
    if (guarded && reading.unfollowable) {
      return refuse(statements, { rule: 'guardrail:unfollowable-setting', reason: reading.unfollowable });
    }
    if (guarded && changesReadingBeforeLast(statements)) {
      return refuse(statements, {
        rule: 'guardrail:unfollowable-setting',
        reason: 'a statement that changes how SQL is read must be sent on its own',
      });
    }
    const decision = decideAll(policy, statements, {
      identity: this.identity,
      connection: this.connection,
      defaultSchema: this.defaultSchema,
      lexerState: reading.lexer,
      grants: this.grants?.activeFor(this.identity, this.connection),
      ownsProcess: this.ownsProcess,
    });
    if (decision.action === 'allow') {
      if (decision.grant) this.noteGrantUsed(decision.grant);
      return decision.grant
        ? { allowed: true, statements, grant: decision.grant }
        : { allowed: true, statements };
    }
    const refusal = refuse(statements, decision);
    if (decision.action !== 'approve') return refusal;
    return { ...refusal, approval: approvalSettingsFor(policy, decision.rule) };
  }

  /** The first use of each grant in a session is journalled (AC-2); later uses show in statements. */
  private noteGrantUsed(id: string): void {
    if (this.grantsUsed.has(id)) return;
    this.grantsUsed.add(id);
    const grant = this.grants?.get(id);
    if (grant) this.grants?.used(grant, this.identity.name);
  }
}

/** Whether a statement before the last changes how SQL reads; a loop, as every statement asks. */
function changesReadingBeforeLast(statements: readonly StatementAnalysis[]): boolean {
  for (let index = 0; index < statements.length - 1; index += 1) {
    const changes = (statements[index] as StatementAnalysis).settingChanges;
    for (const change of changes) if (READING_SETTINGS.has(change.name)) return true;
  }
  return false;
}

function refuse(
  statements: readonly StatementAnalysis[],
  decision: Pick<Decision, 'rule' | 'reason'> & Partial<Decision>,
): Extract<Judgement, { allowed: false }> {
  const full: Decision = { action: 'block', statementIndex: 0, ...decision };
  const reason = full.action === 'approve' ? `approval required: ${full.reason}` : full.reason;
  return {
    allowed: false,
    statements,
    decision: full,
    message: `sluice: blocked by ${full.rule}: ${reason}`,
  };
}
