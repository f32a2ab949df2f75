import { backend, ErrorField, frontend, SqlState } from '@sluice/wire-postgres';
import type { RefusalCause } from '../approval-gate.js';
import type { Judgement } from '../statement-judge.js';

/**
 * In place of a blocked statement the server runs one that fails, so its transaction state
 * becomes what a failed statement leaves (aborted inside BEGIN, untouched outside) and it sends
 * ReadyForQuery itself. Its error is replaced by Sluice's before it reaches the client.
 */
const FAILING_TEXT =
  "DO $sluice$BEGIN RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'sluice: blocked'; END$sluice$";

export const FAILING_STATEMENT = frontend.Query.encode({ kind: 'query', text: FAILING_TEXT });

/**
 * The same in the extended protocol, for a refusal inside a pipeline: it fails as the refused
 * message would, and a server already skipping to Sync after an earlier error skips it too. Either
 * way the client's own Sync, forwarded, brings the one ReadyForQuery.
 */
export const FAILING_EXTENDED = Buffer.concat([
  frontend.Parse.encode({ kind: 'parse', name: '', text: FAILING_TEXT, parameterTypes: [] }),
  frontend.Bind.encode({
    kind: 'bind',
    portal: '',
    statement: '',
    parameterFormats: [],
    parameters: [],
    resultFormats: [],
  }),
  frontend.Execute.encode({ kind: 'execute', portal: '', maxRows: 0 }),
]);

/**
 * A withdrawn request is a cancelled statement; too many pending requests is a configured
 * limit (as for the statement rate below); the other refusals are refusals of policy (§4).
 */
export function codeFor(cause: RefusalCause): string {
  if (cause === 'withdrawn') return SqlState.queryCanceled;
  if (cause === 'limit') return SqlState.configurationLimitExceeded;
  return SqlState.insufficientPrivilege;
}

export function noticeOf(text: string): Buffer {
  return backend.NoticeResponse.encode({
    kind: 'notice-response',
    fields: new Map([
      [ErrorField.severity, 'NOTICE'],
      [ErrorField.severityNonLocalized, 'NOTICE'],
      [ErrorField.code, '00000'],
      [ErrorField.message, text],
    ]),
  });
}

/**
 * A refused statement's SQLSTATE. A rate over `limits.statements_per_second` is 53400
 * configuration_limit_exceeded: a limit the operator configured, of class 53 (insufficient
 * resources), which is what a client may retry later; 54000 program_limit_exceeded is for limits
 * of the program itself, as an oversized statement is here.
 */
export function codeForRefusal(judgement: Extract<Judgement, { allowed: false }>): string {
  if (judgement.limit === 'rate') return SqlState.configurationLimitExceeded;
  if (judgement.limit === 'statement-size') return SqlState.programLimitExceeded;
  return SqlState.insufficientPrivilege;
}
