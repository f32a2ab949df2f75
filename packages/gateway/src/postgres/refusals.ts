import { backend, ErrorField, frontend, SqlState } from '@sluice/wire-postgres';
import type { RefusalCause } from '../approval-gate.js';

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
