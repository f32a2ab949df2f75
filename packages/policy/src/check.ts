import type { LexerState, StatementAnalysis } from '@sluice/sql';
import type { GuardrailId, GuardrailTrip } from './types.js';

/** Whether a server process / thread id is one of the caller's own sessions. */
export type OwnsProcess = ((id: number) => boolean) | undefined;

/** A guardrail: what it knows besides the statement is passed as arguments, so no object is made per statement. */
export type Check = (
  statement: StatementAnalysis,
  lexerState: LexerState,
  ownsProcess: OwnsProcess,
) => GuardrailTrip | undefined;

export const trip = (id: GuardrailId, reason: string): GuardrailTrip => ({ id, reason });
