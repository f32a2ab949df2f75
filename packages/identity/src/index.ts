export { IdentityError, type IdentityErrorCode } from './errors.js';
export type { Identity } from './identity.js';
export {
  cachingSha2Verifier,
  mysqlNativeVerifier,
  parseCachingSha2Verifier,
  parseMysqlNativeVerifier,
} from './mysql-verifier.js';
export {
  deriveScramVerifier,
  formatScramVerifier,
  parseScramVerifier,
  SCRAM_ITERATIONS,
  SCRAM_SALT_BYTES,
  type ScramVerifier,
} from './scram-verifier.js';
export { type AccountVerifiers, generateSecret, makeVerifiers, verifySecret } from './secret.js';
