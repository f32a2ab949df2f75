import { ControlError, type ControlErrorCode } from '@sluice/control';
import { JournalError, type JournalErrorCode } from '@sluice/journal';

/** A request the admin API refuses; `message` is a sentence a person can act on. */
export class AdminError extends Error {
  override readonly name = 'AdminError';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const CONTROL_STATUS: Record<ControlErrorCode, number> = {
  'not-found': 404,
  'not-pending': 409,
  forbidden: 403,
  'self-approval': 403,
  'already-approved': 409,
  'reason-required': 400,
  invalid: 400,
  unavailable: 503,
};

const JOURNAL_STATUS: Partial<Record<JournalErrorCode, number>> = {
  'account-exists': 409,
  'account-not-found': 404,
  'account-revoked': 409,
  'invalid-name': 400,
  unavailable: 503,
};

/** The status and one-line message a caller sees for an error thrown by a route. */
export function statusOf(error: unknown): { readonly status: number; readonly message: string } {
  if (error instanceof AdminError) return { status: error.status, message: error.message };
  if (error instanceof ControlError) return { status: CONTROL_STATUS[error.code], message: error.message };
  if (error instanceof JournalError) {
    const status = JOURNAL_STATUS[error.code];
    if (status !== undefined) return { status, message: error.message };
  }
  const refused = clientError(error);
  if (refused) return refused;
  return { status: 500, message: 'internal error; see the gateway log' };
}

/** Fastify's own refusals (schema validation, an empty or oversized body) carry a 4xx `statusCode`. */
function clientError(error: unknown): { readonly status: number; readonly message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { statusCode?: unknown; message?: unknown };
  const { statusCode, message } = candidate;
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode > 499) return undefined;
  return { status: statusCode, message: typeof message === 'string' ? message : 'bad request' };
}
