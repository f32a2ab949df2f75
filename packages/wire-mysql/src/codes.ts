/**
 * Every number the MySQL / MariaDB client/server protocol puts on the wire, in one place.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/PAGE_PROTOCOL.html
 * https://mariadb.com/kb/en/clientserver-protocol/
 */

/** First payload byte of a command packet. https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html */
export const Command = {
  sleep: 0x00,
  quit: 0x01,
  initDb: 0x02,
  query: 0x03,
  fieldList: 0x04,
  createDb: 0x05,
  dropDb: 0x06,
  refresh: 0x07,
  shutdown: 0x08,
  statistics: 0x09,
  processInfo: 0x0a,
  connect: 0x0b,
  processKill: 0x0c,
  debug: 0x0d,
  ping: 0x0e,
  time: 0x0f,
  delayedInsert: 0x10,
  changeUser: 0x11,
  binlogDump: 0x12,
  tableDump: 0x13,
  connectOut: 0x14,
  registerSlave: 0x15,
  stmtPrepare: 0x16,
  stmtExecute: 0x17,
  stmtSendLongData: 0x18,
  stmtClose: 0x19,
  stmtReset: 0x1a,
  setOption: 0x1b,
  stmtFetch: 0x1c,
  daemon: 0x1d,
  binlogDumpGtid: 0x1e,
  resetConnection: 0x1f,
  clone: 0x20,
  /** MariaDB: parameter arrays, only with MARIADB_CLIENT_STMT_BULK_OPERATIONS. */
  stmtBulkExecute: 0xfa,
} as const;

/** First payload byte of the server packets that have one. */
export const PacketHeader = {
  ok: 0x00,
  authMoreData: 0x01,
  localInfile: 0xfb,
  /** EOF, OK-as-EOF (CLIENT_DEPRECATE_EOF) and AuthSwitchRequest, told apart by phase and length. */
  eof: 0xfe,
  authSwitchRequest: 0xfe,
  err: 0xff,
} as const;

/**
 * Capability flags (the lower 32 bits). Values above 2^31 stay positive numbers here; test them
 * with `hasCapability`, which avoids JavaScript's signed 32-bit bitwise results.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__capabilities__flags.html
 */
export const Capability = {
  /** MariaDB calls this CLIENT_MYSQL: a client or server that leaves it unset speaks MariaDB's extended capabilities. */
  longPassword: 0x1,
  foundRows: 0x2,
  longFlag: 0x4,
  connectWithDb: 0x8,
  noSchema: 0x10,
  compress: 0x20,
  odbc: 0x40,
  localFiles: 0x80,
  ignoreSpace: 0x100,
  protocol41: 0x200,
  interactive: 0x400,
  ssl: 0x800,
  ignoreSigpipe: 0x1000,
  transactions: 0x2000,
  reserved: 0x4000,
  secureConnection: 0x8000,
  multiStatements: 0x10000,
  multiResults: 0x20000,
  psMultiResults: 0x40000,
  pluginAuth: 0x80000,
  connectAttrs: 0x100000,
  pluginAuthLenencClientData: 0x200000,
  canHandleExpiredPasswords: 0x400000,
  sessionTrack: 0x800000,
  deprecateEof: 0x1000000,
  optionalResultsetMetadata: 0x2000000,
  zstdCompressionAlgorithm: 0x4000000,
  queryAttributes: 0x8000000,
  multiFactorAuthentication: 0x10000000,
  capabilityExtension: 0x20000000,
  sslVerifyServerCert: 0x40000000,
  rememberOptions: 0x80000000,
} as const;

/**
 * MariaDB's extended capabilities: bits 32..63 of MariaDB's 64-bit flags, kept here as their own
 * 32-bit word (MARIADB_CLIENT_PROGRESS = 1 << 32 is `progress: 1`). They travel in the handshake
 * filler only when CLIENT_MYSQL (`Capability.longPassword`) is unset.
 * https://mariadb.com/kb/en/connection/#capabilities
 */
export const MariadbCapability = {
  progress: 0x1,
  /** Formerly COM_MULTI; never to be set. */
  comMulti: 0x2,
  stmtBulkOperations: 0x4,
  extendedMetadata: 0x8,
  cacheMetadata: 0x10,
  bulkUnitResults: 0x20,
} as const;

/** True when `flags` has every bit of `flag`, including bit 31. */
export function hasCapability(flags: number, flag: number): boolean {
  return (flags & flag) >>> 0 === flag >>> 0;
}

/** Server status flags of OK and EOF packets. https://dev.mysql.com/doc/dev/mysql-server/latest/mysql__com_8h.html */
export const ServerStatus = {
  inTransaction: 0x1,
  autocommit: 0x2,
  moreResultsExist: 0x8,
  noGoodIndexUsed: 0x10,
  noIndexUsed: 0x20,
  cursorExists: 0x40,
  lastRowSent: 0x80,
  databaseDropped: 0x100,
  noBackslashEscapes: 0x200,
  metadataChanged: 0x400,
  queryWasSlow: 0x800,
  psOutParams: 0x1000,
  inTransactionReadonly: 0x2000,
  sessionStateChanged: 0x4000,
  /** MariaDB only: sql_mode has ANSI_QUOTES. */
  ansiQuotes: 0x8000,
} as const;

