import type { Judgement } from '../statement-judge.js';
import type { GatewayLimits } from './gateway-limits.js';

/** Rule names the journal records for statements a limit refused. */
export const RATE_LIMIT_RULE = 'rate-limit';
export const STATEMENT_SIZE_RULE = 'statement-size-limit';

/** How much of an oversized statement the journal keeps: enough to recognise it. */
const JOURNAL_EXCERPT_CHARS = 1024;

/**
 * Puts the gateway's statement limits in front of a session's policy judge. An oversized
 * statement is refused before it is parsed (parsing is what the limit protects); a statement
 * over the identity's rate is still analysed, so its record shows what it was.
 */
export function limitedJudge(
  judge: (text: string) => Judgement,
  limits: GatewayLimits,
  identity: () => string,
): (text: string) => Judgement {
  return (text) => {
    const maxBytes = limits.config.maxStatementBytes;
    // Characters never outnumber UTF-8 bytes, so only long strings need counting.
    if (text.length > maxBytes / 4 && Buffer.byteLength(text) > maxBytes) {
      const reason = `the statement is ${Buffer.byteLength(text)} bytes; limits.max_statement_size is ${maxBytes}`;
      return {
        allowed: false,
        statements: [],
        decision: { action: 'block', rule: STATEMENT_SIZE_RULE, reason, statementIndex: 0 },
        message: `sluice: statement too large: ${reason}`,
        limit: 'statement-size',
        journalText: `${text.slice(0, JOURNAL_EXCERPT_CHARS)}…`,
      };
    }
    const judgement = judge(text);
    const rate = limits.statementRate;
    if (!rate || rate.take(identity())) return judgement;
    const reason = `more than ${rate.describe} for this identity (limits.statements_per_second)`;
    return {
      allowed: false,
      statements: judgement.statements,
      decision: { action: 'block', rule: RATE_LIMIT_RULE, reason, statementIndex: 0 },
      message: `sluice: rate limit exceeded: ${reason}; slow down and retry`,
      limit: 'rate',
    };
  };
}
