import type { Authentication } from './authentication.js';
import type { BackendKeyData } from './backend-key-data.js';
import type { BindComplete } from './bind-complete.js';
import type { CloseComplete } from './close-complete.js';
import type { CommandComplete } from './command-complete.js';
import type { CopyBothResponse } from './copy-both-response.js';
import type { CopyData } from './copy-data.js';
import type { CopyDone } from './copy-done.js';
import type { CopyInResponse } from './copy-in-response.js';
import type { CopyOutResponse } from './copy-out-response.js';
import type { DataRow } from './data-row.js';
import type { EmptyQueryResponse } from './empty-query-response.js';
import type { ErrorResponse } from './error-response.js';
import type { FunctionCallResponse } from './function-call-response.js';
import type { NegotiateProtocolVersion } from './negotiate-protocol-version.js';
import type { NoData } from './no-data.js';
import type { NoticeResponse } from './notice-response.js';
import type { NotificationResponse } from './notification-response.js';
import type { ParameterDescription } from './parameter-description.js';
import type { ParameterStatus } from './parameter-status.js';
import type { ParseComplete } from './parse-complete.js';
import type { PortalSuspended } from './portal-suspended.js';
import type { ReadyForQuery } from './ready-for-query.js';
import type { RowDescription } from './row-description.js';

export { Authentication } from './authentication.js';
export { BackendKeyData } from './backend-key-data.js';
export { BindComplete } from './bind-complete.js';
export { CloseComplete } from './close-complete.js';
export { CommandComplete, rowsFromCommandTag } from './command-complete.js';
export { CopyBothResponse } from './copy-both-response.js';
export { CopyData } from './copy-data.js';
export { CopyDone } from './copy-done.js';
export { CopyInResponse } from './copy-in-response.js';
export { CopyOutResponse } from './copy-out-response.js';
export type { CopyResponseFields } from './copy-response.js';
export { DataRow } from './data-row.js';
export { EmptyQueryResponse } from './empty-query-response.js';
export { ErrorResponse, type ErrorResponseCodec, errorMessage } from './error-response.js';
export { FunctionCallResponse } from './function-call-response.js';
export { NegotiateProtocolVersion } from './negotiate-protocol-version.js';
export { NoData } from './no-data.js';
export type { NoticeFields, NoticeFieldsInput } from './notice-fields.js';
export { NoticeResponse, type NoticeResponseCodec } from './notice-response.js';
export { NotificationResponse } from './notification-response.js';
export { ParameterDescription } from './parameter-description.js';
export { ParameterStatus } from './parameter-status.js';
export { ParseComplete } from './parse-complete.js';
export { PortalSuspended } from './portal-suspended.js';
export { ReadyForQuery } from './ready-for-query.js';
export { type FieldDescription, RowDescription } from './row-description.js';

/** Every message a server sends. */
export type Message =
  | Authentication
  | BackendKeyData
  | BindComplete
  | CloseComplete
  | CommandComplete
  | CopyBothResponse
  | CopyData
  | CopyDone
  | CopyInResponse
  | CopyOutResponse
  | DataRow
  | EmptyQueryResponse
  | ErrorResponse
  | FunctionCallResponse
  | NegotiateProtocolVersion
  | NoData
  | NoticeResponse
  | NotificationResponse
  | ParameterDescription
  | ParameterStatus
  | ParseComplete
  | PortalSuspended
  | ReadyForQuery
  | RowDescription;