/** Column and parameter types (enum_field_types). https://dev.mysql.com/doc/dev/mysql-server/latest/field__types_8h.html */
export const ColumnType = {
  decimal: 0x00,
  tiny: 0x01,
  short: 0x02,
  long: 0x03,
  float: 0x04,
  double: 0x05,
  null: 0x06,
  timestamp: 0x07,
  longlong: 0x08,
  int24: 0x09,
  date: 0x0a,
  time: 0x0b,
  datetime: 0x0c,
  year: 0x0d,
  newdate: 0x0e,
  varchar: 0x0f,
  bit: 0x10,
  timestamp2: 0x11,
  datetime2: 0x12,
  time2: 0x13,
  typedArray: 0x14,
  vector: 0xf2,
  invalid: 0xf3,
  bool: 0xf4,
  json: 0xf5,
  newdecimal: 0xf6,
  enum: 0xf7,
  set: 0xf8,
  tinyBlob: 0xf9,
  mediumBlob: 0xfa,
  longBlob: 0xfb,
  blob: 0xfc,
  varString: 0xfd,
  string: 0xfe,
  geometry: 0xff,
} as const;

/** The second byte of a parameter type in COM_STMT_EXECUTE: the value is unsigned. */
export const UNSIGNED_PARAMETER_FLAG = 0x80;

/** Column definition flags (2 bytes on the wire). https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__column__definition__flags.html */
export const ColumnFlag = {
  notNull: 0x1,
  primaryKey: 0x2,
  uniqueKey: 0x4,
  multipleKey: 0x8,
  blob: 0x10,
  unsigned: 0x20,
  zerofill: 0x40,
  binary: 0x80,
  enum: 0x100,
  autoIncrement: 0x200,
  timestamp: 0x400,
  set: 0x800,
  noDefaultValue: 0x1000,
  onUpdateNow: 0x2000,
  partKey: 0x4000,
  num: 0x8000,
} as const;

/** Flags byte of COM_STMT_EXECUTE. */
export const CursorType = {
  noCursor: 0x0,
  readOnly: 0x1,
  forUpdate: 0x2,
  scrollable: 0x4,
  /** MySQL 8 with CLIENT_QUERY_ATTRIBUTES: a parameter count follows even for zero parameters. */
  parameterCountAvailable: 0x8,
} as const;

/** Argument of COM_SET_OPTION. */
export const SetOption = {
  multiStatementsOn: 0,
  multiStatementsOff: 1,
} as const;

/** Entry types of the session state information in an OK packet. */
export const SessionTrackType = {
  systemVariables: 0,
  schema: 1,
  stateChange: 2,
  gtids: 3,
  transactionCharacteristics: 4,
  transactionState: 5,
} as const;

/**
 * caching_sha2_password's one-byte messages: the client's request for the server's RSA key, and
 * the server's AuthMoreData verdict after the scramble.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html
 */
export const CachingSha2Marker = {
  requestPublicKey: 0x02,
  fastAuthSuccess: 0x03,
  performFullAuthentication: 0x04,
} as const;

/** Authentication plugin names. */
export const AuthPlugin = {
  nativePassword: 'mysql_native_password',
  cachingSha2Password: 'caching_sha2_password',
  clearPassword: 'mysql_clear_password',
} as const;

/** Collation ids used in handshakes and column definitions. */
export const CharacterSet = {
  latin1SwedishCi: 8,
  utf8mb3GeneralCi: 33,
  utf8mb4GeneralCi: 45,
  utf8mb4Bin: 46,
  binary: 63,
  utf8mb4UnicodeCi: 224,
  utf8mb4_0900AiCi: 255,
} as const;

/** An error number with the SQLSTATE the server pairs it with. */
export interface ServerError {
  readonly code: number;
  readonly sqlState: string;
}

/**
 * The errors Sluice itself sends. Client-library codes (CR_*, 2000 and up, e.g. 2013 "Lost
 * connection") are raised by drivers, never sent by a server, so they are not here.
 * https://mariadb.com/kb/en/mariadb-error-code-reference/
 */
export const ErrorCode = {
  conCountError: { code: 1040, sqlState: '08004' },
  handshakeError: { code: 1043, sqlState: '08S01' },
  dbAccessDenied: { code: 1044, sqlState: '42000' },
  accessDenied: { code: 1045, sqlState: '28000' },
  unknownCommand: { code: 1047, sqlState: '08S01' },
  serverShutdown: { code: 1053, sqlState: '08S01' },
  unknownError: { code: 1105, sqlState: 'HY000' },
  netPacketTooLarge: { code: 1153, sqlState: '08S01' },
  netPacketsOutOfOrder: { code: 1156, sqlState: '08S01' },
  netUncompressError: { code: 1157, sqlState: '08S01' },
  netReadError: { code: 1158, sqlState: '08S01' },
  netReadInterrupted: { code: 1159, sqlState: '08S01' },
  tooManyUserConnections: { code: 1203, sqlState: '42000' },
  userLimitReached: { code: 1226, sqlState: '42000' },
  specificAccessDenied: { code: 1227, sqlState: '42000' },
  notSupportedYet: { code: 1235, sqlState: '42000' },
  unknownStatementHandler: { code: 1243, sqlState: 'HY000' },
  notSupportedAuthMode: { code: 1251, sqlState: '08004' },
  queryInterrupted: { code: 1317, sqlState: '70100' },
  connectionKilled: { code: 1927, sqlState: '70100' },
  clientInteractionTimeout: { code: 4031, sqlState: 'HY000' },
} as const satisfies Record<string, ServerError>;

/** Largest payload of one physical packet; a payload of exactly this size continues in the next packet. */
export const MAX_PACKET_PAYLOAD = 0xffffff;

/** Bytes of the packet header: 3-byte little-endian payload length, 1-byte sequence id. */
export const PACKET_HEADER_BYTES = 4;
