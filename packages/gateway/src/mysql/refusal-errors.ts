import { ErrorCode, type ServerError } from '@sluice/wire-mysql';
import type { RefusalCause } from '../approval-gate.js';
import type { Judgement } from '../statement-judge.js';

/**
 * A refused statement's error. Over `limits.statements_per_second` is ER_USER_LIMIT_REACHED,
 * which MySQL sends for its own per-user resource limits (MAX_QUERIES_PER_HOUR); an oversized
 * statement is ER_NET_PACKET_TOO_LARGE, MySQL's answer to a query over max_allowed_packet.
 */
export function errorForRefusal(judgement: Extract<Judgement, { allowed: false }>): ServerError {
  if (judgement.limit === 'rate') return ErrorCode.userLimitReached;
  if (judgement.limit === 'statement-size') return ErrorCode.netPacketTooLarge;
  return ErrorCode.specificAccessDenied;
}

/** An approval refusal's error: a withdrawn request was interrupted, too many pending is a user limit. */
export function errorForApprovalRefusal(cause: RefusalCause): ServerError {
  if (cause === 'withdrawn') return ErrorCode.queryInterrupted;
  if (cause === 'limit') return ErrorCode.userLimitReached;
  return ErrorCode.specificAccessDenied;
}
