import { randomBytes } from 'node:crypto';
import { IdentityError } from './errors.js';
import { cachingSha2Verifier, mysqlNativeVerifier } from './mysql-verifier.js';
import {
  deriveScramVerifier,
  formatScramVerifier,
  parseScramVerifier,
  SCRAM_ITERATIONS,
  SCRAM_SALT_BYTES,
  scramSecretMatches,
} from './scram-verifier.js';

/** What Sluice stores for a service account: one verifier per auth method, never the secret. */
export interface AccountVerifiers {
  readonly scramSha256: string;
  readonly mysqlNative: string;
  readonly cachingSha2: string;
}

const SECRET_PREFIX = 'sluice_';
const SECRET_BYTES = 32;
/** Printable ASCII: SASLprep leaves it unchanged, so every driver derives the same SCRAM keys. */
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** A new service-account secret, shown to the operator once. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64url');
}

/** Throws IdentityError 'invalid-secret' for an empty or non-printable-ASCII secret. */
export function makeVerifiers(secret: string): AccountVerifiers {
  if (!PRINTABLE_ASCII.test(secret)) {
    throw new IdentityError('invalid-secret', 'a service-account secret must be printable ASCII');
  }
  const scram = deriveScramVerifier(secret, randomBytes(SCRAM_SALT_BYTES), SCRAM_ITERATIONS);
  return {
    scramSha256: formatScramVerifier(scram),
    mysqlNative: mysqlNativeVerifier(secret),
    cachingSha2: cachingSha2Verifier(secret),
  };
}

/**
 * Checks a secret a client sent in clear against the stored SCRAM verifier. Costs one PBKDF2 at
 * the stored iteration count (about 4 ms at 4096), synchronously.
 */
export function verifySecret(secret: string, verifiers: AccountVerifiers): boolean {
  const scram = parseScramVerifier(verifiers.scramSha256);
  if (scram === undefined || !PRINTABLE_ASCII.test(secret)) return false;
  return scramSecretMatches(secret, scram);
}
