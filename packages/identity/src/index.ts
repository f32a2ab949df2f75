export { claimAt, groupsFromClaim } from './claims.js';
export { IdentityError, type IdentityErrorCode } from './errors.js';
export type { Identity } from './identity.js';
export { looksLikeJwt } from './jwt-shape.js';
export {
  cachingSha2Verifier,
  mysqlNativeVerifier,
  parseCachingSha2Verifier,
  parseMysqlNativeVerifier,
} from './mysql-verifier.js';
export {
  ALLOWED_ALGORITHMS,
  createOidcVerifier,
  type OidcIssuerOptions,
  type OidcResult,
  type OidcVerifier,
} from './oidc.js';
export { OidcRefusal, type OidcRefusalReason } from './oidc-refusals.js';
export {
  deriveScramVerifier,
  formatScramVerifier,
  parseScramVerifier,
  SCRAM_ITERATIONS,
  SCRAM_SALT_BYTES,
  type ScramVerifier,
} from './scram-verifier.js';
export { type AccountVerifiers, generateSecret, makeVerifiers, verifySecret } from './secret.js';
