/**
 * Every number the PostgreSQL v3 protocol puts on the wire, in one place.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */

/** Type bytes of messages sent by the client. `p` is shared by every password-phase message. */
export const FrontendCode = {
  bind: 0x42, // 'B'
  close: 0x43, // 'C'
  copyData: 0x64, // 'd'
  copyDone: 0x63, // 'c'
  copyFail: 0x66, // 'f'
  describe: 0x44, // 'D'
  execute: 0x45, // 'E'
  flush: 0x48, // 'H'
  functionCall: 0x46, // 'F'
  password: 0x70, // 'p' (PasswordMessage, SASLInitialResponse, SASLResponse, GSSResponse)
  parse: 0x50, // 'P'
  query: 0x51, // 'Q'
  sync: 0x53, // 'S'
  terminate: 0x58, // 'X'
} as const;

/** Type bytes of messages sent by the server. */
export const BackendCode = {
  authentication: 0x52, // 'R'
  backendKeyData: 0x4b, // 'K'
  bindComplete: 0x32, // '2'
  closeComplete: 0x33, // '3'
  commandComplete: 0x43, // 'C'
  copyBothResponse: 0x57, // 'W'
  copyData: 0x64, // 'd'
  copyDone: 0x63, // 'c'
  copyInResponse: 0x47, // 'G'
  copyOutResponse: 0x48, // 'H'
  dataRow: 0x44, // 'D'
  emptyQueryResponse: 0x49, // 'I'
  errorResponse: 0x45, // 'E'
  functionCallResponse: 0x56, // 'V'
  negotiateProtocolVersion: 0x76, // 'v'
  noData: 0x6e, // 'n'
  noticeResponse: 0x4e, // 'N'
  notificationResponse: 0x41, // 'A'
  parameterDescription: 0x74, // 't'
  parameterStatus: 0x53, // 'S'
  parseComplete: 0x31, // '1'
  portalSuspended: 0x73, // 's'
  readyForQuery: 0x5a, // 'Z'
  rowDescription: 0x54, // 'T'
} as const;

/**
 * The int32 after the length of an untyped (startup-phase) frame. Protocol versions are
 * major << 16 | minor; the special requests use major 1234 so no real version collides.
 */
export const RequestCode = {
  protocol3: 196608, // 3.0
  sslRequest: 80877103, // 1234.5679
  gssEncRequest: 80877104, // 1234.5680
  cancelRequest: 80877102, // 1234.5678
} as const;

/** The major version shared by the special requests above. */
export const SPECIAL_REQUEST_MAJOR = 1234;

/** The int32 after the length of an Authentication ('R') message. */
export const AuthenticationCode = {
  ok: 0,
  kerberosV5: 2,
  cleartextPassword: 3,
  md5Password: 5,
  gss: 7,
  gssContinue: 8,
  sspi: 9,
  sasl: 10,
  saslContinue: 11,
  saslFinal: 12,
} as const;

/** Field letters of ErrorResponse and NoticeResponse. https://www.postgresql.org/docs/current/protocol-error-fields.html */
export const ErrorField = {
  severity: 'S',
  severityNonLocalized: 'V',
  code: 'C',
  message: 'M',
  detail: 'D',
  hint: 'H',
  position: 'P',
  internalPosition: 'p',
  internalQuery: 'q',
  where: 'W',
  schemaName: 's',
  tableName: 't',
  columnName: 'c',
  dataTypeName: 'd',
  constraintName: 'n',
  file: 'F',
  line: 'L',
  routine: 'R',
} as const;

/** The SQLSTATEs Sluice itself sends. https://www.postgresql.org/docs/current/errcodes-appendix.html */
export const SqlState = {
  invalidPassword: '28P01',
  invalidAuthorizationSpecification: '28000',
  protocolViolation: '08P01',
  featureNotSupported: '0A000',
  insufficientPrivilege: '42501',
  adminShutdown: '57P01',
  queryCanceled: '57014',
  tooManyConnections: '53300',
  configurationLimitExceeded: '53400',
  programLimitExceeded: '54000',
  idleSessionTimeout: '57P05',
  idleInTransactionSessionTimeout: '25P03',
  connectionFailure: '08006',
  invalidCatalogName: '3D000',
  inFailedSqlTransaction: '25P02',
} as const;

export type SqlStateCode = (typeof SqlState)[keyof typeof SqlState];

/** Transaction status byte of ReadyForQuery. */
export const TransactionStatus = {
  idle: 'I',
  inTransaction: 'T',
  failed: 'E',
} as const;

/** Target byte of Describe and Close. */
export const TargetCode = {
  statement: 'S',
  portal: 'P',
} as const;

/** Length of a NULL value in DataRow, Bind and FunctionCall; of an absent SASL initial response. */
export const NULL_LENGTH = -1;

/** Secret keys are 4 bytes in protocol 3.0 and at most 256 bytes from 3.2 on. */
export const MIN_SECRET_KEY_BYTES = 4;
export const MAX_SECRET_KEY_BYTES = 256;
