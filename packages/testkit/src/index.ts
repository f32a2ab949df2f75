export { TestkitError, type TestkitErrorCode } from './errors.js';
export { freePort } from './free-port.js';
export { type JwksServer, type JwtIssuer, makeJwtIssuer, type SignOptions } from './jwt-issuer.js';
export { findMariadbProgram, MARIADB_CLIENT_PATH, MARIADBD_PATH } from './mariadb-programs.js';
export { findPgBinDir, PG_BIN_DIR } from './pg-bin-dir.js';
export { scratchDir } from './scratch-dir.js';
export { type MariadbSqlOptions, type ScratchMariadb, startMariadb } from './scratch-mariadb.js';
export { type PsqlOptions, SCRATCH_ROLES, type ScratchPostgres, startPostgres } from './scratch-postgres.js';
export { makeTestCa, type TestCa } from './test-ca.js';
