import type { LexerState, StatementAnalysis } from '@sluice/sql';
import type { GuardrailId, GuardrailTrip } from './types.js';

/** What a guardrail knows besides the statement. */
export interface GuardrailContext {
  readonly lexerState: LexerState;
  /** Whether a server process / thread id is one of the caller's own sessions; absent, none is. */
  readonly ownsProcess?: (id: number) => boolean;
}

export type Check = (statement: StatementAnalysis, context: GuardrailContext) => GuardrailTrip | undefined;

export const trip = (id: GuardrailId, reason: string): GuardrailTrip => ({ id, reason });
