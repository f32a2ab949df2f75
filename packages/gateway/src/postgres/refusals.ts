import { backend, ErrorField, frontend, SqlState } from '@sluice/wire-postgres';
import type { RefusalCause } from '../approval-gate.js';

/**
 * In place of a blocked statement the server runs one that fails, so its transaction state
 * becomes what a failed statement leaves (aborted inside BEGIN, untouched outside) and it sends
 * ReadyForQuery itself. Its error is replaced by Sluice's before it reaches the client.
 */
export const FAILING_STATEMENT = frontend.Query.encode({
  kind: 'query',
  text: "DO $sluice$BEGIN RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'sluice: blocked'; END$sluice$",
});

/** A withdrawn request is a cancelled statement; the other refusals are refusals of policy (§4). */
export function codeFor(cause: RefusalCause): string {
  return cause === 'withdrawn' ? SqlState.queryCanceled : SqlState.insufficientPrivilege;
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
