import type { AuthMoreData } from './auth-more-data.js';
import type { AuthSwitchRequest } from './auth-switch-request.js';
import type { AuthSwitchResponse } from './auth-switch-response.js';
import type { BinaryRow } from './binary-row.js';
import type { ColumnCount } from './column-count.js';
import type { ColumnDefinition41 } from './column-definition-41.js';
import type { ComChangeUser } from './com-change-user.js';
import type { ComFieldList } from './com-field-list.js';
import type { ComInitDb } from './com-init-db.js';
import type { ComPing } from './com-ping.js';
import type { ComQuery } from './com-query.js';
import type { ComQuit } from './com-quit.js';
import type { ComResetConnection } from './com-reset-connection.js';
import type { ComSetOption } from './com-set-option.js';
import type { ComStatistics } from './com-statistics.js';
import type { ComStmtClose } from './com-stmt-close.js';
import type { ComStmtExecute } from './com-stmt-execute.js';
import type { ComStmtFetch } from './com-stmt-fetch.js';
import type { ComStmtPrepare } from './com-stmt-prepare.js';
import type { ComStmtPrepareOk } from './com-stmt-prepare-ok.js';
import type { ComStmtReset } from './com-stmt-reset.js';
import type { ComStmtSendLongData } from './com-stmt-send-long-data.js';
import type { EofPacket } from './eof-packet.js';
import type { ErrPacket } from './err-packet.js';
import type { HandshakeResponse41 } from './handshake-response-41.js';
import type { InitialHandshake } from './initial-handshake.js';
import type { LocalInfileRequest } from './local-infile-request.js';
import type { OkPacket } from './ok-packet.js';
import type { ProgressReport } from './progress-report.js';
import type { SslRequest } from './ssl-request.js';
import type { TextRow } from './text-row.js';

export { AuthMoreData } from './auth-more-data.js';
export { AuthSwitchRequest } from './auth-switch-request.js';
export { AuthSwitchResponse } from './auth-switch-response.js';
export { BinaryRow, type BinaryRowColumns } from './binary-row.js';
export { ColumnCount } from './column-count.js';
export {
  ColumnDefinition41,
  type ExtendedMetadataEntry,
  ExtendedMetadataKey,
} from './column-definition-41.js';
export { ComChangeUser } from './com-change-user.js';
export { ComFieldList } from './com-field-list.js';
export { ComInitDb } from './com-init-db.js';
export { ComPing } from './com-ping.js';
export { ComQuery } from './com-query.js';
export { ComQuit } from './com-quit.js';
export { ComResetConnection } from './com-reset-connection.js';
export { ComSetOption } from './com-set-option.js';
export { ComStatistics } from './com-statistics.js';
export { ComStmtClose } from './com-stmt-close.js';
export { ComStmtExecute, type ComStmtExecuteContext } from './com-stmt-execute.js';
export { ComStmtFetch } from './com-stmt-fetch.js';
export { ComStmtPrepare } from './com-stmt-prepare.js';
export { ComStmtPrepareOk } from './com-stmt-prepare-ok.js';
export { ComStmtReset } from './com-stmt-reset.js';
export { ComStmtSendLongData } from './com-stmt-send-long-data.js';
export { EofPacket } from './eof-packet.js';
export { ErrPacket, errPacket } from './err-packet.js';
export { HandshakeResponse41 } from './handshake-response-41.js';
export { InitialHandshake } from './initial-handshake.js';
export { LocalInfileRequest } from './local-infile-request.js';
export { OkPacket } from './ok-packet.js';
export { isProgressReportPayload, ProgressReport } from './progress-report.js';
export { isSslRequestPayload, SslRequest } from './ssl-request.js';
export { TextRow } from './text-row.js';

/** Every packet a client sends. */
export type ClientPacket =
  | SslRequest
  | HandshakeResponse41
  | AuthSwitchResponse
  | ComQuery
  | ComStmtPrepare
  | ComStmtExecute
  | ComStmtClose
  | ComStmtReset
  | ComStmtSendLongData
  | ComStmtFetch
  | ComInitDb
  | ComPing
  | ComQuit
  | ComFieldList
  | ComStatistics
  | ComChangeUser
  | ComResetConnection
  | ComSetOption;

/** Every packet a server sends. */
export type ServerPacket =
  | InitialHandshake
  | AuthSwitchRequest
  | AuthMoreData
  | OkPacket
  | ErrPacket
  | EofPacket
  | ProgressReport
  | ColumnCount
  | ColumnDefinition41
  | TextRow
  | BinaryRow
  | ComStmtPrepareOk
  | LocalInfileRequest;
