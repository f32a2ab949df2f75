export { TestkitError, type TestkitErrorCode } from './errors.js';
export { freePort } from './free-port.js';
export {
  applyMutation,
  type ByteMutation,
  byteMutation,
  chunked,
  mutatedBytes,
  mutatedFrom,
} from './fuzz/byte-mutations.js';
export {
  type FuzzCase,
  type FuzzStage,
  mysqlFuzzCases,
  postgresFuzzCases,
  sampleCases,
} from './fuzz/fuzz-cases.js';
export { mysqlCompressedFrame, mysqlPacketsInFrames } from './fuzz/mysql-compressed.js';
export {
  type MysqlRawSession,
  mysqlComQuery,
  mysqlError,
  mysqlLogin,
  mysqlPacket,
  mysqlPackets,
  mysqlSimpleQuery,
} from './fuzz/mysql-raw.js';
export {
  type PgRawSession,
  pgErrorFields,
  pgLogin,
  pgMessages,
  pgQuery,
  pgSimpleQuery,
  pgStartup,
  pgTyped,
} from './fuzz/postgres-raw.js';
export {
  type FuzzEnding,
  type FuzzOutcome,
  type FuzzTarget,
  probeMysql,
  probePostgres,
} from './fuzz/probes.js';
export { RawConnection } from './fuzz/raw-connection.js';
export {
  type FuzzProtocol,
  runSocketFuzz,
  type SocketFuzzOptions,
  type SocketFuzzReport,
} from './fuzz/socket-fuzz.js';
export { type HaproxyOptions, type RunningHaproxy, startHaproxy } from './haproxy.js';
export type { HaproxyBalance, HaproxySendProxy, HaproxyServer } from './haproxy-config.js';
export type { HaproxyServerState, HaproxySession } from './haproxy-stats.js';
export { type JwksServer, type JwtIssuer, makeJwtIssuer, type SignOptions } from './jwt-issuer.js';
export { findMariadbProgram, MARIADB_CLIENT_PATH, MARIADBD_PATH } from './mariadb-programs.js';
export { type OidcProvider, type ProviderUser, startOidcProvider } from './oidc-provider.js';
export { findPgBinDir, PG_BIN_DIR } from './pg-bin-dir.js';
export { scratchDir } from './scratch-dir.js';
export { type MariadbSqlOptions, type ScratchMariadb, startMariadb } from './scratch-mariadb.js';
export { type PsqlOptions, SCRATCH_ROLES, type ScratchPostgres, startPostgres } from './scratch-postgres.js';
export { makeTestCa, type TestCa } from './test-ca.js';
