import type { PolicyConfig } from '@sluice/config';
import { type Caller, type Decision, decideAll } from '@sluice/policy';
import type { LexerState, SqlAnalyzer, StatementAnalysis } from '@sluice/sql';

/** How this session's SQL must be read, or why Sluice can no longer read it reliably. */
export interface SqlReadingState {
  readonly lexer: LexerState;
  readonly unfollowable: string | null;
}

export type Judgement =
  | { readonly allowed: true; readonly statements: readonly StatementAnalysis[] }
  | {
      readonly allowed: false;
      readonly statements: readonly StatementAnalysis[];
      readonly decision: Decision;
      /** The text the client receives: `sluice: blocked by <rule>: <reason>`. */
      readonly message: string;
    };

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
    private readonly policy: PolicyConfig,
    private readonly identity: Caller,
    private readonly connection: string,
    private readonly defaultSchema: string,
    /** Which server process / thread ids are this caller's own sessions (for KILL and the like). */
    private readonly ownsProcess?: (id: number) => boolean,
  ) {}

  judge(text: string, reading: SqlReadingState): Judgement {
    const statements = this.analyzer.analyze(text, reading.lexer);
    const guarded = this.policy.guardrails !== 'off';
    if (guarded && reading.unfollowable) {
      return refuse(statements, { rule: 'guardrail:unfollowable-setting', reason: reading.unfollowable });
    }
    const changesReading = statements
      .slice(0, -1)
      .some((s) => s.settingChanges.some((change) => READING_SETTINGS.has(change.name)));
    if (guarded && changesReading) {
      return refuse(statements, {
        rule: 'guardrail:unfollowable-setting',
        reason: 'a statement that changes how SQL is read must be sent on its own',
      });
    }
    const decision = decideAll(this.policy, statements, {
      identity: this.identity,
      connection: this.connection,
      defaultSchema: this.defaultSchema,
      lexerState: reading.lexer,
      ownsProcess: this.ownsProcess,
    });
    if (decision.action === 'allow') return { allowed: true, statements };
    return refuse(statements, decision);
  }
}

function refuse(
  statements: readonly StatementAnalysis[],
  decision: Pick<Decision, 'rule' | 'reason'> & Partial<Decision>,
): Judgement {
  const full: Decision = { action: 'block', statementIndex: 0, ...decision };
  const reason = full.action === 'approve' ? `approval required: ${full.reason}` : full.reason;
  return {
    allowed: false,
    statements,
    decision: full,
    message: `sluice: blocked by ${full.rule}: ${reason}`,
  };
}
